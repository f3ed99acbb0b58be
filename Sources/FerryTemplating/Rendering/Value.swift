import FerryCore

/// A value during rendering: a JSON value, or one of Liquid's own kinds that JSON has no word for.
enum Value: Sendable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
    /// A variable or property the context does not have.
    case undefined
    /// The `blank` literal.
    case blank
    /// The `empty` literal.
    case empty
    /// An integer range `(a..b)`, both ends included.
    case range(Int, Int)
    /// The `forloop` object of the loop frame at this index.
    case loop(Int)
    /// The `tablerowloop` object of the loop frame at this index.
    case tableLoop(Int)

    @inline(__always)
    init(_ json: JSONValue) {
        switch json {
        case .null: self = .null
        case .bool(let flag): self = .bool(flag)
        case .number(let number): self = .number(number)
        case .string(let string): self = .string(string)
        case .array(let array): self = .array(array)
        case .object(let object): self = .object(object)
        }
    }

    static func int(_ value: Int) -> Value { .number(JSONNumber(value)) }

    /// Liquid truthiness: only nil (and undefined) and false are falsy.
    var isTruthy: Bool {
        switch self {
        case .null, .undefined: return false
        case .bool(let flag): return flag
        default: return true
        }
    }

    var isUndefined: Bool {
        if case .undefined = self { return true }
        return false
    }
}
