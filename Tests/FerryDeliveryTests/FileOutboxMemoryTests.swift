import FerryCore
import FerryDelivery
import Foundation
import Testing

@Suite("FileOutbox acknowledged-id memory")
struct FileOutboxMemoryTests {
    @Test("remembered acknowledged ids are not enqueued again, also after a restart")
    func rememberedAcrossRestart() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let configuration = FileOutbox.Configuration(acknowledgedIDMemory: 100)
        try await withDroppedOutbox(directory, configuration: configuration) { outbox in
            try await outbox.enqueue(outboxItems(3))
            let leased = try await outbox.lease(limit: 3, at: outboxNow, for: .seconds(60))
            try await outbox.acknowledge(["item-1", "item-2"])
            try await outbox.reschedule(leased[2], availableAt: outboxNow)
            // A sender restarting from the top of its input: delivered items are skipped.
            try await outbox.enqueue(outboxItems(4))
            #expect(try await outbox.counts().pending == 2)
            #expect(outbox.wasAcknowledged("item-1"))
            #expect(!outbox.wasAcknowledged("item-3"))
        }
        let reopened = try FileOutbox(directory: directory.url, configuration: configuration)
        #expect(reopened.wasAcknowledged("item-2"))
        try await reopened.enqueue(outboxItems(4))
        #expect(try await reopened.counts().pending == 2)
        #expect(try await reopened.lease(limit: 5, at: outboxNow, for: .seconds(60)).map(\.id).sorted() == ["item-3", "item-4"])
        try await reopened.close()
    }

    @Test("without memory (the default) an acknowledged id can be enqueued again")
    func noMemoryByDefault() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue(outboxItems(1))
        _ = try await outbox.lease(limit: 1, at: outboxNow, for: .seconds(60))
        try await outbox.acknowledge(["item-1"])
        #expect(!outbox.wasAcknowledged("item-1"))
        try await outbox.enqueue(outboxItems(1))
        #expect(try await outbox.counts().pending == 1)
        try await outbox.close()
    }

    @Test("the oldest ids are forgotten beyond the limit")
    func limit() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let configuration = FileOutbox.Configuration(acknowledgedIDMemory: 2)
        do {
            let outbox = try FileOutbox(directory: directory.url, configuration: configuration)
            try await outbox.enqueue(outboxItems(3))
            for item in try await outbox.lease(limit: 3, at: outboxNow, for: .seconds(60)) {
                try await outbox.acknowledge([item.id])
            }
            #expect(!outbox.wasAcknowledged("item-1"))
            #expect(outbox.wasAcknowledged("item-2") && outbox.wasAcknowledged("item-3"))
            try await outbox.close()
        }
        let reopened = try FileOutbox(directory: directory.url, configuration: configuration)
        #expect(!reopened.wasAcknowledged("item-1"))
        #expect(reopened.wasAcknowledged("item-2") && reopened.wasAcknowledged("item-3"))
        try await reopened.close()
    }

    @Test("remembered ids survive compaction that deletes the segments holding their acknowledgements")
    func survivesCompaction() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let configuration = FileOutbox.Configuration(
            durability: .everyRecord, segmentSize: 4096, acknowledgedIDMemory: 1000)
        let acknowledgementSegment: String
        do {
            let outbox = try FileOutbox(directory: directory.url, configuration: configuration)
            for item in outboxItems(100) { try await outbox.enqueue([item]) }
            let leased = try await outbox.lease(limit: 100, at: outboxNow, for: .seconds(60))
            try await outbox.acknowledge(leased.map(\.id))
            acknowledgementSegment = try #require(directory.segments().last?.lastPathComponent)
            // More delivered traffic rolls more segments; the remembered ids are copied forward so that the
            // segments holding their acknowledgements can go.
            for item in outboxItems(100, prefix: "more") {
                try await outbox.enqueue([item])
                _ = try await outbox.lease(limit: 1, at: outboxNow, for: .seconds(60))
                try await outbox.acknowledge([item.id])
            }
            try await outbox.close()
        }
        let names = directory.segments().map(\.lastPathComponent)
        #expect(names.count <= 3)
        #expect(!names.contains(acknowledgementSegment))
        let reopened = try FileOutbox(directory: directory.url, configuration: configuration)
        #expect(reopened.recoveryReport.isClean)
        #expect(outboxItems(100).allSatisfy { reopened.wasAcknowledged($0.id) })
        #expect(outboxItems(100, prefix: "more").allSatisfy { reopened.wasAcknowledged($0.id) })
        try await reopened.enqueue(outboxItems(100) + outboxItems(100, prefix: "more") + outboxItems(1, prefix: "new"))
        #expect(try await reopened.counts().pending == 1)
        try await reopened.close()
    }
}
