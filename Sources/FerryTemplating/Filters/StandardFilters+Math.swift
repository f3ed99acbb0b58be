import FerryCore

extension StandardFilters {
    static let mathFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("abs", usage: "abs"), { input, _, _ in LiquidNumber(input).magnitude.jsonValue }),
        FilterDefinition(FilterSignature("ceil", usage: "ceil"), { input, _, _ in integral(LiquidNumber(input), roundingUp: true) }),
        FilterDefinition(FilterSignature("floor", usage: "floor"), { input, _, _ in integral(LiquidNumber(input), roundingUp: false) }),
        FilterDefinition(FilterSignature("round", 0...1, usage: "round: 2"), { input, arguments, _ in
            round(LiquidNumber(input), places: arguments.value(0))
        }),
        FilterDefinition(FilterSignature("at_least", 1...1, usage: "at_least: 0"), { input, arguments, _ in
            let value = LiquidNumber(input)
            let bound = LiquidNumber(arguments.value(0))
            return (value < bound ? bound : value).jsonValue
        }),
        FilterDefinition(FilterSignature("at_most", 1...1, usage: "at_most: 10"), { input, arguments, _ in
            let value = LiquidNumber(input)
            let bound = LiquidNumber(arguments.value(0))
            return (bound < value ? bound : value).jsonValue
        }),
        FilterDefinition(FilterSignature("plus", 1...1, usage: "plus: 1"), { input, arguments, _ in
            (LiquidNumber(input) + LiquidNumber(arguments.value(0))).jsonValue
        }),
        FilterDefinition(FilterSignature("minus", 1...1, usage: "minus: 1"), { input, arguments, _ in
            (LiquidNumber(input) - LiquidNumber(arguments.value(0))).jsonValue
        }),
        FilterDefinition(FilterSignature("times", 1...1, usage: "times: 2"), { input, arguments, _ in
            (LiquidNumber(input) * LiquidNumber(arguments.value(0))).jsonValue
        }),
        FilterDefinition(FilterSignature("divided_by", 1...1, usage: "divided_by: 2"), { input, arguments, _ throws(FilterError) in
            guard let quotient = LiquidNumber(input).divided(by: LiquidNumber(arguments.value(0))) else {
                throw divisionByZero(arguments.value(0))
            }
            return quotient.jsonValue
        }),
        FilterDefinition(FilterSignature("modulo", 1...1, usage: "modulo: 2"), { input, arguments, _ throws(FilterError) in
            guard let remainder = LiquidNumber(input).remainder(dividingBy: LiquidNumber(arguments.value(0))) else {
                throw divisionByZero(arguments.value(0))
            }
            return remainder.jsonValue
        }),
    ]

    static func divisionByZero(_ divisor: JSONValue) -> FilterError {
        let shown = divisor.isNull ? "an undefined value (read as 0)" : "\(divisor.liquidString.isEmpty ? "\"\"" : divisor.liquidString) (read as 0)"
        return .invalidArgument("cannot divide by zero: the divisor is \(shown). Check the divisor, or guard with "
            + "`{% if divisor != 0 %}`.")
    }

    /// `ceil` and `floor`: always an integer, of any size (`1e20 | floor` is `100000000000000000000`).
    static func integral(_ number: LiquidNumber, roundingUp: Bool) -> JSONValue {
        switch number {
        case .int, .big:
            return number.jsonValue
        case .float, .decimal:
            guard let decimal = LiquidDecimal(number) else { return number.jsonValue }
            return LiquidNumber.integer(decimal.integral(roundingUp: roundingUp)).jsonValue
        }
    }

    /// `round`: halves away from zero; an integer for 0 or negative places, a float otherwise (integers stay
    /// integers). Places that are not a number count as 0; fractional places are truncated.
    static func round(_ number: LiquidNumber, places argument: JSONValue) -> JSONValue {
        let places: Int
        switch LiquidNumber(argument) {
        case .int(let value): places = max(min(value, 1_000_000), -1_000_000)
        case .big(let value): places = value.isNegative ? -1_000_000 : 1_000_000
        case .float(let value): places = value.isFinite ? Int(max(min(value, 1e6), -1e6)) : 0
        case .decimal(let value): places = Int(max(min(value.doubleValue, 1e6), -1e6))
        }
        guard let decimal = LiquidDecimal(number) else { return number.jsonValue }
        switch number {
        case .int, .big:
            guard places < 0 else { return number.jsonValue }
            return LiquidNumber.integer(decimal.rounded(toPlaces: places).integral(roundingUp: false)).jsonValue
        case .float, .decimal:
            let rounded = decimal.rounded(toPlaces: places)
            if places <= 0 { return LiquidNumber.integer(rounded.integral(roundingUp: false)).jsonValue }
            return .double(rounded.doubleValue)
        }
    }
}
