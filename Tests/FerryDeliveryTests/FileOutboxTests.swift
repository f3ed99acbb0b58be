import FerryCore
import FerryDelivery
import Foundation
import Testing

/// A fresh directory under the system temporary directory, removed by `cleanUp()`.
struct TemporaryDirectory {
    let url: URL

    init() {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("ferry-outbox-tests-\(UUID().uuidString)", isDirectory: true)
    }

    func cleanUp() { try? FileManager.default.removeItem(at: url) }

    /// The journal segment files, sorted by name.
    func segments() -> [URL] {
        ((try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [])
            .filter { $0.hasPrefix("segment-") }
            .sorted()
            .map { url.appendingPathComponent($0) }
    }
}

let outboxNow = Date(timeIntervalSince1970: 1_700_000_000)
let finalFailure = DeliveryFailure(
    status: 400, errorCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [Name]",
    retryability: .final)

/// Items with a realistic payload, ids `prefix-1...`.
func outboxItems(_ count: Int, prefix: String = "item") -> [DeliveryItem] {
    (1...count).map { index in
        var item = DeliveryItem(
            id: "\(prefix)-\(index)",
            payload: ["userId": .string("u\(index)"), "npsScore": .int(index % 11), "comment": "Great – “quoted” ✓"],
            route: index % 2 == 0 ? "Survey" : nil, sequence: index)
        item.acceptedAt = outboxNow.addingTimeInterval(Double(index))
        return item
    }
}

/// Opens an outbox, runs `body`, and drops it without closing (as a crash would, for what was not yet written).
func withDroppedOutbox(
    _ directory: TemporaryDirectory, configuration: FileOutbox.Configuration = FileOutbox.Configuration(),
    _ body: (FileOutbox) async throws -> Void
) async throws {
    let outbox = try FileOutbox(directory: directory.url, configuration: configuration)
    try await body(outbox)
}

@Suite("FileOutbox")
struct FileOutboxTests {
    @Test("every change survives close and reopen: pending, retry time, attempts, dead letters")
    func roundTrip() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let original = outboxItems(5)
        do {
            let outbox = try FileOutbox(directory: directory.url)
            #expect(outbox.recoveryReport.isClean)
            try await outbox.enqueue(original)
            let leased = try await outbox.lease(limit: 3, at: outboxNow, for: .seconds(60))
            #expect(leased == Array(original[0..<3]))
            try await outbox.acknowledge(["item-1"])
            var retried = leased[1]
            retried.attempts = 1
            retried.firstAttemptAt = outboxNow
            try await outbox.reschedule(retried, availableAt: outboxNow.addingTimeInterval(5))
            var failed = leased[2]
            failed.attempts = 1
            try await outbox.deadLetter(failed, failure: finalFailure)
            #expect(try await outbox.counts() == OutboxCounts(pending: 3, leased: 0, dead: 1))
            try await outbox.close()
        }
        let reopened = try FileOutbox(directory: directory.url)
        let report = reopened.recoveryReport
        #expect(report.isClean)
        #expect(report.releasedLeases == 0)
        #expect(report.counts == OutboxCounts(pending: 3, leased: 0, dead: 1))
        #expect(try await reopened.counts() == OutboxCounts(pending: 3, leased: 0, dead: 1))
        #expect(try await reopened.lease(limit: 10, at: outboxNow, for: .seconds(60)) == [original[3], original[4]])
        #expect(try await reopened.nextAvailableDate() == outboxNow.addingTimeInterval(5))
        let retried = try await reopened.lease(limit: 10, at: outboxNow.addingTimeInterval(5), for: .seconds(60))
        #expect(retried.map(\.id) == ["item-2"])
        #expect(retried.first?.attempts == 1)
        #expect(retried.first?.firstAttemptAt == outboxNow)
        #expect(retried.first?.payload == original[1].payload)
        #expect(retried.first?.route == "Survey")
        let dead = try await reopened.deadLetters(limit: 10)
        #expect(dead.map(\.item.id) == ["item-3"])
        #expect(dead.first?.failure == finalFailure)
        #expect(dead.first?.item.attempts == 1)
        try await reopened.close()
    }

    @Test("items leased when the process stopped are available again after reopening, oldest first")
    func leasesDoNotSurviveRestart() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try await withDroppedOutbox(directory) { outbox in
            try await outbox.enqueue(outboxItems(4))
            _ = try await outbox.lease(limit: 2, at: outboxNow, for: .seconds(300))
            try await outbox.acknowledge(["item-1"])
            #expect(try await outbox.counts() == OutboxCounts(pending: 2, leased: 1, dead: 0))
        }
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.releasedLeases == 1)
        #expect(reopened.recoveryReport.counts == OutboxCounts(pending: 3, leased: 0, dead: 0))
        let leased = try await reopened.lease(limit: 10, at: outboxNow, for: .seconds(300))
        #expect(leased.map(\.id) == ["item-2", "item-3", "item-4"])
        try await reopened.close()
    }

    @Test("a lease expires at its end and the item can be leased again; a late acknowledgement still counts once")
    func leaseExpiry() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue(outboxItems(2))
        let first = try await outbox.lease(limit: 2, at: outboxNow, for: .seconds(60))
        #expect(first.count == 2)
        try await outbox.acknowledge(["item-1"])
        #expect(try await outbox.nextAvailableDate() == outboxNow.addingTimeInterval(60))
        #expect(try await outbox.lease(limit: 5, at: outboxNow.addingTimeInterval(59), for: .seconds(60)).isEmpty)
        let again = try await outbox.lease(limit: 5, at: outboxNow.addingTimeInterval(60), for: .seconds(60))
        #expect(again.map(\.id) == ["item-2"])
        try await outbox.acknowledge(["item-2", "item-2", "unknown"])
        #expect(try await outbox.counts() == OutboxCounts(pending: 0, leased: 0, dead: 0))
        #expect(try await outbox.nextAvailableDate() == nil)
        try await outbox.close()
    }

    @Test("an id already present (pending, leased or dead) is not enqueued twice, also after reopening")
    func idempotentEnqueue() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        do {
            let outbox = try FileOutbox(directory: directory.url)
            try await outbox.enqueue(outboxItems(2))
            try await outbox.enqueue(outboxItems(3) + outboxItems(3))
            #expect(try await outbox.counts().pending == 3)
            try await outbox.close()
        }
        let reopened = try FileOutbox(directory: directory.url)
        try await reopened.enqueue(outboxItems(4))
        #expect(try await reopened.counts().pending == 4)
        try await reopened.close()
    }

    @Test("dead letters and their replay are kept across reopening")
    func deadLettersAndReplay() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        do {
            let outbox = try FileOutbox(directory: directory.url)
            try await outbox.enqueue(outboxItems(3))
            for var item in try await outbox.lease(limit: 3, at: outboxNow, for: .seconds(60)) {
                item.attempts = 8
                item.firstAttemptAt = outboxNow
                try await outbox.deadLetter(item, failure: finalFailure)
            }
            #expect(try await outbox.replayDeadLetters(["item-2", "missing"]) == 1)
            try await outbox.close()
        }
        do {
            let outbox = try FileOutbox(directory: directory.url)
            #expect(outbox.recoveryReport.counts == OutboxCounts(pending: 1, leased: 0, dead: 2))
            #expect(try await outbox.deadLetters(limit: 10).map(\.item.id) == ["item-1", "item-3"])
            #expect(try await outbox.deadLetters(limit: 1).map(\.item.id) == ["item-1"])
            let replayed = try await outbox.lease(limit: 5, at: outboxNow, for: .seconds(60))
            #expect(replayed.map(\.id) == ["item-2"])
            #expect(replayed.first?.attempts == 0)
            #expect(replayed.first?.firstAttemptAt == nil)
            #expect(try await outbox.replayDeadLetters(nil) == 2)
            try await outbox.close()
        }
        let last = try FileOutbox(directory: directory.url)
        #expect(last.recoveryReport.counts == OutboxCounts(pending: 3, leased: 0, dead: 0))
        #expect(try await last.deadLetters(limit: 10).isEmpty)
        try await last.close()
    }

    @Test("many concurrent enqueues share flushes and all survive", arguments: [
        FileOutbox.Durability.everyRecord, .interval(.milliseconds(5)), .noSync,
    ])
    func concurrentEnqueues(durability: FileOutbox.Durability) async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        do {
            let outbox = try FileOutbox(directory: directory.url, configuration: .init(durability: durability))
            try await withThrowingTaskGroup(of: Void.self) { group in
                for task in 0..<50 {
                    group.addTask { try await outbox.enqueue(outboxItems(20, prefix: "t\(task)")) }
                }
                try await group.waitForAll()
            }
            #expect(try await outbox.counts().pending == 1000)
            try await outbox.close()
        }
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.counts.pending == 1000)
        #expect(reopened.recoveryReport.recordsReplayed == 1000)
        #expect(reopened.recoveryReport.isClean)
        try await reopened.close()
    }

    @Test("concurrent enqueues share writes and flushes (group commit)")
    func groupCommit() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url, configuration: .init(durability: .interval(.milliseconds(5))))
        try await withThrowingTaskGroup(of: Void.self) { group in
            for item in outboxItems(500) { group.addTask { try await outbox.enqueue([item]) } }
            try await group.waitForAll()
        }
        let statistics = outbox.statistics
        #expect(statistics.flushes >= 1)
        #expect(statistics.flushes < 100)
        #expect(statistics.writes < 500)
        #expect(statistics.bytesWritten > 500 * 100)
        try await outbox.close()
    }

    /// CRC-32 the slow, obviously standard way (bit by bit, polynomial 0xEDB88320).
    func referenceCRC32(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            crc ^= UInt32(byte)
            for _ in 0..<8 { crc = crc & 1 == 1 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
        }
        return ~crc
    }

    @Test("a segment is the magic, then frames of length, CRC-32 of length and body, and body")
    func onDiskFormat() async throws {
        #expect(referenceCRC32(Array("123456789".utf8)) == 0xCBF4_3926)
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue(outboxItems(1))
        try await outbox.close()
        let bytes = try [UInt8](Data(contentsOf: try #require(directory.segments().first)))
        #expect(Array(bytes[0..<8]) == Array("FRYOBX01".utf8))
        func u32(_ offset: Int) -> Int {
            Int(bytes[offset]) | Int(bytes[offset + 1]) << 8 | Int(bytes[offset + 2]) << 16 | Int(bytes[offset + 3]) << 24
        }
        let length = u32(8)
        #expect(16 + length == bytes.count)
        let body = Array(bytes[16..<(16 + length)])
        #expect(body.first == 1)  // an enqueue record
        #expect(UInt32(u32(12)) == referenceCRC32(Array(bytes[8..<12]) + body))
        // The payload is kept as JSON text inside the binary record.
        #expect(String(decoding: body, as: UTF8.self).contains(#""userId":"u1""#))
    }
}
