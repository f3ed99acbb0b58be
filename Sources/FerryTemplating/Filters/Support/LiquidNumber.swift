import FerryCore

/// A number as Liquid's maths filters see it: an integer or a float.
///
/// Coercion follows Shopify Liquid's `Utils.to_number`: numbers are themselves, a string that looks like
/// `-12.5` is a float, any other string is its leading integer (`"12abc"` is 12, `"abc"` is 0), and
/// everything else is 0. Float arithmetic is done on the shortest decimal text of the operands, as Shopify's
/// `BigDecimal` does, so `10.1 | plus: 2.2` is `12.3`, not `12.299999999999999`.
enum LiquidNumber: Sendable, Equatable {
    case int(Int)
    case float(Double)

    /// The Liquid number for a value (0 when it is not a number and does not read as one).
    init(_ value: JSONValue) {
        switch value {
        case .number(let number):
            if number.isInteger, let int = number.intValue {
                self = .int(int)
            } else {
                self = .float(number.doubleValue)
            }
        case .string(let string):
            self = LiquidNumber.parse(string)
        default:
            self = .int(0)
        }
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
                return .float(value)
            }
        }
        if overflowed { return .float(Double(string[start..<index]) ?? 0) }
        return .int(negative ? -magnitude : magnitude)
    }

    /// The number as a `Double`.
    var doubleValue: Double {
        switch self {
        case .int(let value): Double(value)
        case .float(let value): value
        }
    }

    /// The number as a JSON value (a non-finite float becomes `nil`).
    var jsonValue: JSONValue {
        switch self {
        case .int(let value): .int(value)
        case .float(let value): .double(value)
        }
    }

    /// Whether the number is zero.
    var isZero: Bool {
        switch self {
        case .int(let value): value == 0
        case .float(let value): value == 0
        }
    }

    /// Numeric comparison.
    static func < (lhs: LiquidNumber, rhs: LiquidNumber) -> Bool {
        if case .int(let a) = lhs, case .int(let b) = rhs { return a < b }
        return lhs.doubleValue < rhs.doubleValue
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
