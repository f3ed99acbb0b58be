import FerryCore
@testable import FerryDelivery
import Foundation
import Testing

/// A journal written by an earlier version (see `Fixtures/Journal/README.md`) opens and recovers as it did then,
/// and every record in it encodes back to the same bytes.
@Suite("Journal format compatibility")
struct JournalFixtureTests {
    static let segmentName = "segment-00000000000000000002.journal"
    static let configuration = FileOutbox.Configuration(
        durability: .everyRecord, segmentSize: 4096, compactionThreshold: 0.5, acknowledgedIDMemory: 100)
    static let base = Date(timeIntervalSince1970: 1_700_000_000)

    static func fixtureSegment() throws -> URL {
        try #require(Bundle.module.url(forResource: "Fixtures/Journal/" + segmentName, withExtension: nil))
    }

    /// A copy of the fixture directory (opening writes to it).
    static func copyOfFixture() throws -> TemporaryDirectory {
        let directory = TemporaryDirectory()
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: try fixtureSegment(), to: directory.url.appendingPathComponent(segmentName))
        return directory
    }

    static func item(
        _ id: String, _ payload: String, route: String? = nil, sequence: Int? = nil, attempts: Int = 0,
        firstAttempt: Double? = nil, accepted: Double? = nil, orderingKey: String? = nil
    ) throws -> DeliveryItem {
        var item = DeliveryItem(id: id, payload: try RawJSON(validating: Data(payload.utf8)), route: route, sequence: sequence)
        item.attempts = attempts
        item.firstAttemptAt = firstAttempt.map { base.addingTimeInterval($0) }
        item.acceptedAt = accepted.map { base.addingTimeInterval($0) }
        item.orderingKey = orderingKey
        return item
    }

    @Test("a journal written by the earlier format recovers to the same items, dead letters and remembered ids")
    func recoversAsBefore() async throws {
        let directory = try Self.copyOfFixture()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url, configuration: Self.configuration)
        let report = outbox.recoveryReport
        #expect(report.isClean)
        #expect(report.segmentsRead == 1)
        #expect(report.recordsReplayed == 19)
        #expect(report.releasedLeases == 4)
        #expect(report.counts == OutboxCounts(pending: 6, leased: 0, dead: 2))

        let padding = String(repeating: "x", count: 300)
        let expected = [
            try Self.item("fill-13", #"{"n":13,"pad":"\#(padding)"}"#),
            try Self.item("fill-14", #"{"n":14,"pad":"\#(padding)"}"#),
            try Self.item("b-replayed", #"{"list":[1,2,3]}"#),
            try Self.item("b-leased", #"{"userId":"u5"}"#, route: "Other"),
            try Self.item(
                "keep-pending", #"{"userId":"u1","comment":"Great – “quoted” ✓"}"#, route: "Survey", sequence: 7,
                attempts: 2, firstAttempt: 1, accepted: 0, orderingKey: "user-1"),
            try Self.item(
                "b-ordered", #"{"userId":"u3","npsScore":9}"#, route: "Survey", sequence: 42, attempts: 1,
                firstAttempt: 201, accepted: 100, orderingKey: "user-3"),
        ]
        let leased = try await outbox.lease(limit: 100, at: Self.base.addingTimeInterval(1000), for: .seconds(1))
        #expect(leased == expected)
        for (got, want) in zip(leased, expected) { #expect(got.payload.data == want.payload.data) }

        let dead = try await outbox.deadLetters(limit: 10)
        #expect(dead.map(\.item) == [
            try Self.item("keep-dead", #"{"userId":"u2"}"#, attempts: 3, firstAttempt: 2),
            try Self.item("b-dead", #"{"userId":"u4"}"#, sequence: 43, attempts: 1, accepted: 101),
        ])
        #expect(dead.map(\.failure) == [
            DeliveryFailure(
                status: 429, errorCode: "REQUEST_LIMIT_EXCEEDED", message: "Too many requests",
                retryability: .rateLimited, retryAfter: .seconds(12.5)),
            DeliveryFailure(
                status: 400, errorCode: "REQUIRED_FIELD_MISSING", message: "Required fields are missing: [Name]",
                retryability: .final),
        ])
        let remembered = (1...14).map { "fill-\($0)" }.filter(outbox.wasAcknowledged)
        #expect(remembered == (1...8).map { "fill-\($0)" } + ["fill-11", "fill-12"])
        #expect(outbox.wasAcknowledged("b-acked"))
        try await outbox.close()
    }

    @Test("every record kind decodes and encodes back to the very bytes the earlier format wrote")
    func recordsEncodeToTheSameBytes() throws {
        let bytes = try [UInt8](Data(contentsOf: try Self.fixtureSegment()))
        #expect(bytes.starts(with: JournalFrame.magic))
        var kinds: Set<UInt8> = []
        var offset = JournalFrame.magic.count
        var records = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let body = try #require(JournalFrame.validFrame(in: buffer, at: offset))
                let record = try JournalRecord.decode(UnsafeRawBufferPointer(rebasing: buffer[body]))
                #expect(record.frame == Array(buffer[offset..<body.upperBound]), "record \(records) (\(record.kind))")
                kinds.insert(record.kind.rawValue)
                offset = body.upperBound
                records += 1
            }
        }
        #expect(records == 19)
        #expect(kinds == Set(1...8))
    }

    @Test("recovery's decoding hands over, in order, the ids that decode(_:) collects; nothing else differs")
    func idsHandedOverOneByOne() throws {
        let bytes = try [UInt8](Data(contentsOf: try Self.fixtureSegment()))
        var offset = JournalFrame.magic.count
        var idLists = 0
        try bytes.withUnsafeBytes { buffer in
            while offset < buffer.count {
                let frame = try #require(JournalFrame.validFrame(in: buffer, at: offset))
                let body = UnsafeRawBufferPointer(rebasing: buffer[frame])
                offset = frame.upperBound
                let collected = try JournalRecord.decode(body)
                var handed: [(kind: JournalRecordKind, id: String)] = []
                let record = try JournalRecord.decode(body) { handed.append(($0, $1)) }
                let expected: (record: JournalRecord, ids: [String])
                switch collected {
                case .lease(let expiry, let ids): expected = (.lease(expiry: expiry, ids: []), ids)
                case .acknowledge(let ids): expected = (.acknowledge(ids: []), ids)
                case .remember(let ids): expected = (.remember(ids: []), ids)
                default: expected = (collected, [])
                }
                #expect(record == expected.record)
                #expect(handed.map(\.id) == expected.ids)
                #expect(handed.allSatisfy { $0.kind == collected.kind })
                if !expected.ids.isEmpty { idLists += 1 }
            }
        }
        #expect(idLists >= 3)
    }

    @Test("a malformed id list hands over no id: cut short, or followed by stray bytes")
    func malformedIDListHandsOverNothing() {
        var cutShort: [UInt8] = [JournalRecordKind.acknowledge.rawValue]
        cutShort.appendUInt32(2)
        cutShort.appendString("delivered-1")
        cutShort.appendUInt32(40)
        cutShort.append(contentsOf: Array("delivered-2".utf8))
        var strayBytes: [UInt8] = [JournalRecordKind.remember.rawValue]
        strayBytes.appendUInt32(1)
        strayBytes.appendString("delivered-1")
        strayBytes.append(0)
        for body in [cutShort, strayBytes] {
            var handed: [String] = []
            #expect(throws: JournalRecord.Malformed.self) {
                try body.withUnsafeBytes { buffer in try JournalRecord.decode(buffer) { handed.append($1) } }
            }
            #expect(handed.isEmpty)
        }
    }

    @Test("a record whose checksum holds but whose fields do not parse is refused, whatever its kind",
          arguments: 1...8)
    func malformedBodies(kind: UInt8) {
        // The kind byte followed by too few bytes for any kind's fields.
        let body: [UInt8] = [kind, 1, 2]
        #expect(throws: JournalRecord.Malformed.self) {
            try body.withUnsafeBytes { try JournalRecord.decode($0) }
        }
    }
}
