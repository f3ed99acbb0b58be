/// A JSON value whose integers stay integers and whose objects keep their key order.
///
/// `JSONValue` is the data model that flows through Ferry: render contexts for templates, payloads sent to
/// Salesforce, and the replies read back. Unlike `JSONSerialization`, it never turns `9` into `9.0`, never
/// reorders object keys (Liquid iterates objects in order, and payloads must be byte-stable), and keeps the exact
/// text of numbers that neither `Int64` nor `Double` can hold.
///
/// ```swift
/// let profile: JSONValue = ["Identity": "user-1", "Tags": ["vip", "beta"], "Score": 9]
/// profile["Tags"]?[0]          // .string("vip")
/// profile["Score"]?.intValue   // 9
/// let parsed = try JSONValue(parsing: #"{"a": [1, 2.5, null]}"#)
/// parsed.jsonString()          // {"a":[1,2.5,null]}
/// ```
public enum JSONValue: Sendable, Hashable {
    /// The JSON `null` literal.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number: an integer, a binary floating-point value, or exact decimal text (see ``JSONNumber``).
    case number(JSONNumber)
    /// A string of Unicode text.
    case string(String)
    /// An ordered list of values.
    case array([JSONValue])
    /// An object whose keys keep the order they were inserted or parsed in.
    case object(JSONObject)
}

extension JSONValue {
    /// Creates an integer value.
    /// - Parameter value: The integer.
    /// - Returns: `.number` holding the integer exactly.
    public static func int(_ value: Int) -> JSONValue { .number(JSONNumber(value)) }

    /// Creates a floating-point value.
    /// - Parameter value: The number; a non-finite value becomes `null`, because JSON cannot carry it.
    /// - Returns: `.number`, or `.null` for NaN and infinities.
    public static func double(_ value: Double) -> JSONValue {
        value.isFinite ? .number(JSONNumber(value)) : .null
    }

    /// Whether this is the JSON `null` literal.
    public var isNull: Bool {
        if case .null = self { return true }
        return false
    }

    /// The Boolean, when this is `.bool`.
    public var boolValue: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    /// The string, when this is `.string`.
    public var stringValue: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    /// The number, when this is `.number`.
    public var numberValue: JSONNumber? {
        if case .number(let value) = self { return value }
        return nil
    }

    /// The integer, when this is a number with an exact integer value that fits in `Int`.
    public var intValue: Int? { numberValue?.intValue }

    /// The number as a `Double`, when this is a number (possibly rounded, for exact decimal text).
    public var doubleValue: Double? { numberValue?.doubleValue }

    /// The elements, when this is `.array`.
    public var arrayValue: [JSONValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    /// The object, when this is `.object`.
    public var objectValue: JSONObject? {
        if case .object(let value) = self { return value }
        return nil
    }

    /// The value stored under `key`, when this is an object that has the key; `nil` otherwise.
    ///
    /// Setting a key on an object replaces the value in place (keeping the key's position) or appends it;
    /// setting `nil` removes it. Setting a key on a value that is not an object does nothing.
    public subscript(key: String) -> JSONValue? {
        get {
            if case .object(let object) = self { return object[key] }
            return nil
        }
        set {
            guard case .object(var object) = self else { return }
            self = .null  // Drop the enum's reference so the object below is uniquely referenced.
            object[key] = newValue
            self = .object(object)
        }
    }

    /// The element at `index`, when this is an array and the index is in range; `nil` otherwise.
    public subscript(index: Int) -> JSONValue? {
        if case .array(let array) = self, array.indices.contains(index) { return array[index] }
        return nil
    }

    /// A short name of the value's kind (`"null"`, `"boolean"`, `"number"`, `"string"`, `"array"`, `"object"`),
    /// for error messages.
    public var kindName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: CustomStringConvertible {
    /// The compact JSON text of the value.
    public var description: String { jsonString() }
}
