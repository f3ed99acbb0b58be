import FerryCore
import FerryDelivery
import Foundation
import Testing

/// The engine knows no credentials: a connection layer builds the transport a destination sends through and
/// reports what it saw; errors become failures through `DeliveryFailureConvertible`.
@Suite("Connection layers and error conversion")
struct ConnectionLayerTests {
    @Test("a connection layer's transport carries the requests, and its observations feed the report")
    func layerFeedsTheReport() async throws {
        let inner = RecordingTransport()
        let destination = RequestingDestination()
        let pipeline = DeliveryPipeline(
            destination: destination, transport: inner, connection: SigningLayer(),
            configuration: .init(concurrency: 1, batchLinger: .zero), clock: ManualClock())
        try await pipeline.send(contentsOf: items(3))
        let report = await pipeline.shutdown().report
        #expect(report.delivered == 3)
        // Every request went through the layer (it adds the header) to the pipeline's transport.
        #expect(inner.requests.count == 3)
        #expect(inner.requests.allSatisfy { $0.headers["X-Signed"] == "yes" })
        // The layer reported three answers (one with API usage) and one new token.
        #expect(report.apiCalls == 3)
        #expect(report.tokenRequests == 1)
        #expect(report.apiUsage?.apiUsage == APIUsage.Counter(used: 7, limit: 100))
    }

    @Test("without a layer, the pipeline still counts every answer")
    func noLayerCountsAnswers() async throws {
        let pipeline = DeliveryPipeline(
            destination: RequestingDestination(), transport: RecordingTransport(),
            configuration: .init(concurrency: 1, batchLinger: .zero), clock: ManualClock())
        try await pipeline.send(contentsOf: items(2))
        let report = await pipeline.shutdown().report
        #expect(report.apiCalls == 2)
        #expect(report.tokenRequests == 0)
    }

    @Test("an error that knows its failure becomes that failure; others keep the engine's codes")
    func convertibleErrors() {
        let failure = DeliveryFailure(error: QuotaError())
        #expect(failure.errorCode == "CUSTOM_QUOTA")
        #expect(failure.retryability == .transient)
        #expect(DeliveryFailure(error: CancellationError()).errorCode == "CANCELLED")
        #expect(DeliveryFailure(error: TransportError(.timeout, url: "https://x.example/")).errorCode == "TRANSPORT_TIMEOUT")
        #expect(DeliveryFailure(error: PlainError()).errorCode == .unknown)
    }
}

private struct QuotaError: DeliveryFailureConvertible {
    var deliveryFailure: DeliveryFailure {
        DeliveryFailure(status: 429, errorCode: "CUSTOM_QUOTA", message: "over quota; wait", retryability: .transient)
    }
}

private struct PlainError: Error {}

/// Adds a header, and reports one new token and every answer.
private struct SigningLayer: ConnectionLayer {
    func transport(
        over transport: any HTTPTransport, observer: @escaping @Sendable (ConnectionObservation) -> Void
    ) -> any HTTPTransport {
        Signing(transport: transport, observer: observer)
    }

    final class Signing: HTTPTransport {
        let transport: any HTTPTransport
        let observer: @Sendable (ConnectionObservation) -> Void
        private let first = FerryMutex(true)

        init(transport: any HTTPTransport, observer: @escaping @Sendable (ConnectionObservation) -> Void) {
            self.transport = transport
            self.observer = observer
        }

        func send(_ request: HTTPRequest) async throws -> HTTPResponse {
            let isFirst = first.withLock { first in
                defer { first = false }
                return first
            }
            if isFirst { observer(.tokenFetched) }
            var signed = request
            signed.headers.replaceOrAdd(name: "X-Signed", value: "yes")
            let response = try await transport.send(signed)
            observer(.response(status: response.status, headers: response.headers))
            return response
        }
    }
}

/// Answers 201, with the org's API usage on every answer.
private final class RecordingTransport: HTTPTransport {
    private let storage = FerryMutex<[HTTPRequest]>([])
    var requests: [HTTPRequest] { storage.withLock { $0 } }

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        storage.withLock { $0.append(request) }
        return HTTPResponse(status: 201, headers: ["Sforce-Limit-Info": "api-usage=7/100"])
    }
}

/// Sends one request per item through the transport it is given.
private struct RequestingDestination: Destination {
    let maximumBatchSize = 1

    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        var results: [DeliveryAttemptResult] = []
        for item in batch {
            do {
                let response = try await transport.send(
                    HTTPRequest(method: .post, url: URL(fileURLWithPath: "/items/\(item.id)")))
                results.append(.delivered(DeliveryReceipt(status: response.status)))
            } catch {
                results.append(.failed(DeliveryFailure(error: error)))
            }
        }
        return results
    }
}
