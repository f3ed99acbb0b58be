import FerryCore

extension StandardFilters {
    static let arrayFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("join", 0...1, usage: "join: \", \""), { input, arguments, context throws(FilterError) in
            let separator = arguments.count > 0 ? arguments.value(0).liquidString : " "
            var text = ""
            var first = true
            for element in input.liquidSequence {
                if first { first = false } else { text += separator }
                text += element.liquidString
                if text.utf8.count > context.maximumResultBytes {
                    throw .resultTooLarge("the joined text would be larger than \(context.maximumResultBytes) bytes; "
                        + "join fewer items (e.g. `| slice: 0, 100`) or raise TemplateLimits.maximumOutputBytes")
                }
            }
            return .string(text)
        }),
        FilterDefinition(FilterSignature("first", usage: "first"), { input, _, _ in
            switch input {
            case .array(let elements): elements.first ?? .null
            case .object(let object): object.first { _ in true }.map { .array([.string($0.key), $0.value]) } ?? .null
            default: .null
            }
        }),
        FilterDefinition(FilterSignature("last", usage: "last"), { input, _, _ in
            if case .array(let elements) = input { return elements.last ?? .null }
            return .null
        }),
        FilterDefinition(FilterSignature("concat", 1...1, usage: "concat: other_array"), { input, arguments, _ throws(FilterError) in
            guard case .array(let other) = arguments.value(0) else {
                throw .invalidArgument("expects an array to append, got \(describe(arguments.value(0))). "
                    + "Pass an array, e.g. one made with `split`.")
            }
            return .array(input.liquidSequence + other)
        }),
        FilterDefinition(FilterSignature("reverse", usage: "reverse"), { input, _, _ in
            .array(input.liquidSequence.reversed())
        }),
        FilterDefinition(FilterSignature("compact", 0...1, usage: "compact: \"property\""), { input, arguments, _ throws(FilterError) in
            let items = input.liquidSequence
            guard arguments.count > 0, !arguments.value(0).isNull else { return .array(items.filter { !$0.isNull }) }
            var kept: [JSONValue] = []
            for item in items where !item.isNull {
                if case .found(let value) = try property(arguments.value(0), of: item), !value.isNull { kept.append(item) }
            }
            return .array(kept)
        }),
        FilterDefinition(FilterSignature("uniq", 0...1, usage: "uniq: \"property\""), { input, arguments, _ throws(FilterError) in
            let items = input.liquidSequence
            var seen = Set<JSONValue>()
            var kept: [JSONValue] = []
            let key = arguments.value(0)
            for item in items {
                let identity: JSONValue
                if key.isNull {
                    identity = item
                } else if case .found(let value) = try property(key, of: item) {
                    identity = value
                } else {
                    identity = .null
                }
                if seen.insert(identity).inserted { kept.append(item) }
            }
            return .array(kept)
        }),
        FilterDefinition(FilterSignature("map", 1...1, usage: "map: \"property\""), { input, arguments, _ throws(FilterError) in
            var values: [JSONValue] = []
            let key = arguments.value(0)
            for item in input.liquidSequence {
                if case .found(let value) = try property(key, of: item) { values.append(value) } else { values.append(.null) }
            }
            return .array(values)
        }),
        FilterDefinition(FilterSignature("sum", 0...1, usage: "sum: \"property\""), { input, arguments, _ throws(FilterError) in
            let key = arguments.value(0)
            var total = LiquidNumber.int(0)
            for item in input.liquidSequence {
                var value = item
                if !key.isNull {
                    if item.isNull { continue }
                    guard case .found(let found) = try property(key, of: item) else { continue }
                    value = found
                }
                total = total + LiquidNumber(value)
            }
            return total.jsonValue
        }),
        FilterDefinition(FilterSignature("sort", 0...1, usage: "sort: \"property\""), { input, arguments, _ throws(FilterError) in
            try sort(input, key: arguments.value(0), natural: false)
        }),
        FilterDefinition(FilterSignature("sort_natural", 0...1, usage: "sort_natural: \"property\""), {
            input, arguments, _ throws(FilterError) in
            try sort(input, key: arguments.value(0), natural: true)
        }),
    ]

    /// A short description of a value for error messages.
    static func describe(_ value: JSONValue) -> String {
        switch value {
        case .null: "nothing (an undefined value)"
        case .string(let string): "the string \"\(string.count > 40 ? String(string.prefix(40)) + "…" : string)\""
        default: "a \(value.kindName) (\(value.liquidString.prefix(40)))"
        }
    }

    /// `sort` (Ruby's `<=>`: numbers with numbers, strings by bytes, `nil` last, anything else an error) and
    /// `sort_natural` (case-insensitive on the text of each value, `nil` last). Stable.
    static func sort(_ input: JSONValue, key: JSONValue, natural: Bool) throws(FilterError) -> JSONValue {
        let items = input.liquidSequence
        guard !items.isEmpty else { return .array([]) }
        var keys: [JSONValue] = []
        keys.reserveCapacity(items.count)
        if key.isNull {
            keys = items
        } else {
            for item in items {
                switch try property(key, of: item) {
                case .found(let value): keys.append(value)
                case .nilItem: return .null
                }
            }
        }
        var order = Array(keys.indices)
        if natural {
            let texts = keys.map { $0.isNull ? nil : Array($0.liquidString.utf8) }
            order.sort { a, b in
                switch (texts[a], texts[b]) {
                case (nil, nil): return a < b
                case (nil, _): return false
                case (_, nil): return true
                case (let x?, let y?):
                    let result = caseInsensitiveCompare(x, y)
                    return result != 0 ? result < 0 : a < b
                }
            }
        } else {
            var incompatible: (JSONValue, JSONValue)?
            order.sort { a, b in
                guard let result = compare(keys[a], keys[b]) else {
                    if incompatible == nil { incompatible = (keys[a], keys[b]) }
                    return a < b
                }
                return result != 0 ? result < 0 : a < b
            }
            if let (x, y) = incompatible {
                let kinds = [x.kindName, y.kindName].sorted()
                throw .invalidInput("cannot sort values of incompatible types (\(kinds[0]) and \(kinds[1])). "
                    + "Sort a list of only numbers or only strings, use `sort_natural`, or sort by a property.")
            }
        }
        return .array(order.map { items[$0] })
    }

    /// Ruby's `<=>` with `nil` last: negative, zero, positive, or `nil` when the values cannot be compared.
    static func compare(_ a: JSONValue, _ b: JSONValue) -> Int? {
        switch (a, b) {
        case (.null, .null): return 0
        case (.null, _): return 1
        case (_, .null): return -1
        case (.number(let x), .number(let y)): return x < y ? -1 : (x == y ? 0 : 1)
        case (.string(let x), .string(let y)):
            return x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)): return x == y ? 0 : nil
        case (.array(let x), .array(let y)):
            for (left, right) in zip(x, y) {
                guard let result = compare(left, right) else { return nil }
                if result != 0 { return result }
            }
            return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
        case (.object(let x), .object(let y)): return x == y ? 0 : nil
        default: return nil
        }
    }

    /// Ruby's `casecmp`: bytes compared with ASCII letters folded to lower case.
    static func caseInsensitiveCompare(_ x: [UInt8], _ y: [UInt8]) -> Int {
        for (a, b) in zip(x, y) {
            let left = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            let right = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if left != right { return left < right ? -1 : 1 }
        }
        return x.count == y.count ? 0 : (x.count < y.count ? -1 : 1)
    }
}
