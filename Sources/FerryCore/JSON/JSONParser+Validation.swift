/// The parser's validate-only mode: checks that the bytes are one strict RFC 8259 JSON value without building it,
/// accepting exactly what ``JSONValue/init(parsing:options:)-(Data,_)`` accepts.
///
/// Building a tree only to drop it cost as much as rendering the payload did, and a payload that travels as bytes
/// (``RawJSON``) needs the verdict, not the tree. This mode answers yes or no; only when it says no does the caller
/// run ``parseDocument()`` over the same bytes, for the exact error and offset. A test compares the two on
/// mutated JSON to keep them in step.
extension JSONParser {
    /// Whether the bytes hold one JSON value (white space around it allowed), nested at most `maximumDepth` deep.
    mutating func isValidDocument() -> Bool {
        skipWhitespace()
        guard skipValue(depth: 0) else { return false }
        skipWhitespace()
        return position == bytes.count
    }

    private mutating func skipValue(depth: Int) -> Bool {
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""): return skipString()
        case UInt8(ascii: "{"): return skipObject(depth: depth + 1)
        case UInt8(ascii: "["): return skipArray(depth: depth + 1)
        case UInt8(ascii: "t"): return skipLiteral("true")
        case UInt8(ascii: "f"): return skipLiteral("false")
        case UInt8(ascii: "n"): return skipLiteral("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return skipNumber()
        default: return false
        }
    }

    private mutating func skipLiteral(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    private mutating func skipObject(depth: Int) -> Bool {
        guard depth <= maximumDepth else { return false }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), skipString() else { return false }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
            position += 1
            skipWhitespace()
            guard skipValue(depth: depth) else { return false }
            skipWhitespace()
            guard position < bytes.count else { return false }
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return true
            }
            guard bytes[position] == UInt8(ascii: ",") else { return false }
            position += 1
            skipWhitespace()
        }
    }

    private mutating func skipArray(depth: Int) -> Bool {
        guard depth <= maximumDepth else { return false }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return true
        }
        while true {
            guard skipValue(depth: depth) else { return false }
            skipWhitespace()
            guard position < bytes.count else { return false }
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return true
            }
            guard bytes[position] == UInt8(ascii: ",") else { return false }
            position += 1
            skipWhitespace()
        }
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`, the grammar ``parseNumber()`` checks.
    private mutating func skipNumber() -> Bool {
        let length = JSONNumber.grammarLength(bytes, from: position)
        guard length > 0 else { return false }
        position += length
        return true
    }

    private mutating func skipString() -> Bool {
        // Local copies: the loop then keeps them in registers instead of reloading them from `self`.
        let bytes = self.bytes
        let count = bytes.count
        guard let base = bytes.baseAddress else { return false }
        var i = position + 1
        var sawNonASCII = false
        let start = i
        while i < count {
            // Eight bytes at a time up to the first byte that is not plain ASCII text (a quote, a backslash, a
            // control character or a byte of a multi-byte character), which the byte-at-a-time path below takes.
            while count - i >= 8 {
                let special = Self.specialBytes(UInt64(littleEndian: UnsafeRawPointer(base + i).loadUnaligned(as: UInt64.self)))
                if special == 0 {
                    i += 8
                } else {
                    i += special.trailingZeroBitCount >> 3
                    break
                }
            }
            guard i < count else { break }
            let byte = base[i]
            if byte == UInt8(ascii: "\"") {
                // Escapes are ASCII, so checking the whole span checks the raw bytes between them.
                if sawNonASCII, !Self.isValidUTF8(UnsafeBufferPointer(rebasing: bytes[start..<i])) { return false }
                position = i + 1
                return true
            }
            if byte < 0x20 { return false }
            if byte >= 0x80 { sawNonASCII = true }
            if byte != UInt8(ascii: "\\") {
                i += 1
                continue
            }
            guard i + 1 < bytes.count else { return false }
            switch bytes[i + 1] {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                 UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                i += 2
            case UInt8(ascii: "u"):
                guard let unit = try? readHex4(at: i + 2) else { return false }
                i += 6
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          let low = try? readHex4(at: i + 2), (0xDC00...0xDFFF).contains(low) else { return false }
                    i += 6
                } else if (0xDC00...0xDFFF).contains(unit) {
                    return false
                }
            default:
                return false
            }
        }
        return false
    }

    /// The bytes of `word` (least significant first) that are a quote, a backslash, below 0x20 or above 0x7F:
    /// 0 when there is none; otherwise the lowest set bit is the high bit of the first such byte. (The
    /// word-at-a-time tests may also flag bytes after the first, never one before it: no plain byte borrows.)
    @inline(__always)
    static func specialBytes(_ word: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let quotes = word ^ (ones &* 0x22)
        let backslashes = word ^ (ones &* 0x5C)
        let zeroInQuotes = (quotes &- ones) & ~quotes
        let zeroInBackslashes = (backslashes &- ones) & ~backslashes
        let control = (word &- ones &* 0x20) & ~word
        return (word | zeroInQuotes | zeroInBackslashes | control) & highs
    }

    /// Whether `span` is well-formed UTF-8 (no overlong forms, surrogates or scalars above U+10FFFF), the check
    /// `String(validating:)` makes, without building a string.
    static func isValidUTF8(_ span: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let count = span.count
        while i < count {
            let lead = span[i]
            if lead < 0x80 {
                i += 1
                continue
            }
            let length: Int
            var lower: UInt8 = 0x80
            var upper: UInt8 = 0xBF
            switch lead {
            case 0xC2...0xDF: length = 2
            case 0xE0: length = 3; lower = 0xA0
            case 0xE1...0xEC, 0xEE...0xEF: length = 3
            case 0xED: length = 3; upper = 0x9F
            case 0xF0: length = 4; lower = 0x90
            case 0xF1...0xF3: length = 4
            case 0xF4: length = 4; upper = 0x8F
            default: return false
            }
            guard i + length <= count else { return false }
            // Only the first continuation byte has a narrowed range; the others are 0x80...0xBF.
            guard span[i + 1] >= lower, span[i + 1] <= upper else { return false }
            for k in 2..<length where span[i + k] & 0xC0 != 0x80 { return false }
            i += length
        }
        return true
    }
}
