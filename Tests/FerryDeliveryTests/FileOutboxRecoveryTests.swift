import FerryCore
import FerryDelivery
import Foundation
import Testing

/// Byte-level damage to journal files, as a crash or a failing disk leaves them.
enum JournalDamage {
    static func size(_ url: URL) throws -> Int {
        try (FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? -1
    }

    static func truncate(_ url: URL, to length: Int) throws {
        let handle = try FileHandle(forWritingTo: url)
        try handle.truncate(atOffset: UInt64(length))
        try handle.close()
    }

    static func flipByte(_ url: URL, at offset: Int) throws {
        var data = try Data(contentsOf: url)
        data[offset] ^= 0x5A
        try data.write(to: url)
    }
}

@Suite("FileOutbox recovery")
struct FileOutboxRecoveryTests {
    /// Enqueues items one call at a time into a fresh outbox, returning the end offset of the segment after each
    /// (each enqueue returns once its record is written).
    func writeRecords(_ directory: TemporaryDirectory, count: Int) async throws -> [Int] {
        let outbox = try FileOutbox(directory: directory.url)
        var ends: [Int] = []
        for item in outboxItems(count) {
            try await outbox.enqueue([item])
            ends.append(try JournalDamage.size(try #require(directory.segments().last)))
        }
        try await outbox.close()
        return ends
    }

    @Test("a torn last record is skipped, reported with its segment and offset, and cut off")
    func truncatedTail() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let ends = try await writeRecords(directory, count: 3)
        let segment = try #require(directory.segments().last)
        try JournalDamage.truncate(segment, to: ends[2] - 5)

        let outbox = try FileOutbox(directory: directory.url)
        let report = outbox.recoveryReport
        #expect(report.counts.pending == 2)
        #expect(report.recordsReplayed == 2)
        let skipped = try #require(report.skipped.first)
        #expect(report.skipped.count == 1)
        #expect(skipped.segment == segment.lastPathComponent)
        #expect(skipped.offset == ends[1])
        #expect(skipped.byteCount == ends[2] - 5 - ends[1])
        #expect(skipped.truncated)
        #expect(skipped.description.contains("bytes skipped"))
        #expect(try JournalDamage.size(segment) == ends[1])
        // The lost item can be sent again; new records follow the valid ones.
        try await outbox.enqueue(outboxItems(3))
        #expect(try await outbox.counts().pending == 3)
        try await outbox.close()

        let again = try FileOutbox(directory: directory.url)
        #expect(again.recoveryReport.isClean)
        #expect(again.recoveryReport.counts.pending == 3)
        #expect(try await again.lease(limit: 5, at: outboxNow, for: .seconds(1)).map(\.id) == ["item-1", "item-2", "item-3"])
        try await again.close()
    }

    @Test("a flipped byte inside a record in the middle skips only that record; the records after it are kept")
    func flippedByte() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let ends = try await writeRecords(directory, count: 3)
        let segment = try #require(directory.segments().last)
        try JournalDamage.flipByte(segment, at: (ends[0] + ends[1]) / 2)

        let outbox = try FileOutbox(directory: directory.url)
        let report = outbox.recoveryReport
        #expect(report.skipped == [.init(
            segment: segment.lastPathComponent, offset: ends[0], byteCount: ends[1] - ends[0],
            reason: "corrupt record (length or checksum mismatch)", truncated: false)])
        #expect(!report.isClean)
        let leased = try await outbox.lease(limit: 5, at: outboxNow, for: .seconds(1))
        #expect(leased.map(\.id) == ["item-1", "item-3"])
        try await outbox.close()
    }

    @Test("a flipped length field is caught as well as a flipped payload byte", arguments: [0, 4, 8, 9])
    func flippedHeaderBytes(offsetInRecord: Int) async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let ends = try await writeRecords(directory, count: 3)
        let segment = try #require(directory.segments().last)
        try JournalDamage.flipByte(segment, at: ends[0] + offsetInRecord)
        let outbox = try FileOutbox(directory: directory.url)
        #expect(outbox.recoveryReport.skipped.map(\.offset) == [ends[0]])
        #expect(try await outbox.lease(limit: 5, at: outboxNow, for: .seconds(1)).map(\.id) == ["item-1", "item-3"])
        try await outbox.close()
    }

    @Test("an empty segment, a zero-length segment file and a torn header are read as nothing, and writing resumes")
    func emptySegments() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        _ = try await writeRecords(directory, count: 2)
        let first = try #require(directory.segments().first)
        let magicOnly = directory.url.appendingPathComponent("segment-00000000000000000002.journal")
        try Data("FRYOBX01".utf8).write(to: magicOnly)
        let zeroLength = directory.url.appendingPathComponent("segment-00000000000000000003.journal")
        try Data().write(to: zeroLength)
        #expect(first.lastPathComponent == "segment-00000000000000000001.journal")

        do {
            let outbox = try FileOutbox(directory: directory.url)
            #expect(outbox.recoveryReport.isClean)
            #expect(outbox.recoveryReport.segmentsRead == 3)
            #expect(outbox.recoveryReport.counts.pending == 2)
            try await outbox.enqueue(outboxItems(3))
            try await outbox.close()
        }
        // The zero-length file was reused for the new record.
        #expect(try JournalDamage.size(zeroLength) > 8)
        let torn = directory.url.appendingPathComponent("segment-00000000000000000004.journal")
        try Data("FRY".utf8).write(to: torn)
        let outbox = try FileOutbox(directory: directory.url)
        #expect(outbox.recoveryReport.counts.pending == 3)
        #expect(outbox.recoveryReport.skipped.map(\.reason) == ["torn segment header"])
        #expect(outbox.recoveryReport.skipped.first?.truncated == true)
        try await outbox.enqueue(outboxItems(4))
        try await outbox.close()
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.isClean)
        #expect(reopened.recoveryReport.counts.pending == 4)
        try await reopened.close()
    }

    @Test("a file with a foreign header is skipped whole and reported")
    func foreignFile() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        _ = try await writeRecords(directory, count: 1)
        let foreign = directory.url.appendingPathComponent("segment-00000000000000000002.journal")
        try Data("not a journal at all".utf8).write(to: foreign)
        let outbox = try FileOutbox(directory: directory.url)
        #expect(outbox.recoveryReport.counts.pending == 1)
        #expect(outbox.recoveryReport.skipped.map(\.reason) == ["not a Ferry outbox segment (bad header)"])
        try await outbox.enqueue(outboxItems(2))
        try await outbox.close()
        // New records went to a fresh segment, not after the foreign bytes.
        #expect(directory.segments().map(\.lastPathComponent).last == "segment-00000000000000000003.journal")
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.counts.pending == 2)
        try await reopened.close()
    }
}
