import FerryCore

extension Renderer {
    /// Writes a value as the output tag's context requires.
    @inline(__always)
    mutating func write(_ value: Value, _ escaping: OutputEscaping, at offset: Int) throws(RenderFailure) {
        switch escaping {
        case .text:
            try writeText(value, at: offset)
        case .jsonString:
            if case .string(var text) = value {
                // Most strings need no escaping: one word-at-a-time scan, then a plain copy.
                let plain = text.withUTF8 { bytes in
                    guard JSONEscapeScan.isPlain(bytes) else { return false }
                    output.append(contentsOf: bytes)
                    return true
                }
                if !plain { JSONValue.appendEscaped(text, to: &output) }
            } else {
                var buffer: [UInt8] = []
                Renderer.appendText(value, to: &buffer)
                JSONValue.appendEscaped(String(decoding: buffer, as: UTF8.self), to: &output)
            }
        case .jsonValue:
            if case .number(let number) = value {
                number.appendLiquidText(to: &output)  // the same float text as text mode: 1.0e+20, -0.0
            } else {
                try json(of: value, at: offset).appendJSON(to: &output)
            }
        }
    }

    /// Writes a value as Liquid text: strings as they are, numbers in their shortest form, nil as nothing,
    /// arrays as their elements one after another.
    @inline(__always)
    mutating func writeText(_ value: Value, at offset: Int) throws(RenderFailure) {
        Renderer.appendText(value, to: &output)
    }

    static func appendText(_ value: Value, to output: inout [UInt8]) {
        switch value {
        case .string(var text):
            text.withUTF8 { output.append(contentsOf: $0) }
        case .number(let number):
            appendNumber(number, to: &output)
        case .bool(let flag):
            output.append(contentsOf: flag ? Renderer.trueBytes : Renderer.falseBytes)
        case .array(let array):
            for element in array { appendText(Value(element), to: &output) }
        case .object(let object):
            JSONValue.object(object).appendJSON(to: &output)
        case .range(let low, let high):
            output.append(contentsOf: "\(low)..\(high)".utf8)
        case .null, .undefined, .blank, .empty, .loop, .tableLoop:
            break
        }
    }

    static let trueBytes: [UInt8] = Array("true".utf8)
    static let falseBytes: [UInt8] = Array("false".utf8)

    static func appendNumber(_ number: JSONNumber, to output: inout [UInt8]) {
        number.appendLiquidText(to: &output)
    }

    @inline(__always)
    static func appendInteger(_ value: Int, to output: inout [UInt8]) {
        if value >= 0 && value < 10 {
            output.append(UInt8(truncatingIfNeeded: value) &+ 0x30)
            return
        }
        var magnitude = value.magnitude
        if value < 0 { output.append(UInt8(ascii: "-")) }
        var digits: (UInt64, UInt64, UInt64) = (0, 0, 0)
        var count = 0
        withUnsafeMutableBytes(of: &digits) { buffer in
            while magnitude > 0 {
                buffer[count] = UInt8(truncatingIfNeeded: magnitude % 10) &+ 0x30
                magnitude /= 10
                count += 1
            }
            var index = count
            while index > 0 {
                index -= 1
                output.append(buffer[index])
            }
        }
    }
}
