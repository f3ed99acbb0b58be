import Foundation

/// Limits and choices for ``JSONValue/init(parsing:options:)-(Data,_)``.
public struct JSONParsingOptions: Sendable, Hashable {
    /// The deepest nesting of arrays and objects accepted. The default, 512, is far beyond any real payload and
    /// keeps recursion well inside a thread's stack.
    public var maximumDepth: Int

    /// Creates parsing options.
    /// - Parameter maximumDepth: The deepest nesting of arrays and objects accepted (default 512).
    public init(maximumDepth: Int = 512) {
        self.maximumDepth = maximumDepth
    }

    /// The default options.
    public static let `default` = JSONParsingOptions()
}

extension JSONValue {
    /// Parses strict RFC 8259 JSON.
    ///
    /// Rejected, each with the byte offset and what was expected: invalid UTF-8, lone surrogates in `\u`
    /// escapes, trailing commas, leading zeros, `NaN` and `Infinity`, comments, raw control characters in
    /// strings, nesting deeper than `options.maximumDepth`, and anything after the value. A repeated object key
    /// keeps its first position and its last value.
    /// - Parameters:
    ///   - data: UTF-8 JSON text.
    ///   - options: Parsing limits.
    /// - Throws: ``JSONParseError``.
    public init(parsing data: Data, options: JSONParsingOptions = .default) throws(JSONParseError) {
        let result: Result<JSONValue, JSONParseError> = data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var parser = JSONParser(bytes: bytes, maximumDepth: options.maximumDepth)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        self = try result.get()
    }

    /// Parses strict RFC 8259 JSON from a string.
    /// - Parameters:
    ///   - text: The JSON text.
    ///   - options: Parsing limits.
    /// - Throws: ``JSONParseError``.
    public init(parsing text: String, options: JSONParsingOptions = .default) throws(JSONParseError) {
        var text = text
        let result: Result<JSONValue, JSONParseError> = text.withUTF8 { bytes in
            var parser = JSONParser(bytes: bytes, maximumDepth: options.maximumDepth)
            return Result { () throws(JSONParseError) in try parser.parseDocument() }
        }
        self = try result.get()
    }
}

/// A recursive-descent parser over UTF-8 bytes.
struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    let maximumDepth: Int
    var position = 0
    /// Reused for strings with escapes, so most strings cost one allocation: their own.
    var scratch: [UInt8] = []

    init(bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) {
        self.bytes = bytes
        self.maximumDepth = maximumDepth
    }

    mutating func parseDocument() throws(JSONParseError) -> JSONValue {
        skipWhitespace()
        let value = try parseValue(depth: 0)
        skipWhitespace()
        if position < bytes.count {
            if bytes[position] == UInt8(ascii: "/") { throw commentError() }
            throw JSONParseError(
                .trailingData, at: position,
                "unexpected \(describeByte(at: position)) after the JSON value; a document holds exactly one value")
        }
        return value
    }

    // MARK: - Values

    mutating func parseValue(depth: Int) throws(JSONParseError) -> JSONValue {
        guard position < bytes.count else {
            throw JSONParseError(.unexpectedEnd, at: position, "unexpected end of input; expected a value")
        }
        switch bytes[position] {
        case UInt8(ascii: "\""):
            return .string(try parseString())
        case UInt8(ascii: "{"):
            return try parseObject(depth: depth + 1)
        case UInt8(ascii: "["):
            return try parseArray(depth: depth + 1)
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        case UInt8(ascii: "n"):
            try expectLiteral("null")
            return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return .number(try parseNumber())
        case UInt8(ascii: "/"):
            throw commentError()
        case UInt8(ascii: "N"), UInt8(ascii: "I"):
            throw JSONParseError(
                .unexpectedCharacter, at: position,
                "NaN and Infinity are not JSON numbers; expected a value (send null or a string instead)")
        default:
            throw JSONParseError(
                .unexpectedCharacter, at: position,
                "unexpected \(describeByte(at: position)); expected a value (string, number, object, array, true, false or null)")
        }
    }

    mutating func parseObject(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else {
            throw JSONParseError(
                .tooDeep, at: position, "arrays and objects are nested deeper than the limit of \(maximumDepth)")
        }
        position += 1  // {
        var object = JSONObject()
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "}") {
            position += 1
            return .object(object)
        }
        while true {
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd, at: position, "unexpected end of input; expected an object key")
            }
            guard bytes[position] == UInt8(ascii: "\"") else {
                if bytes[position] == UInt8(ascii: "}") {
                    throw JSONParseError(
                        .trailingComma, at: position,
                        "trailing comma before '}'; remove the comma after the last member")
                }
                if bytes[position] == UInt8(ascii: "/") { throw commentError() }
                throw JSONParseError(
                    .unexpectedCharacter, at: position,
                    "unexpected \(describeByte(at: position)); expected an object key in double quotes")
            }
            let key = try parseString()
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd, at: position, "unexpected end of input; expected ':' after an object key")
            }
            guard bytes[position] == UInt8(ascii: ":") else {
                throw JSONParseError(
                    .unexpectedCharacter, at: position,
                    "unexpected \(describeByte(at: position)); expected ':' after the object key \"\(key.prefix(40))\"")
            }
            position += 1
            skipWhitespace()
            let value = try parseValue(depth: depth)
            if object.count > 0 && object.position(of: key) != nil {
                object[key] = value
            } else {
                object.appendUnchecked(key, value)
            }
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd, at: position, "unexpected end of input; expected ',' or '}' in an object")
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "}"):
                position += 1
                return .object(object)
            case UInt8(ascii: "/"):
                throw commentError()
            default:
                throw JSONParseError(
                    .unexpectedCharacter, at: position,
                    "unexpected \(describeByte(at: position)); expected ',' or '}' after an object member")
            }
        }
    }

    mutating func parseArray(depth: Int) throws(JSONParseError) -> JSONValue {
        guard depth <= maximumDepth else {
            throw JSONParseError(
                .tooDeep, at: position, "arrays and objects are nested deeper than the limit of \(maximumDepth)")
        }
        position += 1  // [
        var elements: [JSONValue] = []
        skipWhitespace()
        if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
            position += 1
            return .array(elements)
        }
        while true {
            skipWhitespace()
            if position < bytes.count && bytes[position] == UInt8(ascii: "]") {
                throw JSONParseError(
                    .trailingComma, at: position, "trailing comma before ']'; remove the comma after the last element")
            }
            elements.append(try parseValue(depth: depth))
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONParseError(.unexpectedEnd, at: position, "unexpected end of input; expected ',' or ']' in an array")
            }
            switch bytes[position] {
            case UInt8(ascii: ","):
                position += 1
            case UInt8(ascii: "]"):
                position += 1
                return .array(elements)
            case UInt8(ascii: "/"):
                throw commentError()
            default:
                throw JSONParseError(
                    .unexpectedCharacter, at: position,
                    "unexpected \(describeByte(at: position)); expected ',' or ']' after an array element")
            }
        }
    }

    // MARK: - Scalars

    mutating func expectLiteral(_ literal: StaticString) throws(JSONParseError) {
        let start = position
        let count = literal.utf8CodeUnitCount
        let matches: Bool = literal.withUTF8Buffer { expected in
            guard start + count <= bytes.count else { return false }
            for offset in 0..<count where bytes[start + offset] != expected[offset] { return false }
            return true
        }
        guard matches else {
            if start + count > bytes.count {
                let prefixMatches = literal.withUTF8Buffer { expected in
                    (start..<bytes.count).allSatisfy { bytes[$0] == expected[$0 - start] }
                }
                if prefixMatches {
                    throw JSONParseError(.unexpectedEnd, at: bytes.count, "unexpected end of input inside '\(literal)'")
                }
            }
            throw JSONParseError(
                .unexpectedCharacter, at: start, "unexpected \(describeByte(at: start)); expected '\(literal)' or another value")
        }
        position += count
    }

    mutating func parseNumber() throws(JSONParseError) -> JSONNumber {
        let start = position
        var i = position
        let end = bytes.count
        var negative = false
        if bytes[i] == UInt8(ascii: "-") {
            negative = true
            i += 1
        }
        guard i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") else {
            throw JSONParseError(.invalidNumber, at: i, "expected a digit after '-' in a number")
        }
        // Fast path: a plain integer of up to 18 digits accumulates without overflow.
        var accumulator: Int64 = 0
        let digitsStart = i
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
            if i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                throw JSONParseError(.leadingZero, at: start, "numbers cannot have leading zeros (write 12, not 012, or send it as a string)")
            }
        } else {
            while i < end, bytes[i] >= UInt8(ascii: "0"), bytes[i] <= UInt8(ascii: "9") {
                if i - digitsStart < 18 { accumulator = accumulator &* 10 &+ Int64(bytes[i] &- UInt8(ascii: "0")) }
                i += 1
            }
        }
        let integerDigits = i - digitsStart
        let isPlainInteger = i >= end
            || (bytes[i] != UInt8(ascii: ".") && bytes[i] != UInt8(ascii: "e") && bytes[i] != UInt8(ascii: "E"))
        if isPlainInteger && integerDigits <= 18 {
            position = i
            return JSONNumber(storage: .int(negative ? -accumulator : accumulator))
        }
        let length = JSONNumber.grammarLength(bytes, from: start)
        guard length > 0 else { throw malformedNumber(afterIntegerAt: i) }
        position = start + length
        return JSONNumber(validatedText: UnsafeBufferPointer(rebasing: bytes[start..<position]))
    }

    /// Finds where a number that failed the grammar went wrong: a '.' or exponent without digits after it.
    func malformedNumber(afterIntegerAt i: Int) -> JSONParseError {
        func isDigit(_ index: Int) -> Bool {
            index < bytes.count && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        var j = i
        if j < bytes.count && bytes[j] == UInt8(ascii: ".") {
            j += 1
            guard isDigit(j) else {
                return JSONParseError(.invalidNumber, at: j, "expected a digit after the decimal point, found \(describeByte(at: j))")
            }
            while isDigit(j) { j += 1 }
        }
        // Only an exponent is left to have failed.
        j += 1
        if j < bytes.count && (bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-")) { j += 1 }
        return JSONParseError(.invalidNumber, at: j, "expected a digit in the exponent, found \(describeByte(at: j))")
    }

    mutating func parseString() throws(JSONParseError) -> String {
        let open = position
        position += 1  // opening quote
        let start = position
        var i = position
        let end = bytes.count
        var sawNonASCII = false
        // Fast path: no escapes.
        while i < end {
            let byte = bytes[i]
            if byte == UInt8(ascii: "\"") {
                position = i + 1
                return try makeString(UnsafeBufferPointer(rebasing: bytes[start..<i]), checkUTF8: sawNonASCII)
            }
            if byte == UInt8(ascii: "\\") { break }
            if byte < 0x20 { throw controlCharacterError(at: i) }
            if byte >= 0x80 { sawNonASCII = true }
            i += 1
        }
        guard i < end else {
            throw JSONParseError(.unexpectedEnd, at: end, "unexpected end of input inside the string that starts at byte \(open)")
        }
        // Slow path: copy with escapes decoded.
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<i]))
        while i < end {
            let byte = bytes[i]
            switch byte {
            case UInt8(ascii: "\""):
                position = i + 1
                let checkUTF8 = sawNonASCII
                return try scratch.withUnsafeBufferPointer { buffer throws(JSONParseError) in
                    try makeString(buffer, checkUTF8: checkUTF8, offsetBase: start)
                }
            case UInt8(ascii: "\\"):
                i = try decodeEscape(at: i)
            case 0..<0x20:
                throw controlCharacterError(at: i)
            default:
                if byte >= 0x80 { sawNonASCII = true }
                scratch.append(byte)
                i += 1
            }
        }
        throw JSONParseError(.unexpectedEnd, at: end, "unexpected end of input inside the string that starts at byte \(open)")
    }

    /// Decodes the escape at `i` into `scratch`; returns the index after it.
    mutating func decodeEscape(at i: Int) throws(JSONParseError) -> Int {
        let end = bytes.count
        guard i + 1 < end else {
            throw JSONParseError(.unexpectedEnd, at: end, "unexpected end of input inside an escape sequence")
        }
        switch bytes[i + 1] {
        case UInt8(ascii: "\""): scratch.append(UInt8(ascii: "\""))
        case UInt8(ascii: "\\"): scratch.append(UInt8(ascii: "\\"))
        case UInt8(ascii: "/"): scratch.append(UInt8(ascii: "/"))
        case UInt8(ascii: "b"): scratch.append(0x08)
        case UInt8(ascii: "f"): scratch.append(0x0C)
        case UInt8(ascii: "n"): scratch.append(0x0A)
        case UInt8(ascii: "r"): scratch.append(0x0D)
        case UInt8(ascii: "t"): scratch.append(0x09)
        case UInt8(ascii: "u"):
            let unit = try readHex4(at: i + 2)
            var scalarValue = UInt32(unit)
            var next = i + 6
            if (0xD800...0xDBFF).contains(unit) {
                guard next + 1 < end, bytes[next] == UInt8(ascii: "\\"), bytes[next + 1] == UInt8(ascii: "u") else {
                    throw JSONParseError(
                        .loneSurrogate, at: i,
                        "lone high surrogate \\u\(String(unit, radix: 16, uppercase: true)); it must be followed by a \\u escape of a low surrogate")
                }
                let low = try readHex4(at: next + 2)
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw JSONParseError(
                        .loneSurrogate, at: i,
                        "high surrogate \\u\(String(unit, radix: 16, uppercase: true)) is followed by \\u\(String(low, radix: 16, uppercase: true)), which is not a low surrogate")
                }
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
                next += 6
            } else if (0xDC00...0xDFFF).contains(unit) {
                throw JSONParseError(
                    .loneSurrogate, at: i,
                    "lone low surrogate \\u\(String(unit, radix: 16, uppercase: true)) without a high surrogate before it")
            }
            // The checks above exclude surrogates, so every value here is a valid scalar.
            guard let scalar = Unicode.Scalar(scalarValue) else {
                throw JSONParseError(.invalidEscape, at: i, "escape does not name a Unicode scalar")
            }
            appendUTF8(scalar)
            return next
        default:
            throw JSONParseError(
                .invalidEscape, at: i,
                "invalid escape '\\\(describeRaw(bytes[i + 1]))'; JSON allows \\\" \\\\ \\/ \\b \\f \\n \\r \\t and \\uXXXX")
        }
        return i + 2
    }

    func readHex4(at i: Int) throws(JSONParseError) -> UInt16 {
        guard i + 4 <= bytes.count else {
            throw JSONParseError(.unexpectedEnd, at: bytes.count, "unexpected end of input inside a \\u escape")
        }
        var value: UInt16 = 0
        for offset in 0..<4 {
            let byte = bytes[i + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default:
                throw JSONParseError(
                    .invalidEscape, at: i + offset, "a \\u escape needs four hex digits; found \(describeByte(at: i + offset))")
            }
            value = value << 4 | UInt16(digit)
        }
        return value
    }

    func makeString(
        _ buffer: UnsafeBufferPointer<UInt8>, checkUTF8: Bool, offsetBase: Int? = nil
    ) throws(JSONParseError) -> String {
        guard checkUTF8 else { return String(decoding: buffer, as: UTF8.self) }
        if let string = String(validating: buffer, as: UTF8.self) { return string }
        // Find the first bad byte for the message. For strings with escapes the offset is approximate (the start
        // of the string); for plain strings it is exact.
        var iterator = buffer.makeIterator()
        var decoder = UTF8()
        var consumed = 0
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let scalar): consumed += UTF8.width(scalar)
            case .emptyInput: break loop
            case .error: break loop
            }
        }
        let offset: Int
        if let offsetBase {
            offset = offsetBase
        } else if let start = buffer.baseAddress, let origin = bytes.baseAddress {
            offset = start - origin + consumed
        } else {
            offset = 0
        }
        throw JSONParseError(.invalidUTF8, at: offset, "invalid UTF-8 in a string; the input must be UTF-8 encoded")
    }

    // MARK: - Helpers

    mutating func appendUTF8(_ scalar: Unicode.Scalar) {
        let value = scalar.value
        switch value {
        case 0..<0x80:
            scratch.append(UInt8(value))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | (value >> 6)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | (value >> 12)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        default:
            scratch.append(UInt8(0xF0 | (value >> 18)))
            scratch.append(UInt8(0x80 | ((value >> 12) & 0x3F)))
            scratch.append(UInt8(0x80 | ((value >> 6) & 0x3F)))
            scratch.append(UInt8(0x80 | (value & 0x3F)))
        }
    }

    mutating func skipWhitespace() {
        while position < bytes.count {
            switch bytes[position] {
            case UInt8(ascii: " "), UInt8(ascii: "\n"), UInt8(ascii: "\r"), UInt8(ascii: "\t"): position += 1
            default: return
            }
        }
    }

    func commentError() -> JSONParseError {
        JSONParseError(.comment, at: position, "comments are not allowed in JSON; remove the '/' comment")
    }

    func controlCharacterError(at i: Int) -> JSONParseError {
        JSONParseError(
            .controlCharacter, at: i,
            "raw control character U+\(String(format: "%04X", bytes[i])) inside a string; escape it (\\n, \\t, \\u00XX)")
    }

    func describeByte(at i: Int) -> String {
        guard i < bytes.count else { return "end of input" }
        return "'\(describeRaw(bytes[i]))'"
    }

    func describeRaw(_ byte: UInt8) -> String {
        if byte >= 0x20 && byte < 0x7F { return String(UnicodeScalar(byte)) }
        return String(format: "\\x%02X", byte)
    }
}
