/// A decimal number `significand × 10^exponent`, for float arithmetic that matches Shopify Liquid's
/// `BigDecimal` results (`10.1 + 2.2 == 12.3`).
///
/// Operands are read from the shortest text of their `Double`, so the arithmetic is exact on the digits a
/// reader sees; results that do not fit an `Int64` significand report `nil` and callers fall back to `Double`.
struct LiquidDecimal: Sendable, Equatable {
    var significand: Int64
    var exponent: Int

    static let powersOfTen: [Int64] = {
        var powers: [Int64] = [1]
        for _ in 1...18 { powers.append(powers[powers.count - 1] * 10) }
        return powers
    }()

    init(significand: Int64, exponent: Int) {
        self.significand = significand
        self.exponent = exponent
    }

    /// The decimal for an integer.
    init(_ value: Int) {
        significand = Int64(value)
        exponent = 0
    }

    /// The decimal for the shortest text of a finite `Double`; `nil` for non-finite values or more digits than
    /// an `Int64` holds.
    init?(_ value: Double) {
        guard value.isFinite else { return nil }
        if let whole = Int64(exactly: value) {
            self.init(significand: whole, exponent: 0)
            return
        }
        var significand: Int64 = 0
        var exponent = 0
        var negative = false
        var exponentPart = 0
        var exponentNegative = false
        var inExponent = false
        var afterPoint = false
        for byte in value.description.utf8 {
            switch byte {
            case UInt8(ascii: "-"):
                if inExponent { exponentNegative = true } else { negative = true }
            case UInt8(ascii: "+"):
                continue
            case UInt8(ascii: "."):
                afterPoint = true
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                inExponent = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"):
                let digit = Int64(byte - UInt8(ascii: "0"))
                if inExponent {
                    exponentPart = exponentPart * 10 + Int(digit)
                } else {
                    let (times, o1) = significand.multipliedReportingOverflow(by: 10)
                    let (sum, o2) = times.addingReportingOverflow(digit)
                    if o1 || o2 { return nil }
                    significand = sum
                    if afterPoint { exponent -= 1 }
                }
            default:
                return nil
            }
        }
        self.init(significand: negative ? -significand : significand,
                  exponent: exponent + (exponentNegative ? -exponentPart : exponentPart))
    }

    /// The decimal for a Liquid number.
    init?(_ number: LiquidNumber) {
        switch number {
        case .int(let value): self.init(value)
        case .float(let value): self.init(value)
        }
    }

    /// The nearest `Double`.
    var doubleValue: Double {
        if significand.magnitude < (1 << 53), exponent.magnitude <= 22 {
            // Both operands are exact doubles, and IEEE multiplication and division round correctly.
            let base = Double(significand)
            let scale = pow10(Int(exponent.magnitude))
            return exponent >= 0 ? base * scale : base / scale
        }
        return Double("\(significand)e\(exponent)") ?? Double(significand)
    }

    private func pow10(_ power: Int) -> Double {
        var result = 1.0
        for _ in 0..<power { result *= 10 }
        return result
    }

    /// `self` and `other` rewritten with the same (smaller) exponent; `nil` on overflow.
    private static func aligned(_ a: LiquidDecimal, _ b: LiquidDecimal) -> (Int64, Int64, Int)? {
        let exponent = min(a.exponent, b.exponent)
        guard let left = a.significand(at: exponent), let right = b.significand(at: exponent) else { return nil }
        return (left, right, exponent)
    }

    private func significand(at target: Int) -> Int64? {
        let shift = exponent - target
        guard shift >= 0, shift <= 18 else { return significand == 0 ? 0 : nil }
        let (scaled, overflow) = significand.multipliedReportingOverflow(by: LiquidDecimal.powersOfTen[shift])
        return overflow ? nil : scaled
    }

    static func + (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal? {
        guard let (left, right, exponent) = aligned(a, b) else { return nil }
        let (sum, overflow) = left.addingReportingOverflow(right)
        return overflow ? nil : LiquidDecimal(significand: sum, exponent: exponent)
    }

    static func - (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal? {
        guard let (left, right, exponent) = aligned(a, b) else { return nil }
        let (difference, overflow) = left.subtractingReportingOverflow(right)
        return overflow ? nil : LiquidDecimal(significand: difference, exponent: exponent)
    }

    static func * (a: LiquidDecimal, b: LiquidDecimal) -> LiquidDecimal? {
        let (product, overflow) = a.significand.multipliedReportingOverflow(by: b.significand)
        return overflow ? nil : LiquidDecimal(significand: product, exponent: a.exponent + b.exponent)
    }

    /// The floored remainder (the sign of the divisor, as Ruby's `%`); `nil` on overflow. The divisor must
    /// not be zero.
    func floorRemainder(dividingBy divisor: LiquidDecimal) -> LiquidDecimal? {
        guard let (left, right, exponent) = LiquidDecimal.aligned(self, divisor), right != 0 else { return nil }
        var remainder = left % right
        if remainder != 0, (remainder < 0) != (right < 0) { remainder += right }
        return LiquidDecimal(significand: remainder, exponent: exponent)
    }

    /// Rounded to `places` digits after the point, halves away from zero (Ruby's `BigDecimal#round`).
    func rounded(toPlaces places: Int) -> LiquidDecimal {
        let drop = -places - exponent
        guard drop > 0 else { return self }
        guard drop <= 18 else { return LiquidDecimal(significand: 0, exponent: -places) }
        let divisor = LiquidDecimal.powersOfTen[drop]
        var quotient = significand / divisor
        let remainder = significand % divisor
        if remainder.magnitude >= (divisor.magnitude + 1) / 2 { quotient += significand < 0 ? -1 : 1 }
        return LiquidDecimal(significand: quotient, exponent: -places)
    }

    /// Rounded towards negative infinity (`floor`) or positive infinity (`ceil`) to a whole number; `nil` when
    /// it does not fit an `Int`.
    func integral(roundingUp: Bool) -> Int? {
        guard exponent < 0 else {
            guard let whole = significand(at: 0) else { return nil }
            return Int(exactly: whole)
        }
        let drop = -exponent
        guard drop <= 18 else {
            if significand == 0 { return 0 }
            return roundingUp ? (significand > 0 ? 1 : 0) : (significand > 0 ? 0 : -1)
        }
        let divisor = LiquidDecimal.powersOfTen[drop]
        var quotient = significand / divisor
        let remainder = significand % divisor
        if remainder != 0 {
            if roundingUp, remainder > 0 { quotient += 1 }
            if !roundingUp, remainder < 0 { quotient -= 1 }
        }
        return Int(exactly: quotient)
    }

    /// The decimal as a Liquid number: an integer when the exponent is not negative and it fits, else a float.
    var wholeOrFloat: LiquidNumber {
        if exponent >= 0, let whole = significand(at: 0), let int = Int(exactly: whole) { return .int(int) }
        return .float(doubleValue)
    }
}
