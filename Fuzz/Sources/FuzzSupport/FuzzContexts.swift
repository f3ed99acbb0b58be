import FerryCore

/// Contexts for template targets: a fixed, varied one, or one parsed from the input.
public enum FuzzContexts {
    /// A context like a CleverTap export's: a profile, an event, arrays, numbers, nulls, unicode and nesting.
    public static let standard: JSONValue = [
        "Profile": [
            "Name": "Jane \"JJ\" O'Neil", "Email": "jane@example.com", "Identity": "u-1", "Age": 42,
            "Score": 9.5, "Tags": ["a", "b", "c"], "Empty": [], "Nothing": nil, "Flag": true,
            "Unicode": "h\u{E9}llo \u{2028} \u{1F600}", "Nested": ["Deep": ["Deeper": [1, 2, 3]]],
        ],
        "Event": ["User Rating": 9, "Comment": "<b>great</b> & \"fun\"", "When": "2024-03-05T10:20:30Z"],
        "items": [["name": "x", "price": 1.5], ["name": "y", "price": 2], ["name": nil, "price": "3"]],
        "numbers": [3, 1, 2, -7, 1e300, 0.1],
        "text": "The quick brown fox",
        "big": 9_007_199_254_740_993,
    ]

    /// The context for an input whose head is a context: the head parsed as JSON, or ``standard`` when it is
    /// not a JSON object.
    /// - Parameter head: The bytes before the template.
    /// - Returns: The context.
    public static func context(from head: [UInt8]?) -> JSONValue {
        guard let head else { return standard }
        if let value = try? JSONValue(parsing: String(decoding: head, as: UTF8.self)), value.objectValue != nil {
            return value
        }
        return standard
    }
}
