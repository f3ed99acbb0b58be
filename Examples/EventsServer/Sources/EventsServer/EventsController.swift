import Ferry
import Foundation
import HTTPTypes
import Hummingbird
import Metrics
import NIOCore
import Prometheus

/// The routes: `POST /events` accepts a webhook into the durable outbox before answering 202, `GET /health`
/// reports the outbox, `GET /metrics` serves Prometheus' text format.
struct EventsController: Sendable {
    let exporter: SalesforceExporter
    let webhookSecret: Secret
    let registry: PrometheusCollectorRegistry
    /// The largest body read; a bigger one is refused (413) before it is parsed.
    let maximumBodyBytes = 64 * 1024

    func register(on router: Router<BasicRequestContext>) {
        router.post("/events") { request, context in try await accept(request, context) }
        router.get("/health") { _, _ in try await health() }
        router.get("/metrics") { _, _ in
            Response(
                status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                body: .init(byteBuffer: ByteBuffer(string: registry.emitToString())))
        }
    }

    func accept(_ request: Request, _ context: BasicRequestContext) async throws -> Response {
        guard let presented = request.headers.first(where: { $0.name.canonicalName == "x-webhook-secret" })?.value,
            Self.constantTimeEqual(presented, webhookSecret.reveal())
        else {
            received("unauthorized")
            return Self.json(.unauthorized, ["error": "missing or wrong X-Webhook-Secret header"])
        }
        let body: ByteBuffer
        do {
            body = try await request.body.collect(upTo: maximumBodyBytes)
        } catch {
            received("too_large")
            return Self.json(.contentTooLarge, ["error": .string("the body is larger than \(maximumBodyBytes) bytes")])
        }
        let event: IncomingEvent
        do {
            event = try IncomingEvent(body: Data(body.readableBytesView))
        } catch {
            received("malformed")
            return Self.json(.badRequest, ["error": .string(error.reason)])
        }
        // `send` returns once the outbox holds the event (a FileOutbox has written and flushed it): only then is
        // 202 safe to answer, since the sender may forget the event as soon as it reads it.
        switch try await exporter.send(event.context, id: event.id) {
        case .accepted:
            received("accepted")
            return Self.json(.accepted, ["id": .string(event.id), "status": "accepted"])
        case .aborted(let reason):
            received("aborted")
            return Self.json(.ok, ["id": .string(event.id), "status": "aborted", "reason": reason.map { .string($0) } ?? .null])
        case .notRendered(let failure):
            received("malformed")
            return Self.json(.badRequest, ["error": .string("the event cannot be rendered: \(failure.message)")])
        }
    }

    func health() async throws -> Response {
        do {
            let counts = try await exporter.pipeline.outboxCounts()
            return Self.json(.ok, [
                "status": "ok",
                "outbox": ["pending": .int(counts.pending), "leased": .int(counts.leased), "dead": .int(counts.dead)],
            ])
        } catch {
            return Self.json(.serviceUnavailable, ["status": "outbox unreadable", "error": .string("\(error)")])
        }
    }

    private func received(_ result: String) {
        Counter(label: "events_received_total", dimensions: [("result", result)]).increment()
    }

    static func json(_ status: HTTPTypes.HTTPResponse.Status, _ value: JSONValue) -> Response {
        Response(
            status: status, headers: [.contentType: "application/json"],
            body: .init(byteBuffer: ByteBuffer(string: value.jsonString())))
    }

    /// Compares without stopping at the first difference, so the reply time does not reveal how much matched.
    static func constantTimeEqual(_ a: String, _ b: String) -> Bool {
        let left = Array(a.utf8)
        let right = Array(b.utf8)
        var difference = UInt8(left.count == right.count ? 0 : 1)
        for index in 0..<max(left.count, right.count) {
            difference |= (index < left.count ? left[index] : 0) ^ (index < right.count ? right[index] : 0)
        }
        return difference == 0
    }
}
