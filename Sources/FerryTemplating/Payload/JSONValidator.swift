/// Checks that bytes are one strict RFC 8259 JSON value without building it, accepting exactly what
/// `JSONValue(parsing:)` accepts for text that is valid UTF-8 (rendered output always is).
///
/// `PayloadTemplate.render` must refuse output that is not JSON, but building the parsed value only to drop it
/// cost as much as the render itself. Only when this check fails does the payload go through the full parser,
/// for its error message and offset; a test compares the two on mutated JSON to keep them in step.
struct JSONValidator {
    private let bytes: UnsafeBufferPointer<UInt8>
    private let maximumDepth: Int
    private var position = 0

    /// Whether `bytes` hold one JSON value (white space around it allowed), nested at most `maximumDepth` deep.
    static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int = 512) -> Bool {
        var validator = JSONValidator(bytes: bytes, maximumDepth: maximumDepth)
        validator.skipWhitespace()
        guard validator.value(depth: 0) else { return false }
        validator.skipWhitespace()
        return validator.position == bytes.count
    }

    private init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    private mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case 0x20, 0x09, 0x0A, 0x0D: position += 1
            default: return
            }
        }
    }

    private mutating func value(depth: Int) -> Bool {
        guard position < bytes.count else { return false }
        switch bytes[position] {
        case UInt8(ascii: "\""): return string()
        case UInt8(ascii: "{"): return object(depth: depth + 1)
        case UInt8(ascii: "["): return array(depth: depth + 1)
        case UInt8(ascii: "t"): return literal("true")
        case UInt8(ascii: "f"): return literal("false")
        case UInt8(ascii: "n"): return literal("null")
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return number()
        default: return false
        }
    }

    private mutating func literal(_ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard bytes.count - position >= count else { return false }
        for offset in 0..<count where bytes[position + offset] != word.utf8Start[offset] { return false }
        position += count
        return true
    }

    private mutating func object(depth: Int) -> Bool {
        guard depth <= maximumDepth else { return false }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
            position += 1
            return true
        }
        while true {
            guard position < bytes.count, bytes[position] == UInt8(ascii: "\""), string() else { return false }
            skipWhitespace()
            guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else { return false }
            position += 1
            skipWhitespace()
            guard value(depth: depth) else { return false }
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

    private mutating func array(depth: Int) -> Bool {
        guard depth <= maximumDepth else { return false }
        position += 1
        skipWhitespace()
        if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
            position += 1
            return true
        }
        while true {
            guard value(depth: depth) else { return false }
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

    private func isDigit(_ index: Int) -> Bool {
        index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
    }

    /// `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`
    private mutating func number() -> Bool {
        var i = position
        if bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return false }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if isDigit(i) { return false }  // leading zero
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            if i < bytes.count, bytes[i] == UInt8(ascii: "+") || bytes[i] == UInt8(ascii: "-") { i += 1 }
            guard isDigit(i) else { return false }
            while isDigit(i) { i += 1 }
        }
        position = i
        return true
    }

    private func hex4(at index: Int) -> UInt16? {
        guard index + 4 <= bytes.count else { return nil }
        var unit: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[index + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            unit = unit << 4 | UInt16(digit)
        }
        return unit
    }

    private mutating func string() -> Bool {
        var i = position + 1
        while i < bytes.count {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return true
            }
            if byte < 0x20 { return false }
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
                guard let unit = hex4(at: i + 2) else { return false }
                i += 6
                if (0xD800...0xDBFF).contains(unit) {
                    guard i + 1 < bytes.count, bytes[i] == UInt8(ascii: "\\"), bytes[i + 1] == UInt8(ascii: "u"),
                          let low = hex4(at: i + 2), (0xDC00...0xDFFF).contains(low) else { return false }
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
}
