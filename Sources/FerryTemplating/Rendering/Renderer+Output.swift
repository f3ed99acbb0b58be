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

    /// Writes an output tag whose last filter is `downcase` or `upcase` (see ``FilteredExpression/endsWithCaseMapping``):
    /// ASCII text is mapped as it is copied to the output, instead of into a new string that is then copied;
    /// anything else (text with other characters, text that needs JSON escaping, other values, a JSON value
    /// position) runs the filter's closure and is written as usual.
    mutating func writeMappingCase(_ expression: FilteredExpression, _ escaping: OutputEscaping) throws(RenderFailure) {
        let last = expression.filters.count - 1
        let value = try evaluate(expression, filterCount: last)
        if escaping != .jsonValue, case .string(var text) = value {
            let upper: Bool
            if case .upcase = expression.endsWithCaseMapping { upper = true } else { upper = false }
            let limit = limits.maximumOutputBytes
            let written = text.withUTF8 { bytes in
                // Past the limit, the filter's own check reports it; ASCII case mapping never changes whether
                // a byte needs JSON escaping, so the scan of the input stands for the output.
                guard bytes.count <= limit, escaping == .text || JSONEscapeScan.isPlain(bytes) else { return false }
                return UTF8Text.appendMappingASCIICase(bytes, upper: upper, to: &output)
            }
            if written { return }
        }
        let mapped = try apply(expression.filters[last], to: value)
        try write(mapped, escaping, at: expression.offset)
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
