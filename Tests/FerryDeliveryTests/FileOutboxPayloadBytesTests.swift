import FerryCore
import FerryDelivery
import Foundation
import Testing

/// The journal stores a payload's bytes as they are and hands them back as they are, without parsing them.
@Suite("FileOutbox keeps payload bytes")
struct FileOutboxPayloadBytesTests {
    /// Spellings that a parse and re-serialisation would change: spaces, escapes, a trailing zero, `\/`.
    static let texts = [
        #"{ "userId" : "u1", "npsScore": 9, "ratio": 2.50, "note": "caf\u00e9 \/ \"ok\"" }"#,
        #"[1E5, -0, {"nested": {"deep": [true, null]}}]"#,
        #""just a string""#,
        "\n  {\"é\": \"✓ 😀\"}\t",
    ]

    @Test("pending, retried and dead-lettered payloads come back byte for byte after reopening, never parsed")
    func roundTripIsByteIdentical() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let payloads = try Self.texts.map { try RawJSON(validating: $0) }
        let items = payloads.enumerated().map { DeliveryItem(id: "bytes-\($0.offset)", payload: $0.element) }
        let parses = ParseCounter()
        try await RawJSON.$parseObserver.withValue({ parses.increment() }) {
            do {
                let outbox = try FileOutbox(directory: directory.url)
                try await outbox.enqueue(items)
                let leased = try await outbox.lease(limit: 2, at: outboxNow, for: .seconds(60))
                #expect(leased.map(\.payload.data) == payloads[0..<2].map(\.data))
                try await outbox.reschedule(leased[0], availableAt: outboxNow)
                try await outbox.deadLetter(leased[1], failure: finalFailure)
                try await outbox.close()
            }
            let reopened = try FileOutbox(directory: directory.url)
            let pending = try await reopened.lease(limit: 10, at: outboxNow, for: .seconds(60))
            #expect(Set(pending.map(\.id)) == ["bytes-0", "bytes-2", "bytes-3"])
            for item in pending {
                let index = try #require(Int(item.id.dropFirst("bytes-".count)))
                #expect(item.payload.data == Data(Self.texts[index].utf8), "payload of \(item.id) changed in the journal")
            }
            let dead = try await reopened.deadLetters(limit: 10)
            #expect(dead.map(\.item.payload.data) == [Data(Self.texts[1].utf8)])
            try await reopened.close()
        }
        #expect(parses.count == 0, "the outbox parsed payloads \(parses.count) times")
    }
}

/// Counts payload parses from any task.
private final class ParseCounter: Sendable {
    private let storage = FerryMutex(0)
    func increment() { storage.withLock { $0 += 1 } }
    var count: Int { storage.withLock { $0 } }
}
