import FerryCore

/// A number as Liquid's maths filters see it: an integer of any size or a float.
///
/// Coercion follows Shopify Liquid's `Utils.to_number`: numbers are themselves, a string that looks like
/// `-12.5` is a float, any other string is its leading integer (`"12abc"` is 12, `"abc"` is 0, and
/// `"123456789012345678901"` stays exact), and everything else is 0. Integers live in an `Int` and move to
/// ``LiquidBigInt`` only when they leave 64 bits, as Ruby's `Integer` does. Float arithmetic is done on the shortest
/// decimal text of the operands, as Shopify's `BigDecimal` does, so `10.1 | plus: 2.2` is `12.3`, not
/// `12.299999999999999`.
enum LiquidNumber: Sendable {
    case int(Int)
    /// An integer outside `Int`'s range (never one that fits: ``integer(_:)`` normalises).
    case big(LiquidBigInt)
    case float(Double)
    /// A string such as `"12345678901234567891243.5"`, with more digits than a `Double` keeps: Ruby Liquid reads it
    /// as an exact `BigDecimal`, so `floor` gives every digit back.
    case decimal(LiquidDecimal)

    /// The Liquid number for a value (0 when it is not a number and does not read as one).
    init(_ value: JSONValue) {
        switch value {
        case .number(let number):
            self = LiquidNumber(number)
        case .string(let string):
            self = LiquidNumber.parse(string)
        default:
            self = .int(0)
        }
    }

    /// The Liquid number for a JSON number: integers (however long their exact text) stay integers.
    init(_ number: JSONNumber) {
        if number.isInteger, let int = number.intValue {
            self = .int(int)
            return
        }
        let text = number.text
        if text.utf8.count <= LiquidBigInt.maximumDigits,
           !text.utf8.contains(where: { $0 == UInt8(ascii: ".") || $0 | 0x20 == UInt8(ascii: "e") }),
           let big = LiquidBigInt(decimal: text.utf8) {
            self = LiquidNumber.integer(big)
        } else {
            self = .float(number.doubleValue)
        }
    }

    /// The number for an integer of any size: `.int` when it fits.
    static func integer(_ value: LiquidBigInt) -> LiquidNumber {
        if let int = value.intValue { return .int(int) }
        return .big(value)
    }

    /// Reads a string the way Ruby Liquid does (see the type's documentation).
    static func parse(_ string: String) -> LiquidNumber {
        let utf8 = string.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        while start < end, utf8[start].isASCIIWhitespace { start = utf8.index(after: start) }
        while start < end, utf8[utf8.index(before: end)].isASCIIWhitespace { end = utf8.index(before: end) }
        var index = start
        var negative = false
        var signed = false
        if index < end, utf8[index] == UInt8(ascii: "-") || utf8[index] == UInt8(ascii: "+") {
            negative = utf8[index] == UInt8(ascii: "-")
            signed = true
            index = utf8.index(after: index)
        }
        let digitsStart = index
        var magnitude = 0
        var overflowed = false
        while index < end, utf8[index].isASCIIDigit {
            let (times, o1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, o2) = times.addingReportingOverflow(Int(utf8[index] &- UInt8(ascii: "0")))
            if o1 || o2 { overflowed = true }
            magnitude = sum
            index = utf8.index(after: index)
        }
        guard index > digitsStart else { return .int(0) }
        // The float form is exactly -?\d+\.\d+ (no "+", no exponent).
        if index < end, utf8[index] == UInt8(ascii: "."), !(signed && !negative) {
            var fractionEnd = utf8.index(after: index)
            let fractionStart = fractionEnd
            while fractionEnd < end, utf8[fractionEnd].isASCIIDigit { fractionEnd = utf8.index(after: fractionEnd) }
            if fractionEnd > fractionStart, fractionEnd == end, let value = Double(string[start..<end]) {
                // More than 17 characters can hold more digits than a Double keeps: read them exactly.
                let length = utf8.distance(from: start, to: end)
                if length > 17, length <= LiquidBigInt.maximumDigits,
                   let exact = LiquidDecimal(exactText: utf8[start..<end]) {
                    return .decimal(exact)
                }
                return .float(value)
            }
        }
        if overflowed {
            guard utf8.distance(from: start, to: index) <= LiquidBigInt.maximumDigits,
                  let big = LiquidBigInt(decimal: utf8[start..<index]) else {
                return .float(Double(string[start..<index]) ?? (negative ? -.infinity : .infinity))
            }
            return integer(big)
        }
        return .int(negative ? -magnitude : magnitude)
    }

    /// The number as a `Double`.
    var doubleValue: Double {
        switch self {
        case .int(let value): Double(value)
        case .big(let value): value.doubleValue
        case .float(let value): value
        case .decimal(let value): value.doubleValue
        }
    }

    /// The integer value, when the number is an integer.
    var bigIntValue: LiquidBigInt? {
        switch self {
        case .int(let value): LiquidBigInt(value)
        case .big(let value): value
        case .float, .decimal: nil
        }
    }

    /// The number as a JSON value: integers of any size exactly, floats as doubles (a non-finite float becomes
    /// `nil`).
    var jsonValue: JSONValue {
        switch self {
        case .int(let value): .int(value)
        case .big(let value): JSONNumber(text: value.description).map(JSONValue.number) ?? .double(value.doubleValue)
        case .float(let value): .double(value)
        case .decimal(let value): .double(value.doubleValue)
        }
    }

    /// Whether the number is zero.
    var isZero: Bool {
        switch self {
        case .int(let value): value == 0
        case .big: false
        case .float(let value): value == 0
        case .decimal(let value): value.significand.isZero
        }
    }

    /// Numeric comparison: integers exactly, floats against the exact decimal of the other side.
    static func < (lhs: LiquidNumber, rhs: LiquidNumber) -> Bool {
        switch (lhs, rhs) {
        case (.int(let a), .int(let b)): return a < b
        case (.float(let a), .float(let b)): return a < b
        default:
            if let a = lhs.bigIntValue, let b = rhs.bigIntValue { return a < b }
            guard let a = LiquidDecimal(lhs), let b = LiquidDecimal(rhs) else { return lhs.doubleValue < rhs.doubleValue }
            let difference = a - b
            return difference.significand.isNegative
        }
    }

    // MARK: Arithmetic, as Ruby Liquid's filters do it

    /// Integers exactly (overflowing into ``LiquidBigInt``), anything with a float through ``LiquidDecimal``.
    private static func combine(_ a: LiquidNumber, _ b: LiquidNumber,
                                int: (Int, Int) -> (partialValue: Int, overflow: Bool),
                                big: (LiquidBigInt, LiquidBigInt) -> LiquidBigInt,
                                decimal: (LiquidDecimal, LiquidDecimal) -> LiquidDecimal,
                                double: (Double, Double) -> Double) -> LiquidNumber {
        if case .int(let x) = a, case .int(let y) = b {
            let (result, overflow) = int(x, y)
            if !overflow { return .int(result) }
        }
        if let x = a.bigIntValue, let y = b.bigIntValue {
            let result = big(x, y)
            return result.isOversized ? .float(double(x.doubleValue, y.doubleValue)) : integer(result)
        }
        if let x = LiquidDecimal(a), let y = LiquidDecimal(b) { return .float(decimal(x, y).doubleValue) }
        return .float(double(a.doubleValue, b.doubleValue))
    }

    /// `plus`.
    static func + (a: LiquidNumber, b: LiquidNumber) -> LiquidNumber {
        combine(a, b, int: { $0.addingReportingOverflow($1) }, big: { $0 + $1 }, decimal: { $0 + $1 }, double: { $0 + $1 })
    }

    /// `minus`.
    static func - (a: LiquidNumber, b: LiquidNumber) -> LiquidNumber {
        combine(a, b, int: { $0.subtractingReportingOverflow($1) }, big: { $0 - $1 }, decimal: { $0 - $1 },
                double: { $0 - $1 })
    }

    /// `times`.
    static func * (a: LiquidNumber, b: LiquidNumber) -> LiquidNumber {
        combine(a, b, int: { $0.multipliedReportingOverflow(by: $1) }, big: { $0 * $1 }, decimal: { $0 * $1 },
                double: { $0 * $1 })
    }

    /// `divided_by`: integers floor (Ruby's `Integer#/`), floats divide; `nil` when the divisor is zero.
    func divided(by divisor: LiquidNumber) -> LiquidNumber? {
        guard !divisor.isZero else { return nil }
        if case .int(let a) = self, case .int(let b) = divisor, !(a == .min && b == -1) {
            var quotient = a / b
            if a % b != 0, (a < 0) != (b < 0) { quotient -= 1 }
            return .int(quotient)
        }
        if let a = bigIntValue, let b = divisor.bigIntValue, let (quotient, _) = a.flooredDivision(by: b) {
            return LiquidNumber.integer(quotient)
        }
        if let a = LiquidDecimal(self), let b = LiquidDecimal(divisor), let quotient = a.divided(by: b) {
            return .float(quotient.doubleValue)
        }
        return .float(doubleValue / divisor.doubleValue)
    }

    /// `modulo`: the floored remainder, with the divisor's sign (Ruby's `%`); `nil` when the divisor is zero.
    func remainder(dividingBy divisor: LiquidNumber) -> LiquidNumber? {
        guard !divisor.isZero else { return nil }
        if case .int(let a) = self, case .int(let b) = divisor {
            if b == -1 { return .int(0) }
            var remainder = a % b
            if remainder != 0, (remainder < 0) != (b < 0) { remainder += b }
            return .int(remainder)
        }
        if let a = bigIntValue, let b = divisor.bigIntValue, let (_, remainder) = a.flooredDivision(by: b) {
            return LiquidNumber.integer(remainder)
        }
        if let a = LiquidDecimal(self), let b = LiquidDecimal(divisor), let remainder = a.floorRemainder(dividingBy: b) {
            return .float(remainder.doubleValue)
        }
        let x = doubleValue
        let y = divisor.doubleValue
        return .float(x - y * (x / y).rounded(.down))
    }

    /// `abs`.
    var magnitude: LiquidNumber {
        switch self {
        case .int(let value): value == .min ? .big(LiquidBigInt(value).magnitude) : .int(abs(value))
        case .big(let value): .big(value.magnitude)
        case .float(let value): .float(abs(value))
        case .decimal(let value): .decimal(LiquidDecimal(significand: value.significand.magnitude, exponent: value.exponent))
        }
    }
}

extension UInt8 {
    /// Space, tab, line feed, vertical tab, form feed or carriage return (Ruby's `strip` set, without NUL).
    var isASCIIWhitespace: Bool {
        self == 0x20 || (self >= 0x09 && self <= 0x0D)
    }

    /// `0`...`9`.
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }

    /// `A`...`Z` or `a`...`z`.
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
}
