import Foundation

/// Little-endian appends onto a byte array, for journal records.
extension Array where Element == UInt8 {
    mutating func appendUInt32(_ value: UInt32) {
        append(UInt8(truncatingIfNeeded: value))
        append(UInt8(truncatingIfNeeded: value >> 8))
        append(UInt8(truncatingIfNeeded: value >> 16))
        append(UInt8(truncatingIfNeeded: value >> 24))
    }

    mutating func appendUInt64(_ value: UInt64) {
        appendUInt32(UInt32(truncatingIfNeeded: value))
        appendUInt32(UInt32(truncatingIfNeeded: value >> 32))
    }

    mutating func appendDate(_ date: Date) {
        appendUInt64(date.timeIntervalSince1970.bitPattern)
    }

    /// A length-prefixed (u32) UTF-8 string.
    mutating func appendString(_ string: String) {
        var string = string
        string.withUTF8 { utf8 in
            appendUInt32(UInt32(utf8.count))
            append(contentsOf: utf8)
        }
    }

    /// Overwrites four bytes at `offset` (a length reserved earlier).
    mutating func patchUInt32(_ value: UInt32, at offset: Int) {
        self[offset] = UInt8(truncatingIfNeeded: value)
        self[offset + 1] = UInt8(truncatingIfNeeded: value >> 8)
        self[offset + 2] = UInt8(truncatingIfNeeded: value >> 16)
        self[offset + 3] = UInt8(truncatingIfNeeded: value >> 24)
    }
}

/// Reads what the appends above wrote, from a byte buffer, refusing to read past its end.
struct JournalReader {
    /// The record (or item) was shorter than its fields say: treated as corruption.
    struct Truncated: Error {}

    let bytes: UnsafeRawBufferPointer
    var offset: Int

    init(_ bytes: UnsafeRawBufferPointer, offset: Int = 0) {
        self.bytes = bytes
        self.offset = offset
    }

    var remaining: Int { bytes.count - offset }

    mutating func uint8() throws(Truncated) -> UInt8 {
        guard offset < bytes.count else { throw Truncated() }
        defer { offset += 1 }
        return bytes[offset]
    }

    mutating func uint32() throws(Truncated) -> UInt32 {
        guard remaining >= 4 else { throw Truncated() }
        defer { offset += 4 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian
    }

    mutating func uint64() throws(Truncated) -> UInt64 {
        guard remaining >= 8 else { throw Truncated() }
        defer { offset += 8 }
        return bytes.loadUnaligned(fromByteOffset: offset, as: UInt64.self).littleEndian
    }

    mutating func date() throws(Truncated) -> Date {
        Date(timeIntervalSince1970: Double(bitPattern: try uint64()))
    }

    /// The range of a u32-length-prefixed field, skipping over it.
    mutating func lengthPrefixedRange() throws(Truncated) -> Range<Int> {
        let length = Int(try uint32())
        guard remaining >= length else { throw Truncated() }
        defer { offset += length }
        return offset..<(offset + length)
    }

    mutating func string() throws(Truncated) -> String {
        let range = try lengthPrefixedRange()
        return String(decoding: UnsafeRawBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    mutating func skip(_ count: Int) throws(Truncated) {
        guard remaining >= count else { throw Truncated() }
        offset += count
    }
}
