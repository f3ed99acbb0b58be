/// Floats as Ruby's `Float#to_s` writes them, the one float formatter of the template engine (output tags,
/// `append`, `join`, JSON payload mode all use it).
///
/// Ruby writes the shortest digits that read back as the same `Double` (Swift's `description` finds the same
/// digits), then chooses the layout from the decimal exponent: fixed notation with at least one digit after the
/// point for whole numbers below `1e15`, numbers with a fraction below `1e16` (`1234567890123458.5`) and values
/// from `0.0001` up, and exponent form with a two-digit exponent otherwise (`1.0e+15`, `1.0e-05`,
/// `1.234567890123456e+15`; checked against Ruby 3.1). Zero keeps its sign (`-0.0`).
enum LiquidFloatText {
    /// The shortest round-trip digits of a finite `Double` and where the point goes: the value is
    /// `0.d₁d₂… × 10^pointPosition` (Ruby's `decpt`).
    struct Digits {
        var isNegative: Bool
        /// ASCII digits without leading or trailing zeros ("0" for zero).
        var digits: [UInt8]
        var pointPosition: Int
    }

    /// Splits Swift's shortest text (`1.5e-07`, `123.25`, `0.001`) into digits and point position.
    static func digits(of value: Double) -> Digits {
        var isNegative = false
        var digits: [UInt8] = []
        var pointPosition = 0
        var seenPoint = false
        var exponent = 0
        var exponentNegative = false
        var inExponent = false
        for byte in value.description.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { isNegative = true }
            case UInt8(ascii: "+"):
                continue
            case UInt8(ascii: "."):
                seenPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            default:
                let digit = byte &- UInt8(ascii: "0")
                if inExponent {
                    exponent = exponent * 10 + Int(digit)
                } else if digits.isEmpty && digit == 0 {
                    if seenPoint { pointPosition -= 1 }  // leading zeros after the point move it left
                } else {
                    digits.append(byte)
                    if !seenPoint { pointPosition += 1 }
                }
            }
        }
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        if digits.isEmpty { return Digits(isNegative: isNegative, digits: [UInt8(ascii: "0")], pointPosition: 1) }
        pointPosition += exponentNegative ? -exponent : exponent
        return Digits(isNegative: isNegative, digits: digits, pointPosition: pointPosition)
    }

    /// Appends Ruby's `Float#to_s` of `value`; non-finite values as Ruby writes them (`Infinity`, `NaN`).
    static func append(_ value: Double, to output: inout [UInt8]) {
        if value.isNaN {
            output.append(contentsOf: "NaN".utf8)
            return
        }
        if value.isInfinite {
            output.append(contentsOf: (value < 0 ? "-Infinity" : "Infinity").utf8)
            return
        }
        let split = digits(of: value)
        let digits = split.digits
        let point = split.pointPosition
        if split.isNegative { output.append(UInt8(ascii: "-")) }
        // Ruby 3.1 writes a whole number in fixed notation up to 15 digits, and a number with a fraction when
        // the point falls within 16 digits (1234567890123458.5); checked value by value against `Float#to_s`.
        if point > 0 && (point <= 15 || (point == 16 && digits.count > 16)) {
            // Fixed: the digits with the point inside or zeros padded before it, and ".0" when whole.
            if digits.count <= point {
                output.append(contentsOf: digits)
                for _ in digits.count..<point { output.append(UInt8(ascii: "0")) }
                output.append(contentsOf: [UInt8(ascii: "."), UInt8(ascii: "0")])
            } else {
                output.append(contentsOf: digits[..<point])
                output.append(UInt8(ascii: "."))
                output.append(contentsOf: digits[point...])
            }
        } else if point <= 0 && point > -4 {
            output.append(contentsOf: [UInt8(ascii: "0"), UInt8(ascii: ".")])
            for _ in 0 ..< -point { output.append(UInt8(ascii: "0")) }
            output.append(contentsOf: digits)
        } else {
            output.append(digits[0])
            output.append(UInt8(ascii: "."))
            if digits.count > 1 { output.append(contentsOf: digits[1...]) } else { output.append(UInt8(ascii: "0")) }
            output.append(UInt8(ascii: "e"))
            let exponent = point - 1
            output.append(UInt8(ascii: exponent < 0 ? "-" : "+"))
            if exponent.magnitude < 10 { output.append(UInt8(ascii: "0")) }
            output.append(contentsOf: String(exponent.magnitude).utf8)
        }
    }

    /// Ruby's `Float#to_s` of `value`.
    static func text(_ value: Double) -> String {
        var bytes: [UInt8] = []
        append(value, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
