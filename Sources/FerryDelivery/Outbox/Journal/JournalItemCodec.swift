import FerryCore
import Foundation

/// The binary form of a ``DeliveryItem`` and a ``DeliveryFailure`` inside journal records.
///
/// An item is `id, flags, [route], [sequence], attempts, [firstAttemptAt], [acceptedAt], [orderingKey], payload`
/// (each bracketed field present when its flag bit is set, so journals written before a field existed still
/// read), the payload kept as the item's JSON bytes exactly as they came (checked when the payload was made): the
/// journal writes them as they are and hands them back as they are, never parsing them (recovery reads ids only).
enum JournalItemCodec {
    private static let hasRoute: UInt8 = 1
    private static let hasSequence: UInt8 = 2
    private static let hasFirstAttempt: UInt8 = 4
    private static let hasAccepted: UInt8 = 8
    private static let hasOrderingKey: UInt8 = 16

    /// Appends the item's binary form.
    static func append(_ item: DeliveryItem, to bytes: inout [UInt8]) {
        bytes.appendString(item.id)
        var flags: UInt8 = 0
        if item.route != nil { flags |= hasRoute }
        if item.sequence != nil { flags |= hasSequence }
        if item.firstAttemptAt != nil { flags |= hasFirstAttempt }
        if item.acceptedAt != nil { flags |= hasAccepted }
        if item.orderingKey != nil { flags |= hasOrderingKey }
        bytes.append(flags)
        if let route = item.route { bytes.appendString(route) }
        if let sequence = item.sequence { bytes.appendUInt64(UInt64(bitPattern: Int64(sequence))) }
        bytes.appendUInt64(UInt64(bitPattern: Int64(item.attempts)))
        if let date = item.firstAttemptAt { bytes.appendDate(date) }
        if let date = item.acceptedAt { bytes.appendDate(date) }
        if let key = item.orderingKey { bytes.appendString(key) }
        let lengthOffset = bytes.count
        bytes.appendUInt32(0)
        bytes.append(contentsOf: item.payload.data)
        bytes.patchUInt32(UInt32(truncatingIfNeeded: bytes.count - lengthOffset - 4), at: lengthOffset)
    }

    /// The item's binary form.
    static func encode(_ item: DeliveryItem) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + item.id.utf8.count)
        append(item, to: &bytes)
        return bytes
    }

    /// Reads only the id at the start of an item's binary form, checking the rest is well formed enough to skip.
    /// - Returns: The id and the byte count of the item.
    static func scanID(_ reader: inout JournalReader) throws(JournalReader.Truncated) -> (id: String, range: Range<Int>) {
        let start = reader.offset
        let id = try reader.string()
        let flags = try reader.uint8()
        if flags & hasRoute != 0 { _ = try reader.lengthPrefixedRange() }
        if flags & hasSequence != 0 { try reader.skip(8) }
        try reader.skip(8)
        if flags & hasFirstAttempt != 0 { try reader.skip(8) }
        if flags & hasAccepted != 0 { try reader.skip(8) }
        if flags & hasOrderingKey != 0 { _ = try reader.lengthPrefixedRange() }
        _ = try reader.lengthPrefixedRange()
        return (id, start..<reader.offset)
    }

    /// The ordering key in an item's binary form, read without the payload: the index keeps same-key items in
    /// order across restarts. `nil` when there is none (or the form is cut short).
    static func orderingKey(in bytes: [UInt8]) -> String? {
        bytes.withUnsafeBytes { buffer -> String? in
            var reader = JournalReader(buffer)
            do throws(JournalReader.Truncated) {
                _ = try reader.lengthPrefixedRange()
                let flags = try reader.uint8()
                guard flags & hasOrderingKey != 0 else { return nil }
                if flags & hasRoute != 0 { _ = try reader.lengthPrefixedRange() }
                if flags & hasSequence != 0 { try reader.skip(8) }
                try reader.skip(8)
                if flags & hasFirstAttempt != 0 { try reader.skip(8) }
                if flags & hasAccepted != 0 { try reader.skip(8) }
                return try reader.string()
            } catch {
                return nil
            }
        }
    }

    /// Why a stored item could not be turned back into a ``DeliveryItem``.
    struct Unreadable: Error {
        let reason: String
    }

    /// Decodes an item's binary form; its payload bytes are taken as they are: the journal wrote them from a
    /// ``RawJSON`` and its record checksum vouches they are the same bytes.
    static func decode(_ bytes: [UInt8]) throws(Unreadable) -> DeliveryItem {
        let read = bytes.withUnsafeBytes { buffer -> DeliveryItem? in
            var reader = JournalReader(buffer)
            do throws(JournalReader.Truncated) {
                let id = try reader.string()
                let flags = try reader.uint8()
                let route = flags & hasRoute != 0 ? try reader.string() : nil
                let sequence = flags & hasSequence != 0 ? Int(Int64(bitPattern: try reader.uint64())) : nil
                let attempts = Int(Int64(bitPattern: try reader.uint64()))
                let firstAttemptAt = flags & hasFirstAttempt != 0 ? try reader.date() : nil
                let acceptedAt = flags & hasAccepted != 0 ? try reader.date() : nil
                let orderingKey = flags & hasOrderingKey != 0 ? try reader.string() : nil
                let payloadRange = try reader.lengthPrefixedRange()
                let payload = RawJSON(alreadyValidated: Data(UnsafeRawBufferPointer(rebasing: buffer[payloadRange])))
                var item = DeliveryItem(id: id, payload: payload, route: route, sequence: sequence)
                item.attempts = attempts
                item.firstAttemptAt = firstAttemptAt
                item.acceptedAt = acceptedAt
                item.orderingKey = orderingKey
                return item
            } catch {
                return nil
            }
        }
        guard let read else { throw Unreadable(reason: "the stored item is shorter than its fields say") }
        return read
    }

    /// The item with its attempt count and first attempt time reset, re-encoded (a replayed dead letter).
    static func resetAttempts(_ bytes: [UInt8]) -> [UInt8] {
        guard var item = try? decode(bytes) else { return bytes }
        item.attempts = 0
        item.firstAttemptAt = nil
        return encode(item)
    }

    // MARK: - Failures

    private static let hasStatus: UInt8 = 1
    private static let hasRetryAfter: UInt8 = 2

    static func append(_ failure: DeliveryFailure, to bytes: inout [UInt8]) {
        var flags: UInt8 = 0
        if failure.status != nil { flags |= hasStatus }
        if failure.retryAfter != nil { flags |= hasRetryAfter }
        bytes.append(flags)
        if let status = failure.status { bytes.appendUInt64(UInt64(bitPattern: Int64(status))) }
        bytes.appendString(failure.errorCode.rawValue)
        bytes.appendString(failure.message)
        bytes.append(failure.retryability == .final ? 0 : failure.retryability == .transient ? 1 : 2)
        if let retryAfter = failure.retryAfter { bytes.appendUInt64(retryAfter.seconds.bitPattern) }
    }

    static func readFailure(_ reader: inout JournalReader) throws(JournalReader.Truncated) -> DeliveryFailure {
        let flags = try reader.uint8()
        let status = flags & hasStatus != 0 ? Int(Int64(bitPattern: try reader.uint64())) : nil
        let errorCode = try reader.string()
        let message = try reader.string()
        let retryability: Retryability
        switch try reader.uint8() {
        case 0: retryability = .final
        case 1: retryability = .transient
        default: retryability = .rateLimited
        }
        let retryAfter = flags & hasRetryAfter != 0 ? Duration.seconds(Double(bitPattern: try reader.uint64())) : nil
        return DeliveryFailure(
            status: status, errorCode: DeliveryErrorCode(rawValue: errorCode), message: message, retryability: retryability,
            retryAfter: retryAfter)
    }
}
