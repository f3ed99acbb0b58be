import Ferry
import Foundation

/// The JSONL data file of `ferry send`: one render context per line, each with a stable item id made of its
/// 1-based line number and a hash of its bytes, so a second run over the same file recognises every line.
struct SendInput {
    /// One non-blank line of the file.
    struct Line {
        /// The 1-based line number in the file.
        let number: Int
        /// The line's bytes, without the line break.
        let bytes: ArraySlice<UInt8>
        /// FNV-1a 64 of the bytes: stable across runs and machines (Swift's `Hasher` is seeded per process).
        let hash: UInt64

        /// `line-<number>-<hash>`: sent as `Idempotency-Key` and used as the outbox id.
        var id: String { SendInput.id(line: number, hash: hash) }
    }

    /// The non-blank lines, in file order.
    let lines: [Line]

    /// Splits `data` into lines (LF or CRLF); blank lines are skipped but keep their place in the numbering.
    init(_ data: [UInt8]) {
        var lines: [Line] = []
        var start = 0
        var number = 0
        var index = 0
        let count = data.count
        while start < count {
            index = start
            while index < count, data[index] != 0x0A { index += 1 }
            number += 1
            var end = index
            if end > start, data[end - 1] == 0x0D { end -= 1 }
            let slice = data[start..<end]
            if slice.contains(where: { $0 != 0x20 && $0 != 0x09 }) {
                lines.append(Line(number: number, bytes: slice, hash: SendInput.fnv1a(slice)))
            }
            start = index + 1
        }
        self.lines = lines
    }

    /// The highest line number (0 for an empty file).
    var lastLineNumber: Int { lines.last?.number ?? 0 }

    static func id(line: Int, hash: UInt64) -> String {
        let hex = String(hash, radix: 16)
        return "line-\(line)-" + String(repeating: "0", count: 16 - hex.count) + hex
    }

    static func fnv1a(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in bytes {
            hash ^= UInt64(byte)
            hash = hash &* 0x0000_0100_0000_01b3
        }
        return hash
    }

    /// Parses one line as a render context: a JSON object whose keys are template variables.
    /// - Returns: The context, or the failure to report for the line.
    static func context(of line: Line) -> Result<JSONValue, DeliveryFailure> {
        let value: JSONValue
        do {
            value = try JSONValue(parsing: Data(line.bytes))
        } catch {
            return .failure(DeliveryFailure(
                status: nil, errorCode: .invalidJSON,
                message: "line \(line.number) is not valid JSON (\(error.description)); each line must be one JSON object such as {\"Profile\": {...}, \"Event\": {...}}",
                retryability: .final))
        }
        guard value.objectValue != nil else {
            return .failure(DeliveryFailure(
                status: nil, errorCode: .invalidContext,
                message: "line \(line.number) holds a JSON \(value.kindName), but a render context must be a JSON object of template variables such as {\"Profile\": {...}, \"Event\": {...}}",
                retryability: .final))
        }
        return .success(value)
    }
}
