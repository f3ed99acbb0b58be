import FerryCore
import FerryDelivery
import Foundation
import Testing

@Suite("FileOutbox lifecycle and configuration")
struct FileOutboxLifecycleTests {
    @Test("an outbox dropped without close keeps what it acknowledged, and the directory reopens at once")
    func droppedWithoutClose() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let released: WeakReference<FileOutbox>
        do {
            let outbox = try FileOutbox(directory: directory.url)
            released = WeakReference(outbox)
            try await outbox.enqueue(outboxItems(5))
            let leased = try await outbox.lease(limit: 3, at: outboxNow, for: .seconds(60))
            try await outbox.acknowledge([leased[0].id])
            var retried = leased[1]
            retried.attempts = 1
            try await outbox.reschedule(retried, availableAt: outboxNow.addingTimeInterval(30))
            try await outbox.deadLetter(leased[2], failure: finalFailure)
            // The last reference goes here, without close(): deinit only tells the writer, which stops by itself.
        }
        #expect(released.isReleased)
        // No retry and no sleep: opening waits for the dropped writer's release (a handshake, bounded as a guard).
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.isClean)
        #expect(reopened.recoveryReport.counts == OutboxCounts(pending: 3, leased: 0, dead: 1))
        let items = try await reopened.lease(limit: 10, at: outboxNow.addingTimeInterval(60), for: .seconds(1))
        // Pending first, then the rescheduled one (available later) with its attempt count.
        #expect(items.map(\.id) == ["item-4", "item-5", "item-2"])
        #expect(items.map(\.attempts) == [0, 0, 1])
        #expect(try await reopened.deadLetters(limit: 5).map(\.item.id) == ["item-3"])
        try await reopened.close()
    }

    @Test("a directory held by a live outbox is refused at once, not waited for")
    func liveHolderRefused() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        let started = ContinuousClock.now
        #expect(throws: FileOutboxError.self) { try FileOutbox(directory: directory.url) }
        #expect(ContinuousClock.now - started < .seconds(5))
        try await outbox.close()
        let again = try FileOutbox(directory: directory.url)
        try await again.close()
    }

    @Test("dropping an outbox that was closed does not hold up another outbox that took over its lock descriptor")
    func droppedAfterCloseMarksNothing() async throws {
        let first = TemporaryDirectory()
        let second = TemporaryDirectory()
        defer {
            first.cleanUp()
            second.cleanUp()
        }
        var closed: FileOutbox? = try FileOutbox(directory: first.url)
        try await closed?.close()
        // Opened next, this outbox's LOCK file usually gets the descriptor number the closed one's had.
        let live = try FileOutbox(directory: second.url)
        closed = nil
        #expect(closed == nil)
        let started = ContinuousClock.now
        #expect(throws: FileOutboxError.self) { try FileOutbox(directory: second.url) }
        #expect(ContinuousClock.now - started < .seconds(5))
        try await live.close()
    }

    @Test("each count setting refuses zero and negative values with an error that names it", arguments: [
        ("segmentSize", 0), ("segmentSize", -4096), ("maximumItemSize", 0), ("maximumItemSize", -1),
        ("acknowledgedIDMemory", 0), ("acknowledgedIDMemory", -10),
    ])
    func countsRefuseZero(setting: String, value: Int) {
        var configuration = FileOutbox.Configuration()
        let error = #expect(throws: ConfigurationError.self) {
            switch setting {
            case "segmentSize": configuration.segmentSize = try PositiveCount(value, for: setting)
            case "maximumItemSize": configuration.maximumItemSize = try PositiveCount(value, for: setting)
            default: configuration.acknowledgedIDMemory = try PositiveCount(value, for: setting)
            }
        }
        #expect(error?.setting == setting)
        #expect(error?.message.contains("\(setting) must be greater than zero") == true)
        #expect(error?.message.contains("was \(value)") == true)
        #expect(error?.message.contains("pass a positive value") == true)
        // The configuration kept its defaults.
        #expect(configuration.segmentSize == 67_108_864)
        #expect(configuration.maximumItemSize == 16_777_216)
        #expect(configuration.acknowledgedIDMemory == nil)
    }

    @Test("sizes outside the journal's range are refused at init, not clamped", arguments: [
        ("segmentSize", 4095, "at least 4096"), ("segmentSize", 1, "at least 4096"),
        ("maximumItemSize", 1023, "from 1024 to 268431360"), ("maximumItemSize", 1, "from 1024 to 268431360"),
        ("maximumItemSize", 268_431_361, "from 1024 to 268431360"), ("maximumItemSize", Int.max, "from 1024 to"),
    ])
    func sizesOutOfRangeRefused(setting: String, value: Int, range: String) throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        var configuration = FileOutbox.Configuration()
        switch setting {
        case "segmentSize": configuration.segmentSize = try PositiveCount(value, for: setting)
        default: configuration.maximumItemSize = try PositiveCount(value, for: setting)
        }
        let validation = #expect(throws: ConfigurationError.self) { try configuration.validate() }
        #expect(validation?.setting == setting)
        #expect(validation?.message.contains("\(setting) must be \(range)") == true)
        #expect(validation?.message.contains("but was \(value)") == true)
        let error = #expect(throws: FileOutboxError.self) {
            try FileOutbox(directory: directory.url, configuration: configuration)
        }
        #expect(error?.kind == .invalidConfiguration)
        #expect(error?.message.contains("its configuration is invalid: \(setting) must be \(range)") == true)
        // Refused before anything was created.
        #expect(!FileManager.default.fileExists(atPath: directory.url.path))
    }

    @Test("the sizes at each end of their range are accepted")
    func sizeBoundsAccepted() throws {
        try FileOutbox.Configuration(
            segmentSize: try PositiveCount(FileOutbox.Configuration.minimumSegmentSize, for: "segmentSize"),
            maximumItemSize: try PositiveCount(FileOutbox.Configuration.minimumItemSize, for: "maximumItemSize")
        ).validate()
        try FileOutbox.Configuration(
            maximumItemSize: try PositiveCount(FileOutbox.Configuration.largestItemSize, for: "maximumItemSize")
        ).validate()
        try FileOutbox.Configuration().validate()
    }

    @Test("counts set at run time take effect: segment size, item size limit, acknowledged-id memory")
    func countsTakeEffect() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        var configuration = FileOutbox.Configuration(durability: .noSync)
        configuration.segmentSize = try PositiveCount(4096, for: "segmentSize")
        configuration.maximumItemSize = try PositiveCount(1024, for: "maximumItemSize")
        configuration.acknowledgedIDMemory = try PositiveCount(10, for: "acknowledgedIDMemory")
        let outbox = try FileOutbox(directory: directory.url, configuration: configuration)
        let big = DeliveryItem(id: "big", payload: ["text": .string(String(repeating: "y", count: 2000))])
        await #expect(throws: FileOutboxError.self) { try await outbox.enqueue([big]) }
        // One enqueue's records stay in one segment: enqueue one at a time.
        for item in outboxItems(100) { try await outbox.enqueue([item]) }
        #expect(directory.segments().count > 1)
        _ = try await outbox.lease(limit: 1, at: outboxNow, for: .seconds(1))
        try await outbox.acknowledge(["item-1"])
        #expect(outbox.wasAcknowledged("item-1"))
        try await outbox.close()
    }
}
