import FerryCore
import Foundation

/// What a journal record says happened: the kind byte that starts every record body.
enum JournalRecordKind: UInt8 {
    /// `ordinal, item`: an item was accepted (ignored when its id is already present).
    case enqueue = 1
    /// `expiry, count, ids`: items were leased (leases do not survive a restart; recovery counts them).
    case lease = 2
    /// `count, ids`: items were delivered and left the outbox.
    case acknowledge = 3
    /// `ordinal, availableAt, item`: a leased item went back to pending until `availableAt`.
    case reschedule = 4
    /// `ordinal, failure, item`: a leased item failed for good.
    case deadLetter = 5
    /// `ordinal, item`: a dead letter went back to pending, its attempts reset.
    case replay = 6
    /// `ordinal, state (0 pending + availableAt | 1 dead + failure), item`: compaction copied a live item forward
    /// so the segment that held it can be deleted.
    case rewrite = 7
    /// `count, ids`: compaction copied remembered acknowledged ids forward (see
    /// ``FileOutbox/Configuration/acknowledgedIDMemory``).
    case remember = 8
}

/// One journal record: every kind with its fields, and the only code that turns records into bytes
/// (``appendFrame(to:)``) and bytes back into records (``decode(_:)``).
///
/// The layout of each kind is listed on ``JournalRecordKind``; integers are little-endian, dates the bit pattern of
/// seconds since 1970 as a `Double`, strings a u32 byte count and UTF-8, items ``JournalItemCodec``'s form (the
/// payload JSON stored as it came). The format is the one journals have always had: a change here must keep
/// opening them (see the journal fixture tests).
enum JournalRecord: Equatable {
    /// An item in its stored form (``JournalItemCodec``), with its id read from it.
    struct StoredItem: Equatable {
        var id: String
        var bytes: [UInt8]
    }

    /// The state a compaction copy carries.
    enum CopiedState: Equatable {
        case pending(availableAt: Date)
        case dead(DeliveryFailure)
    }

    case enqueue(ordinal: UInt64, item: StoredItem)
    case lease(expiry: Date, ids: [String])
    case acknowledge(ids: [String])
    case reschedule(ordinal: UInt64, availableAt: Date, item: StoredItem)
    case deadLetter(ordinal: UInt64, failure: DeliveryFailure, item: StoredItem)
    case replay(ordinal: UInt64, item: StoredItem)
    case rewrite(ordinal: UInt64, state: CopiedState, item: StoredItem)
    case remember(ids: [String])

    /// A record that passed its checksum but does not parse: written by a newer or broken writer.
    struct Malformed: Error {}

    /// The kind byte.
    var kind: JournalRecordKind {
        switch self {
        case .enqueue: .enqueue
        case .lease: .lease
        case .acknowledge: .acknowledge
        case .reschedule: .reschedule
        case .deadLetter: .deadLetter
        case .replay: .replay
        case .rewrite: .rewrite
        case .remember: .remember
        }
    }

    // MARK: - Encoding

    /// Appends the record as one frame (length, checksum, body; see ``JournalFrame``).
    func appendFrame(to frames: inout [UInt8]) {
        JournalFrame.append(to: &frames) { body in appendBody(to: &body) }
    }

    /// The record as one frame.
    var frame: [UInt8] {
        var frame: [UInt8] = []
        frame.reserveCapacity(estimatedSize)
        appendFrame(to: &frame)
        return frame
    }

    /// About the size of the frame, to reserve buffers once.
    var estimatedSize: Int {
        switch self {
        case .enqueue(_, let item), .reschedule(_, _, let item), .deadLetter(_, _, let item), .replay(_, let item),
            .rewrite(_, _, let item):
            item.bytes.count + 64
        case .lease(_, let ids), .acknowledge(let ids), .remember(let ids):
            ids.reduce(32) { $0 + $1.utf8.count + 4 }
        }
    }

    private func appendBody(to body: inout [UInt8]) {
        body.append(kind.rawValue)
        switch self {
        case .enqueue(let ordinal, let item), .replay(let ordinal, let item):
            body.appendUInt64(ordinal)
            body.append(contentsOf: item.bytes)
        case .reschedule(let ordinal, let availableAt, let item):
            body.appendUInt64(ordinal)
            body.appendDate(availableAt)
            body.append(contentsOf: item.bytes)
        case .deadLetter(let ordinal, let failure, let item):
            body.appendUInt64(ordinal)
            JournalItemCodec.append(failure, to: &body)
            body.append(contentsOf: item.bytes)
        case .rewrite(let ordinal, let state, let item):
            body.appendUInt64(ordinal)
            switch state {
            case .pending(let availableAt):
                body.append(0)
                body.appendDate(availableAt)
            case .dead(let failure):
                body.append(1)
                JournalItemCodec.append(failure, to: &body)
            }
            body.append(contentsOf: item.bytes)
        case .lease(let expiry, let ids):
            body.appendDate(expiry)
            Self.appendIDs(ids, to: &body)
        case .acknowledge(let ids), .remember(let ids):
            Self.appendIDs(ids, to: &body)
        }
    }

    private static func appendIDs(_ ids: [String], to body: inout [UInt8]) {
        body.appendUInt32(UInt32(ids.count))
        for id in ids { body.appendString(id) }
    }

    // MARK: - Decoding

    /// Reads a record body (the bytes a valid frame holds, kind byte first).
    /// - Throws: ``Malformed`` when the kind is unknown, a field is cut short, or bytes are left over.
    static func decode(_ body: UnsafeRawBufferPointer) throws(Malformed) -> JournalRecord {
        try decode(body, collectingIDs: true) { _, _ in }
    }

    /// Reads a record body like ``decode(_:)``, except that the ids of a lease, acknowledge or remember record are
    /// handed to `eachID` one by one, with the record's kind, and the record comes back with no ids: recovery
    /// replays them into its index without building an array per record. The whole body is checked before the
    /// first id is handed over, so a malformed record hands over none.
    /// - Throws: ``Malformed``, as ``decode(_:)``.
    static func decode(
        _ body: UnsafeRawBufferPointer, eachID: (JournalRecordKind, String) -> Void
    ) throws(Malformed) -> JournalRecord {
        try decode(body, collectingIDs: false, eachID)
    }

    private static func decode(
        _ body: UnsafeRawBufferPointer, collectingIDs: Bool, _ eachID: (JournalRecordKind, String) -> Void
    ) throws(Malformed) -> JournalRecord {
        var reader = JournalReader(body)
        // Inside, every defect is reported as `Truncated` and turned into `Malformed` below.
        do throws(JournalReader.Truncated) {
            guard let kind = JournalRecordKind(rawValue: try reader.uint8()) else { throw JournalReader.Truncated() }
            let record: JournalRecord
            switch kind {
            case .enqueue:
                let ordinal = try reader.uint64()
                record = .enqueue(ordinal: ordinal, item: try item(&reader, body))
            case .reschedule:
                let ordinal = try reader.uint64()
                let date = try reader.date()
                record = .reschedule(ordinal: ordinal, availableAt: date, item: try item(&reader, body))
            case .deadLetter:
                let ordinal = try reader.uint64()
                let failure = try JournalItemCodec.readFailure(&reader)
                record = .deadLetter(ordinal: ordinal, failure: failure, item: try item(&reader, body))
            case .replay:
                let ordinal = try reader.uint64()
                record = .replay(ordinal: ordinal, item: try item(&reader, body))
            case .rewrite:
                let ordinal = try reader.uint64()
                let state: CopiedState
                switch try reader.uint8() {
                case 0: state = .pending(availableAt: try reader.date())
                case 1: state = .dead(try JournalItemCodec.readFailure(&reader))
                default: throw JournalReader.Truncated()
                }
                record = .rewrite(ordinal: ordinal, state: state, item: try item(&reader, body))
            case .lease:
                let expiry = try reader.date()
                record = .lease(expiry: expiry, ids: try ids(&reader, kind, collectingIDs, eachID))
            case .acknowledge:
                record = .acknowledge(ids: try ids(&reader, kind, collectingIDs, eachID))
            case .remember:
                record = .remember(ids: try ids(&reader, kind, collectingIDs, eachID))
            }
            guard reader.remaining == 0 else { throw JournalReader.Truncated() }
            return record
        } catch {
            throw Malformed()
        }
    }

    private static func item(
        _ reader: inout JournalReader, _ body: UnsafeRawBufferPointer
    ) throws(JournalReader.Truncated) -> StoredItem {
        let (id, range) = try JournalItemCodec.scanID(&reader)
        return StoredItem(id: id, bytes: Array(body[range]))
    }

    /// Reads an id list (the last field of its record): collected, or handed to `eachID` once all of it is checked.
    private static func ids(
        _ reader: inout JournalReader, _ kind: JournalRecordKind, _ collecting: Bool,
        _ eachID: (JournalRecordKind, String) -> Void
    ) throws(JournalReader.Truncated) -> [String] {
        let count = Int(try reader.uint32())
        // Each id takes at least its 4 length bytes: a larger count is corruption, not a reason to reserve memory.
        guard count <= reader.remaining / 4 else { throw JournalReader.Truncated() }
        guard collecting else {
            let first = reader.offset
            for _ in 0..<count { _ = try reader.lengthPrefixedRange() }
            guard reader.remaining == 0 else { throw JournalReader.Truncated() }
            var checked = JournalReader(reader.bytes, offset: first)
            for _ in 0..<count { eachID(kind, try checked.string()) }
            return []
        }
        var ids: [String] = []
        ids.reserveCapacity(count)
        for _ in 0..<count { ids.append(try reader.string()) }
        return ids
    }
}
