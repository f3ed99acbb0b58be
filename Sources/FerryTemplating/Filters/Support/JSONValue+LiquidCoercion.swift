import FerryCore

/// How the standard filters read values, following Shopify Liquid (Ruby) where python-liquid differs.
extension JSONValue {
    /// Liquid truthiness: only `nil` and `false` are falsy.
    var isLiquidTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let flag): flag
        default: true
        }
    }

    /// The text Liquid shows for the value: `""` for nil, `true`/`false`, numbers as Ruby writes them
    /// (``JSONNumber/liquidText``), arrays as the concatenation of their elements, objects as compact JSON.
    var liquidString: String {
        switch self {
        case .string(let string): return string
        case .null: return ""
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.liquidText
        case .array(let elements):
            var text = ""
            for element in elements { text += element.liquidString }
            return text
        case .object: return jsonString()
        }
    }

    /// Whether the value is "empty" as `default` and `blank` understand it: an empty string, array or object.
    var isLiquidEmpty: Bool {
        switch self {
        case .string(let string): string.isEmpty
        case .array(let elements): elements.isEmpty
        case .object(let object): object.isEmpty
        default: false
        }
    }

    /// The value as a list, the way Liquid's array filters iterate their input: arrays are flattened, `nil`
    /// is the empty list and anything else is a list of one.
    var liquidSequence: [JSONValue] {
        switch self {
        case .null: return []
        case .array(let elements):
            var needsFlattening = false
            for element in elements {
                if case .array = element { needsFlattening = true; break }
            }
            guard needsFlattening else { return elements }
            var flat: [JSONValue] = []
            flat.reserveCapacity(elements.count)
            JSONValue.flatten(elements, into: &flat)
            return flat
        default: return [self]
        }
    }

    private static func flatten(_ elements: [JSONValue], into flat: inout [JSONValue]) {
        for element in elements {
            if case .array(let nested) = element {
                flatten(nested, into: &flat)
            } else {
                flat.append(element)
            }
        }
    }
}
