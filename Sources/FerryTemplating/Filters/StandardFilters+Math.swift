import FerryCore

extension StandardFilters {
    static let mathFilters: [(FilterSignature, LiquidFilter)] = [
        (FilterSignature("abs", usage: "abs"), { input, _, _ in
            switch LiquidNumber(input) {
            case .int(let value):
                value == .min ? .double(-Double(value)) : .int(abs(value))
            case .float(let value):
                .double(abs(value))
            }
        }),
        (FilterSignature("ceil", usage: "ceil"), { input, _, _ in integral(LiquidNumber(input), roundingUp: true) }),
        (FilterSignature("floor", usage: "floor"), { input, _, _ in integral(LiquidNumber(input), roundingUp: false) }),
        (FilterSignature("round", 0...1, usage: "round: 2"), { input, arguments, _ in
            round(LiquidNumber(input), places: arguments.value(0))
        }),
        (FilterSignature("at_least", 1...1, usage: "at_least: 0"), { input, arguments, _ in
            let value = LiquidNumber(input)
            let bound = LiquidNumber(arguments.value(0))
            return (value < bound ? bound : value).jsonValue
        }),
        (FilterSignature("at_most", 1...1, usage: "at_most: 10"), { input, arguments, _ in
            let value = LiquidNumber(input)
            let bound = LiquidNumber(arguments.value(0))
            return (bound < value ? bound : value).jsonValue
        }),
        (FilterSignature("plus", 1...1, usage: "plus: 1"), { input, arguments, _ in
            arithmetic(input, arguments.value(0), integer: { $0.addingReportingOverflow($1) },
                       decimal: { $0 + $1 }, double: { $0 + $1 })
        }),
        (FilterSignature("minus", 1...1, usage: "minus: 1"), { input, arguments, _ in
            arithmetic(input, arguments.value(0), integer: { $0.subtractingReportingOverflow($1) },
                       decimal: { $0 - $1 }, double: { $0 - $1 })
        }),
        (FilterSignature("times", 1...1, usage: "times: 2"), { input, arguments, _ in
            arithmetic(input, arguments.value(0), integer: { $0.multipliedReportingOverflow(by: $1) },
                       decimal: { $0 * $1 }, double: { $0 * $1 })
        }),
        (FilterSignature("divided_by", 1...1, usage: "divided_by: 2"), { input, arguments, _ throws(FilterError) in
            let divisor = LiquidNumber(arguments.value(0))
            guard !divisor.isZero else { throw divisionByZero(arguments.value(0)) }
            switch (LiquidNumber(input), divisor) {
            case (.int(let a), .int(let b)):
                if a == .min, b == -1 { return .double(-Double(a)) }
                var quotient = a / b
                if a % b != 0, (a < 0) != (b < 0) { quotient -= 1 }  // Ruby floors integer division.
                return .int(quotient)
            case (let a, let b):
                return .double(a.doubleValue / b.doubleValue)
            }
        }),
        (FilterSignature("modulo", 1...1, usage: "modulo: 2"), { input, arguments, _ throws(FilterError) in
            let divisor = LiquidNumber(arguments.value(0))
            guard !divisor.isZero else { throw divisionByZero(arguments.value(0)) }
            switch (LiquidNumber(input), divisor) {
            case (.int(let a), .int(let b)):
                if b == -1 { return .int(0) }
                var remainder = a % b
                if remainder != 0, (remainder < 0) != (b < 0) { remainder += b }  // Ruby's floored modulo.
                return .int(remainder)
            case (let a, let b):
                if let left = LiquidDecimal(a), let right = LiquidDecimal(b),
                   let remainder = left.floorRemainder(dividingBy: right) {
                    return .double(remainder.doubleValue)
                }
                let x = a.doubleValue
                let y = b.doubleValue
                return .double(x - y * (x / y).rounded(.down))
            }
        }),
    ]

    static func divisionByZero(_ divisor: JSONValue) -> FilterError {
        let shown = divisor.isNull ? "an undefined value (read as 0)" : "\(divisor.liquidString.isEmpty ? "\"\"" : divisor.liquidString) (read as 0)"
        return .invalidArgument("cannot divide by zero: the divisor is \(shown). Check the divisor, or guard with "
            + "`{% if divisor != 0 %}`.")
    }

    /// Integer arithmetic for two integers (a float on overflow); decimal arithmetic otherwise.
    static func arithmetic(_ input: JSONValue, _ argument: JSONValue,
                           integer: (Int, Int) -> (partialValue: Int, overflow: Bool),
                           decimal: (LiquidDecimal, LiquidDecimal) -> LiquidDecimal?,
                           double: (Double, Double) -> Double) -> JSONValue {
        let a = LiquidNumber(input)
        let b = LiquidNumber(argument)
        if case .int(let x) = a, case .int(let y) = b {
            let (result, overflow) = integer(x, y)
            if !overflow { return .int(result) }
            return .double(double(Double(x), Double(y)))
        }
        if let x = LiquidDecimal(a), let y = LiquidDecimal(b), let result = decimal(x, y) {
            return .double(result.doubleValue)
        }
        return .double(double(a.doubleValue, b.doubleValue))
    }

    /// `ceil` and `floor`: always an integer (a float only when it is too large for one).
    static func integral(_ number: LiquidNumber, roundingUp: Bool) -> JSONValue {
        switch number {
        case .int(let value):
            return .int(value)
        case .float(let value):
            if let decimal = LiquidDecimal(value), let whole = decimal.integral(roundingUp: roundingUp) {
                return .int(whole)
            }
            return .double(roundingUp ? value.rounded(.up) : value.rounded(.down))
        }
    }

    /// `round`: halves away from zero; an integer for 0 or negative places, a float otherwise (integers stay
    /// integers). Places that are not a number count as 0; fractional places are truncated.
    static func round(_ number: LiquidNumber, places argument: JSONValue) -> JSONValue {
        let places: Int
        switch LiquidNumber(argument) {
        case .int(let value): places = value
        case .float(let value): places = value.isFinite ? Int(max(min(value, 1e6), -1e6)) : 0
        }
        switch number {
        case .int(let value):
            guard places < 0 else { return .int(value) }
            let rounded = LiquidDecimal(value).rounded(toPlaces: places)
            return rounded.wholeOrFloat.jsonValue
        case .float(let value):
            guard let decimal = LiquidDecimal(value) else {
                return .double(value.rounded(.toNearestOrAwayFromZero))
            }
            let rounded = decimal.rounded(toPlaces: places)
            if places <= 0 {
                if let whole = rounded.integral(roundingUp: false) { return .int(whole) }
                return .double(rounded.doubleValue)
            }
            return .double(rounded.doubleValue)
        }
    }
}
