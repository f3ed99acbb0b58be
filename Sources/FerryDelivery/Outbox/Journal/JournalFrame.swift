import Foundation

/// The on-disk framing of the journal.
///
/// A segment file starts with an 8-byte magic (`FRYOBX01`), then frames back to back:
///
/// ```
/// u32 body length | u32 CRC-32 of (the 4 length bytes + body) | body
/// ```
///
/// A body is one ``JournalRecord``, starting with its ``JournalRecordKind`` byte. All integers are little-endian; dates are the bit pattern of
/// seconds since 1970 as a `Double`; strings are a u32 byte count and UTF-8.
enum JournalFrame {
    /// The first bytes of every segment file.
    static let magic: [UInt8] = Array("FRYOBX01".utf8)
    /// Length and checksum.
    static let headerSize = 8
    /// No body is larger than this (a bigger length field is corruption).
    static let maximumBodySize = 256 << 20

    /// Appends one frame whose body `writeBody` appends (the kind byte first).
    /// - Returns: The frame's size in bytes.
    @discardableResult
    static func append(to bytes: inout [UInt8], _ writeBody: (inout [UInt8]) -> Void) -> Int {
        let start = bytes.count
        bytes.appendUInt64(0)
        writeBody(&bytes)
        let length = bytes.count - start - headerSize
        bytes.patchUInt32(UInt32(truncatingIfNeeded: length), at: start)
        let crc = bytes.withUnsafeBytes { buffer in
            let lengthBytes = UnsafeRawBufferPointer(rebasing: buffer[start..<(start + 4)])
            let body = UnsafeRawBufferPointer(rebasing: buffer[(start + headerSize)...])
            return CRC32.checksum(body, continuing: CRC32.checksum(lengthBytes))
        }
        bytes.patchUInt32(crc, at: start + 4)
        return bytes.count - start
    }

    /// The body range of a valid frame at `offset`, or `nil` when the bytes there are not one (torn, corrupt, or
    /// the end of the file).
    static func validFrame(in buffer: UnsafeRawBufferPointer, at offset: Int) -> Range<Int>? {
        guard buffer.count - offset >= headerSize + 1 else { return nil }
        let length = Int(buffer.loadUnaligned(fromByteOffset: offset, as: UInt32.self).littleEndian)
        guard length >= 1, length <= maximumBodySize, length <= buffer.count - offset - headerSize else { return nil }
        let stored = buffer.loadUnaligned(fromByteOffset: offset + 4, as: UInt32.self).littleEndian
        let bodyStart = offset + headerSize
        guard JournalRecordKind(rawValue: buffer[bodyStart]) != nil else { return nil }
        let lengthBytes = UnsafeRawBufferPointer(rebasing: buffer[offset..<(offset + 4)])
        let body = UnsafeRawBufferPointer(rebasing: buffer[bodyStart..<(bodyStart + length)])
        guard CRC32.checksum(body, continuing: CRC32.checksum(lengthBytes)) == stored else { return nil }
        return bodyStart..<(bodyStart + length)
    }
}
