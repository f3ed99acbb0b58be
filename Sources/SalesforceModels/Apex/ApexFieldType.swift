/// The type of a field in an Apex object spec, as `ferry apex --field NAME:TYPE` names it.
public struct ApexFieldType: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable, CaseIterable {
        case text = "Text", longText = "LongText", number = "Number", checkbox = "Checkbox", date = "Date"
        case dateTime = "DateTime", email = "Email", phone = "Phone", url = "Url", picklist = "Picklist"
    }
    let code: Code

    /// Text(255).
    public static let text = ApexFieldType(code: .text)
    /// Long Text Area(32768).
    public static let longText = ApexFieldType(code: .longText)
    /// Number(18, 2).
    public static let number = ApexFieldType(code: .number)
    /// Checkbox (false when absent).
    public static let checkbox = ApexFieldType(code: .checkbox)
    /// Date (`yyyy-MM-dd`).
    public static let date = ApexFieldType(code: .date)
    /// Date/Time (ISO 8601, `$D_<epoch seconds>` or epoch numbers).
    public static let dateTime = ApexFieldType(code: .dateTime)
    /// Email.
    public static let email = ApexFieldType(code: .email)
    /// Phone.
    public static let phone = ApexFieldType(code: .phone)
    /// URL.
    public static let url = ApexFieldType(code: .url)
    /// Picklist (restricted to the values given).
    public static let picklist = ApexFieldType(code: .picklist)

    /// Every type, in the order the CLI lists them.
    public static let all: [ApexFieldType] = Code.allCases.map { ApexFieldType(code: $0) }

    /// Parses a type name (any case).
    /// - Parameter name: E.g. `Number`, `datetime`.
    /// - Throws: ``ApexSpecError`` of kind ``ApexSpecError/Kind/unknownType`` listing the valid names.
    public init(_ name: String) throws(ApexSpecError) {
        guard let code = Code.allCases.first(where: { $0.rawValue.lowercased() == name.lowercased() }) else {
            throw ApexSpecError(
                .unknownType,
                "unknown field type '\(name)': use one of \(Code.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        self.code = code
    }

    private init(code: Code) { self.code = code }

    /// The type name, e.g. `DateTime`.
    public var description: String { code.rawValue }

    /// The Apex type of the field.
    var apexType: String {
        switch code {
        case .text, .longText, .email, .phone, .url, .picklist: "String"
        case .number: "Decimal"
        case .checkbox: "Boolean"
        case .date: "Date"
        case .dateTime: "Datetime"
        }
    }

    /// The Apex helper that reads the field from the payload.
    var reader: String {
        switch code {
        case .text, .longText, .email, .phone, .url, .picklist: "readText"
        case .number: "readNumber"
        case .checkbox: "readBoolean"
        case .date: "readDate"
        case .dateTime: "readDatetime"
        }
    }

    /// Whether values are strings that can be too long for the field.
    var isTextual: Bool { apexType == "String" }
}
