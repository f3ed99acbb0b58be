import Ferry
import FerryTesting
import Foundation
import Testing

/// The payload travels as the bytes the template wrote: through the journal and onto the wire, never parsed
/// unless a destination needs its fields.
@Suite("The payload as bytes, render to wire")
struct PayloadBytesPathTests {
    /// Spaces, escapes and number spellings a parse and re-serialisation would change.
    static let template = #"{ "userId" : "{{ Profile.Identity }}", "score": {{ Event.score }}, "ratio": 2.50, "note": "caf\u00e9 \/ ok" }"#
    static let apexURL = URL(string: "https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback")!

    static func contexts(_ count: Int) -> [JSONValue] {
        (1...count).map { ["Profile": ["Identity": .string("u\($0) \"q\"")], "Event": ["score": .int($0 % 11)]] }
    }

    /// Renders every context, sends it through a pipeline over a FileOutbox, and returns the rendered bytes,
    /// the pipeline's report and how many times any payload was parsed on the way.
    func run(_ contexts: [JSONValue], destination: any Destination, transport: MockTransport) async throws
        -> (rendered: [String: Data], delivered: Int, parses: Int)
    {
        let directory = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-bytes-path-\(UUID().uuidString)", isDirectory: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let renderer = TemplatePayloadRenderer(try PayloadTemplate(Self.template))
        var rendered: [String: Data] = [:]
        for (index, context) in contexts.enumerated() {
            guard case .payload(let payload) = renderer.render(context) else {
                Issue.record("the template did not render")
                return ([:], 0, 0)
            }
            rendered["item-\(index)"] = payload.data
        }
        let parses = ParseCounter()
        let delivered = try await RawJSON.$parseObserver.withValue({ parses.increment() }) {
            let outbox = try FileOutbox(directory: directory)
            let pipeline = DeliveryPipeline(
                destination: destination, transport: transport, outbox: outbox,
                configuration: .init(batchLinger: .zero), clock: ManualClock())
            for (index, context) in contexts.enumerated() {
                try await pipeline.send(context: context, renderer: renderer, id: "item-\(index)")
            }
            let report = await pipeline.shutdown().report
            try await outbox.close()
            return report.delivered
        }
        return (rendered, delivered, parses.count)
    }

    @Test("Apex REST: each request body is byte for byte what the template rendered, and nothing is parsed")
    func apexBodyIsTheRenderedBytes() async throws {
        let transport = MockTransport()
        transport.on(.post, Self.apexURL.path, reply: HTTPResponse(status: 200, text: #""Success""#))
        let result = try await run(Self.contexts(12), destination: ApexRESTDestination(url: Self.apexURL), transport: transport)
        #expect(result.delivered == 12)
        let bodies = Dictionary(uniqueKeysWithValues: transport.requests.compactMap { request in
            request.headers["Idempotency-Key"].map { ($0, request.body) }
        })
        #expect(bodies.count == 12)
        #expect(bodies == result.rendered)
        #expect(result.rendered["item-0"].map { String(decoding: $0, as: UTF8.self) }
            == #"{ "userId" : "u1 \"q\"", "score": 1, "ratio": 2.50, "note": "caf\u00e9 \/ ok" }"#)
        #expect(result.parses == 0, "the payload was parsed \(result.parses) times between render and wire")
    }

    @Test("sObject: a destination that needs the fields parses each payload where it needs them")
    func recordDestinationParses() async throws {
        let transport = MockTransport()
        transport.on(.post, "/services/data/v66.0/sobjects/Feedback__c/", reply: HTTPResponse(status: 201, json: ["id": "a01", "success": true, "errors": []]))
        transport.on(.post, "/services/data/v66.0/sobjects/Feedback__c", reply: HTTPResponse(status: 201, json: ["id": "a01", "success": true, "errors": []]))
        let destination = SObjectDestination(
            endpoints: SalesforceEndpoints(org: try SalesforceOrg("https://acme.my.salesforce.com"), version: APIVersion(major: 66)),
            object: try APIName("Feedback__c"))
        let result = try await run(Self.contexts(5), destination: destination, transport: transport)
        #expect(result.delivered == 5)
        #expect(result.parses == 5)
        let first = try #require(transport.requests.first { $0.headers["Idempotency-Key"] == "item-0" })
        #expect(try JSONValue(parsing: try #require(first.body))["userId"] == "u1 \"q\"")
    }
}

/// Counts payload parses from any task.
private final class ParseCounter: Sendable {
    private let storage = FerryMutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var count: Int { storage.withLock { $0 } }
}
