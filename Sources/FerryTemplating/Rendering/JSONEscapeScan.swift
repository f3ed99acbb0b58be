/// Finds out, eight bytes at a time, whether text can go into a JSON string literal as it is.
///
/// A payload template writes most of its strings (identities, e-mail addresses, tags) inside JSON string
/// literals, and almost none of them holds a byte that needs escaping. `JSONValue.appendEscaped` decides that a
/// byte at a time; this scan reads a machine word at a time, so the common case is a scan and one copy.
enum JSONEscapeScan {
    /// Every byte of a word set to `byte`.
    @inline(__always)
    static func repeated(_ byte: UInt8) -> UInt64 { 0x0101_0101_0101_0101 &* UInt64(byte) }

    /// Whether some byte of `word` is zero (the classic test: no false answer either way for the word as a
    /// whole, though it does not say which byte).
    @inline(__always)
    static func hasZeroByte(_ word: UInt64) -> Bool {
        (word &- repeated(0x01)) & ~word & repeated(0x80) != 0
    }

    /// Whether some byte of `word` is below 0x20 (control characters, which JSON must escape).
    @inline(__always)
    static func hasControlByte(_ word: UInt64) -> Bool {
        (word &- repeated(0x20)) & ~word & repeated(0x80) != 0
    }

    /// Whether `bytes` may be copied into a JSON string literal unchanged: no control character, no `"`, no `\`
    /// and no byte 0xE2 (which starts U+2028 and U+2029, escaped for JavaScript's sake; any other character
    /// starting with 0xE2 is merely sent down the byte-at-a-time path, which copies it unchanged).
    static func isPlain(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        let raw = UnsafeRawPointer(base)
        let count = bytes.count
        var offset = 0
        if count >= 8 {
            // Whole words, the last one overlapping the one before when the count is not a multiple of 8
            // (reading a byte twice does not change the answer).
            while true {
                if offset + 8 > count { offset = count - 8 }
                let word = raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self)
                if hasControlByte(word) || hasZeroByte(word ^ repeated(0x22)) || hasZeroByte(word ^ repeated(0x5C))
                    || hasZeroByte(word ^ repeated(0xE2)) {
                    return false
                }
                offset += 8
                if offset >= count { return true }
            }
        }
        while offset < count {
            let byte = base[offset]
            if byte < 0x20 || byte == 0x22 || byte == 0x5C || byte == 0xE2 { return false }
            offset += 1
        }
        return true
    }
}
