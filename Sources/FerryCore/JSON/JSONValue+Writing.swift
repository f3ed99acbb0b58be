import Foundation

extension JSONValue {
    /// The value as JSON text.
    ///
    /// Compact by default (no white space), keys in insertion order, integers without a fraction. Strings are
    /// escaped so the text is also safe inside JavaScript: `"`, `\`, control characters and U+2028/U+2029.
    /// - Parameter prettyPrinted: Indent with two spaces and put each member on its own line.
    /// - Returns: The JSON text.
    public func jsonString(prettyPrinted: Bool = false) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        appendJSON(to: &bytes, prettyPrinted: prettyPrinted)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The value as UTF-8 JSON bytes; see ``jsonString(prettyPrinted:)``.
    /// - Parameter prettyPrinted: Indent with two spaces and put each member on its own line.
    /// - Returns: The JSON text as `Data`.
    public func jsonData(prettyPrinted: Bool = false) -> Data {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64)
        appendJSON(to: &bytes, prettyPrinted: prettyPrinted)
        return Data(bytes)
    }

    /// Appends the value's JSON text to a byte buffer, for code that builds larger outputs without copies.
    /// - Parameters:
    ///   - bytes: The buffer to append UTF-8 to.
    ///   - prettyPrinted: Indent with two spaces and put each member on its own line.
    public func appendJSON(to bytes: inout [UInt8], prettyPrinted: Bool = false) {
        var writer = JSONWriter(output: bytes, pretty: prettyPrinted)
        bytes = []  // Hand the buffer to the writer without a copy.
        writer.write(self, level: 0)
        bytes = writer.output
    }

    /// Appends the contents of a JSON string literal for `string` (escaped, without the surrounding quotes).
    ///
    /// This is what payload templates use to put a value inside `"..."`: quotes, backslashes, control
    /// characters and U+2028/U+2029 are escaped, everything else is copied as UTF-8.
    /// - Parameters:
    ///   - string: The text to escape.
    ///   - bytes: The buffer to append to.
    public static func appendEscaped(_ string: String, to bytes: inout [UInt8]) {
        var string = string
        string.withUTF8 { utf8 in JSONWriter.appendEscaped(utf8, to: &bytes) }
    }

    /// The contents of a JSON string literal for `string` (escaped, without quotes); see
    /// ``appendEscaped(_:to:)``.
    /// - Parameter string: The text to escape.
    /// - Returns: The escaped text.
    public static func escaped(_ string: String) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(string.utf8.count + 2)
        appendEscaped(string, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

struct JSONWriter {
    var output: [UInt8]
    let pretty: Bool

    init(output: [UInt8], pretty: Bool) {
        self.output = output
        self.pretty = pretty
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null:
            output.append(contentsOf: [0x6E, 0x75, 0x6C, 0x6C])  // null
        case .bool(let flag):
            if flag {
                output.append(contentsOf: [0x74, 0x72, 0x75, 0x65])  // true
            } else {
                output.append(contentsOf: [0x66, 0x61, 0x6C, 0x73, 0x65])  // false
            }
        case .number(let number):
            writeNumber(number)
        case .string(let string):
            writeString(string)
        case .array(let elements):
            output.append(UInt8(ascii: "["))
            if elements.isEmpty {
                output.append(UInt8(ascii: "]"))
                return
            }
            for (offset, element) in elements.enumerated() {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(element, level: level + 1)
            }
            newline(level)
            output.append(UInt8(ascii: "]"))
        case .object(let object):
            output.append(UInt8(ascii: "{"))
            if object.isEmpty {
                output.append(UInt8(ascii: "}"))
                return
            }
            let members = object.members
            for offset in members.indices {
                if offset > 0 { output.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(members[offset].key)
                output.append(UInt8(ascii: ":"))
                if pretty { output.append(UInt8(ascii: " ")) }
                write(members[offset].value, level: level + 1)
            }
            newline(level)
            output.append(UInt8(ascii: "}"))
        }
    }

    mutating func newline(_ level: Int) {
        guard pretty else { return }
        output.append(UInt8(ascii: "\n"))
        for _ in 0..<(level * 2) { output.append(UInt8(ascii: " ")) }
    }

    mutating func writeNumber(_ number: JSONNumber) {
        switch number.storage {
        case .int(let value):
            appendInteger(value)
        case .double(let value):
            if let whole = Int64(exactly: value), abs(whole) < 1 << 53 {
                // Keep ".0" so a value that was not an integer in the source stays one on the way out.
                appendInteger(whole)
                output.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
            } else {
                output.append(contentsOf: JSONNumber.shortestText(value).utf8)
            }
        case .exact(let text):
            output.append(contentsOf: text.utf8)
        }
    }

    mutating func appendInteger(_ value: Int64) {
        if value == 0 {
            output.append(UInt8(ascii: "0"))
            return
        }
        var magnitude = value.magnitude
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var digits: (UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
                     UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8) =
            (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(magnitude % 10) + UInt8(ascii: "0")
                magnitude /= 10
                count += 1
            }
            for index in stride(from: count - 1, through: 0, by: -1) { output.append(buffer[index]) }
        }
    }

    mutating func writeString(_ string: String) {
        output.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in JSONWriter.appendEscaped(utf8, to: &output) }
        output.append(UInt8(ascii: "\""))
    }

    static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    static func appendEscaped(_ utf8: UnsafeBufferPointer<UInt8>, to output: inout [UInt8]) {
        var runStart = 0
        var i = 0
        let count = utf8.count
        while i < count {
            let byte = utf8[i]
            let needsEscape: Bool
            var width = 1
            if byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") {
                needsEscape = true
            } else if byte == 0xE2, i + 2 < count, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 {
                needsEscape = true  // U+2028 LINE SEPARATOR, U+2029 PARAGRAPH SEPARATOR
                width = 3
            } else {
                needsEscape = false
            }
            guard needsEscape else {
                i += 1
                continue
            }
            if runStart < i { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i])) }
            output.append(UInt8(ascii: "\\"))
            switch byte {
            case UInt8(ascii: "\""): output.append(UInt8(ascii: "\""))
            case UInt8(ascii: "\\"): output.append(UInt8(ascii: "\\"))
            case 0x0A: output.append(UInt8(ascii: "n"))
            case 0x0D: output.append(UInt8(ascii: "r"))
            case 0x09: output.append(UInt8(ascii: "t"))
            case 0x08: output.append(UInt8(ascii: "b"))
            case 0x0C: output.append(UInt8(ascii: "f"))
            case 0xE2:
                output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "2"), UInt8(ascii: "0"), UInt8(ascii: "2")])
                output.append(utf8[i + 2] == 0xA8 ? UInt8(ascii: "8") : UInt8(ascii: "9"))
            default:
                output.append(contentsOf: [UInt8(ascii: "u"), UInt8(ascii: "0"), UInt8(ascii: "0")])
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
            i += width
            runStart = i
        }
        if runStart < count { output.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count])) }
    }
}
