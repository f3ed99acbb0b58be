import FerryCore

extension StandardFilters {
    /// The result of reading a property of one item.
    enum PropertyLookup {
        /// The item's value for the property (`nil` when it has none).
        case found(JSONValue)
        /// The item itself is `nil`: filters that select items give `nil` as a whole, as Shopify does.
        case nilItem
    }

    /// Reads `key` of `item` as Ruby's `item[key]` does in Liquid's array filters: an object's value for a
    /// string key; for a string, the key itself when the string contains it; for an array or string, the
    /// element at an integer key; for a number, whether it equals a numeric key.
    /// - Throws: `FilterError.invalidInput` when the item is a number or boolean and the key is not a number.
    static func property(_ key: JSONValue, of item: JSONValue) throws(FilterError) -> PropertyLookup {
        switch item {
        case .object(let object):
            if case .string(let name) = key { return .found(object[name] ?? .null) }
            return .found(.null)
        case .string(let string):
            switch key {
            case .string(let name):
                return .found(name.isEmpty || UTF8Search.find(name, in: string) != nil ? .string(name) : .null)
            case .number(let number):
                guard let index = number.intValue else { return .found(.null) }
                let count = UTF8Text.scalarCount(string)
                guard let range = sliceRange(offset: index, length: 1, count: count), !range.isEmpty else {
                    return .found(.null)
                }
                return .found(.string(UTF8Text.scalars(of: string, from: range.lowerBound, count: 1)))
            default:
                return .found(.null)
            }
        case .array(let elements):
            guard case .number(let number) = key, let index = number.intValue else { return .found(.null) }
            let position = index < 0 ? index + elements.count : index
            return .found(elements.indices.contains(position) ? elements[position] : .null)
        case .null:
            return .nilItem
        case .number, .bool:
            if case .number = key { return .found(.bool(item == key)) }
            throw .invalidInput("cannot read property \(key.isNull ? "nil" : "'\(key.liquidString)'") of "
                + "\(describe(item)): the items must be objects (or strings). Check that the input is a list of "
                + "objects, or drop the property argument.")
        }
    }

    static let propertyFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("where", 1...2, usage: "where: \"property\", value"), { input, arguments, _ throws(FilterError) in
            try select(input, arguments, empty: .array([])) { items, matches throws(FilterError) in
                var kept: [JSONValue] = []
                for item in items where try matches(item) { kept.append(item) }
                return .array(kept)
            }
        }),
        FilterDefinition(FilterSignature("reject", 1...2, usage: "reject: \"property\", value"), { input, arguments, _ throws(FilterError) in
            // Without a property nothing can be tested, and (as in the reference suite) nothing is kept.
            guard !arguments.value(0).isNull else { return .array([]) }
            return try select(input, arguments, empty: .array([])) { items, matches throws(FilterError) in
                var kept: [JSONValue] = []
                for item in items where try !matches(item) { kept.append(item) }
                return .array(kept)
            }
        }),
        FilterDefinition(FilterSignature("find", 1...2, usage: "find: \"property\", value"), { input, arguments, _ throws(FilterError) in
            try select(input, arguments, empty: .null) { items, matches throws(FilterError) in
                for item in items where try matches(item) { return item }
                return .null
            }
        }),
        FilterDefinition(FilterSignature("find_index", 1...2, usage: "find_index: \"property\", value"), {
            input, arguments, _ throws(FilterError) in
            try select(input, arguments, empty: .null) { items, matches throws(FilterError) in
                for (index, item) in items.enumerated() where try matches(item) { return .int(index) }
                return .null
            }
        }),
        FilterDefinition(FilterSignature("has", 1...2, usage: "has: \"property\", value"), { input, arguments, _ throws(FilterError) in
            try select(input, arguments, empty: .bool(false)) { items, matches throws(FilterError) in
                for item in items where try matches(item) { return .bool(true) }
                return .bool(false)
            }
        }),
    ]

    /// Shared body of `where`, `reject`, `find`, `find_index` and `has`: an item matches when its property
    /// equals the value or, without a value (or with `nil`), when the property is truthy. An item that is `nil`
    /// makes the whole result `nil`.
    static func select(
        _ input: JSONValue, _ arguments: FilterArguments, empty: JSONValue,
        _ body: ([JSONValue], (JSONValue) throws(FilterError) -> Bool) throws(FilterError) -> JSONValue
    ) throws(FilterError) -> JSONValue {
        let items = input.liquidSequence
        guard !items.isEmpty else { return empty }
        let key = arguments.value(0)
        let target = arguments.value(1)
        var sawNilItem = false
        do {
            return try body(items) { item throws(FilterError) in
                switch try property(key, of: item) {
                case .nilItem:
                    sawNilItem = true
                    throw FilterError.failed("the list holds a nil item")
                case .found(let value):
                    return target.isNull ? value.isLiquidTruthy : value == target
                }
            }
        } catch {
            if sawNilItem { return .null }
            throw error
        }
    }
}
