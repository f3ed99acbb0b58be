/// A decimal number `significand × 10^exponent`, for float arithmetic that matches Shopify Liquid's `BigDecimal`
/// results (`10.1 + 2.2 == 12.3`, `1e20 | floor` is the integer `100000000000000000000`).
///
/// Ruby Liquid turns a float operand into `BigDecimal(float.to_s)`, so operands are read from the shortest text of
/// their `Double` and the arithmetic is exact on the digits a reader sees. The significand has any size, and a zero
/// keeps its sign as `BigDecimal` (and IEEE) do: `0 | times: -0.5` is `-0.0`.
struct LiquidDecimal: Sendable {
    var significand: LiquidBigInt
    var exponent: Int
    /// The sign of a zero significand (`-0.0`); ignored otherwise.
    var isNegativeZero: Bool

    init(significand: LiquidBigInt, exponent: Int, isNegativeZero: Bool = false) {
        self.significand = significand
        self.exponent = exponent
        self.isNegativeZero = significand.isZero && isNegativeZero
    }

    /// The decimal for an integer.
    init(_ value: LiquidBigInt) {
        self.init(significand: value, exponent: 0)
    }

    /// The decimal for the shortest text of a finite `Double`; `nil` for infinities and NaN.
    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        // Whole doubles below 2^53 are their own shortest text; larger ones are read from their shortest digits,
        // as `BigDecimal(float.to_s)` does (1.2345678901234568e18 is 1234567890123456800, not ...768).
        if value.magnitude < 9_007_199_254_740_992, let whole = Int(exactly: value), whole != 0 || value.sign == .plus {
            self.init(significand: LiquidBigInt(whole), exponent: 0)
            return
        }
        let split = LiquidFloatText.digits(of: value)
        guard let digits = LiquidBigInt(decimal: split.digits) else { return nil }
        self.init(significand: split.isNegative ? -digits : digits, exponent: split.pointPosition - split.digits.count,
                  isNegativeZero: split.isNegative)
    }

    /// Reads `-?[0-9]+\.[0-9]+` exactly (Ruby Liquid reads such strings with `BigDecimal(string)`).
    init?<Bytes: Collection>(exactText bytes: Bytes) where Bytes.Element == UInt8 {
        var digits: [UInt8] = []
        var fractionDigits = 0
        var seenPoint = false
        var negative = false
        for byte in bytes {
            if byte == UInt8(ascii: "-"), digits.isEmpty, !negative {
                negative = true
            } else if byte == UInt8(ascii: "."), !seenPoint {
                seenPoint = true
            } else if byte.isASCIIDigit {
                digits.append(byte)
                if seenPoint { fractionDigits += 1 }
            } else {
                return nil
            }
        }
        guard let magnitude = LiquidBigInt(decimal: digits) else { return nil }
        self.init(significand: negative ? -magnitude : magnitude, exponent: -fractionDigits, isNegativeZero: negative)
    }

    /// The decimal for a Liquid number.
    init?(_ number: LiquidNumber) {
        switch number {
        case .decimal(let value): self = value
        case .int(let value): self.init(LiquidBigInt(value))
        case .big(let value): self.init(value)
        case .float(let value): self.init(value)
        }
    }

    /// Whether the value is below zero, or is a negative zero.
    var hasNegativeSign: Bool { significand.isZero ? isNegativeZero : significand.isNegative }

    /// The nearest `Double` (correctly rounded: Swift's `Double(String)` reads the exact decimal).
    var doubleValue: Double {
        if significand.isZero { return isNegativeZero ? -0.0 : 0.0 }
        if let small = significand.intValue, small.magnitude < (1 << 53), exponent.magnitude <= 22 {
            // Both operands are exact doubles, and IEEE multiplication and division round correctly.
            var scale = 1.0
            for _ in 0..<exponent.magnitude { scale *= 10 }
            return exponent >= 0 ? Double(small) * scale : Double(small) / scale
        }
        return Double("\(significand)e\(exponent)") ?? (significand.isNegative ? -.infinity : .infinity)
    }

    /// The significand rewritten for a smaller or equal exponent.
    private func significand(at target: Int) -> LiquidBigInt {
        exponent == target || significand.isZero ? significand : significand * LiquidBigInt.tenToThe(exponent - target)
    }

    static func + (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal {
        let exponent = min(a.exponent, b.exponent)
        // IEEE and BigDecimal: a zero sum is negative only when both operands are negative zeros.
        return LiquidDecimal(significand: a.significand(at: exponent) + b.significand(at: exponent), exponent: exponent,
                             isNegativeZero: a.hasNegativeSign && b.hasNegativeSign)
    }

    static prefix func - (value: LiquidDecimal) -> LiquidDecimal {
        LiquidDecimal(significand: -value.significand, exponent: value.exponent,
                      isNegativeZero: !value.hasNegativeSign)
    }

    static func - (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal { a + -b }

    static func * (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal {
        LiquidDecimal(significand: a.significand * b.significand, exponent: a.exponent + b.exponent,
                      isNegativeZero: a.hasNegativeSign != b.hasNegativeSign)
    }

    /// The quotient to 40 significant digits (truncated), as `BigDecimal#/` computes it before Liquid turns it
    /// into a float: `3.1 | divided_by: 7` is `0.44285714285714284`, where `Double` division gives
    /// `0.4428571428571429`. `nil` when the divisor is zero.
    func divided(by divisor: LiquidDecimal) -> LiquidDecimal? {
        guard !divisor.significand.isZero else { return nil }
        let digits = significand.description.utf8.count
        let divisorDigits = divisor.significand.description.utf8.count
        let scale = max(0, 40 + divisorDigits - digits)
        let (quotient, _) = (significand.magnitude * LiquidBigInt.tenToThe(scale)).flooredDivision(by: divisor.significand.magnitude)
            ?? (LiquidBigInt(0), LiquidBigInt(0))
        let negative = hasNegativeSign != divisor.hasNegativeSign
        return LiquidDecimal(significand: negative ? -quotient : quotient, exponent: exponent - divisor.exponent - scale,
                             isNegativeZero: negative)
    }

    /// The floored remainder (the sign of the divisor, as Ruby's `%`); `nil` when the divisor is zero.
    func floorRemainder(dividingBy divisor: LiquidDecimal) -> LiquidDecimal? {
        let exponent = min(self.exponent, divisor.exponent)
        guard let (_, remainder) = significand(at: exponent).flooredDivision(by: divisor.significand(at: exponent)) else {
            return nil
        }
        // A zero remainder is +0, as BigDecimal's (`-0.0 | modulo: 7` is `0.0`).
        return LiquidDecimal(significand: remainder, exponent: exponent)
    }

    /// Rounded to `places` digits after the point, halves away from zero (Ruby's `BigDecimal#round`).
    func rounded(toPlaces places: Int) -> LiquidDecimal {
        let drop = -places - exponent
        guard drop > 0 else { return self }
        // Dropping more digits than there are rounds to zero; never build 10^drop for `round: -1000000`.
        guard drop <= significand.description.utf8.count else {
            return LiquidDecimal(significand: LiquidBigInt(0), exponent: 0, isNegativeZero: hasNegativeSign)
        }
        let divisor = LiquidBigInt.tenToThe(drop)
        let magnitude = significand.magnitude
        guard let (quotient, remainder) = magnitude.flooredDivision(by: divisor) else { return self }
        var rounded = quotient
        if !(remainder + remainder < divisor) { rounded = rounded + LiquidBigInt(1) }
        return LiquidDecimal(significand: significand.isNegative ? -rounded : rounded, exponent: -places,
                             isNegativeZero: hasNegativeSign)
    }

    /// Rounded towards negative infinity (`floor`) or positive infinity (`ceil`) to a whole number.
    func integral(roundingUp: Bool) -> LiquidBigInt {
        guard exponent < 0 else { return significand(at: 0) }
        guard let (quotient, remainder) = significand.flooredDivision(by: LiquidBigInt.tenToThe(-exponent)) else {
            return significand
        }
        return roundingUp && !remainder.isZero ? quotient + LiquidBigInt(1) : quotient
    }
}
