/// Small UTF-8 helpers for the string filters: scalar counting and slicing by scalar (Ruby's character)
/// positions, ASCII case mapping, without Foundation.
enum UTF8Text {
    /// Whether `byte` starts a scalar (is not a continuation byte).
    @inline(__always)
    static func isScalarStart(_ byte: UInt8) -> Bool { byte & 0xC0 != 0x80 }

    /// The number of Unicode scalars (Ruby's and Python's string length).
    static func scalarCount(_ text: String) -> Int {
        var count = 0
        for byte in text.utf8 where isScalarStart(byte) { count += 1 }
        return count
    }

    /// The text of the scalars in `start ..< start + length` (both already clamped to the text).
    static func scalars(of text: String, from start: Int, count length: Int) -> String {
        guard length > 0 else { return "" }
        var text = text
        return text.withUTF8 { bytes in
            var scalar = -1
            var lower = bytes.count
            var upper = bytes.count
            for (offset, byte) in bytes.enumerated() where isScalarStart(byte) {
                scalar += 1
                if scalar == start { lower = offset }
                if scalar == start + length {
                    upper = offset
                    break
                }
            }
            return String(decoding: UnsafeBufferPointer(rebasing: bytes[lower..<upper]), as: UTF8.self)
        }
    }

    /// Maps ASCII letters to upper or lower case; other text goes through the standard library's Unicode
    /// case mapping. Returns the input itself when nothing changes.
    static func mapCase(_ text: String, upper: Bool) -> String {
        var text = text
        // One pass over contiguous bytes (not the UTF-8 view's iterator) to decide, one to map.
        let lowest: UInt8 = upper ? 0x61 : 0x41
        let needsChange: Bool? = text.withUTF8 { bytes in
            var needsChange = false
            for byte in bytes {
                if byte >= 0x80 { return nil }
                if byte &- lowest < 26 { needsChange = true }
            }
            return needsChange
        }
        guard let needsChange else { return upper ? text.uppercased() : text.lowercased() }
        guard needsChange else { return text }
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count) { buffer in
                for index in 0..<bytes.count {
                    let byte = bytes[index]
                    buffer[index] = byte &- lowest < 26 ? byte ^ 0x20 : byte
                }
                return bytes.count
            }
        }
    }

    /// Appends `bytes` to `output` with ASCII letters mapped to upper or lower case, as ``mapCase(_:upper:)``
    /// maps ASCII text. Text with a byte outside ASCII is left to `mapCase` (Unicode case mapping): then
    /// nothing is appended and the result is `false`.
    static func appendMappingASCIICase(_ bytes: UnsafeBufferPointer<UInt8>, upper: Bool, to output: inout [UInt8]) -> Bool {
        let start = output.count
        output.append(contentsOf: bytes)
        let lowest: UInt8 = upper ? 0x61 : 0x41
        let isASCII = output.withUnsafeMutableBufferPointer { buffer in
            var index = start
            while index < buffer.count {
                let byte = buffer[index]
                if byte >= 0x80 { return false }
                if byte &- lowest < 26 { buffer[index] = byte ^ 0x20 }
                index += 1
            }
            return true
        }
        if !isASCII { output.removeSubrange(start...) }
        return isASCII
    }

    /// Whether every byte is ASCII.
    static func isASCII(_ text: String) -> Bool {
        for byte in text.utf8 where byte >= 0x80 { return false }
        return true
    }
}
