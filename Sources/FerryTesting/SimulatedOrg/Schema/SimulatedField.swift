import SalesforceModels

/// A field of a ``SimulatedObject``: what the org validates a record against and what `describe` reports.
public struct SimulatedField: Sendable, Hashable {
    /// The field's API name, e.g. `Score__c`.
    public let name: APIName
    /// The label shown in messages (`STRING_TOO_LONG` names the field by its label, as Salesforce does).
    public var label: String
    /// The type.
    public var type: SimulatedFieldType
    /// The maximum text length, for textual types.
    public var length: Int?
    /// Whether a value is required on create (`REQUIRED_FIELD_MISSING` otherwise).
    public var required: Bool
    /// Whether the field is an external ID (usable for upserts).
    public var externalID: Bool
    /// Whether values must be unique (case-insensitive), `DUPLICATE_VALUE` otherwise.
    public var unique: Bool
    /// Whether a client may set the field.
    public var createable: Bool
    /// The values of a restricted picklist.
    public var picklistValues: [String]

    /// Creates a field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - type: The type.
    ///   - label: The label (default: the name without suffix, underscores as spaces).
    ///   - length: The maximum text length (default 255 for text types, none otherwise).
    ///   - required: Whether create requires a value.
    ///   - externalID: Whether the field is an external ID.
    ///   - unique: Whether values must be unique.
    ///   - createable: Whether a client may set it (default `true`, `false` for ids and auto-numbers).
    ///   - picklistValues: The allowed values of a picklist.
    /// - Throws: `APINameError` when `name` is not a valid API name.
    public init(
        _ name: String, type: SimulatedFieldType, label: String? = nil, length: Int? = nil, required: Bool = false,
        externalID: Bool = false, unique: Bool = false, createable: Bool? = nil, picklistValues: [String] = []
    ) throws(APINameError) {
        self.name = try APIName(name)
        self.type = type
        self.label = label ?? self.name.name.replacingOccurrences(of: "_", with: " ")
        switch type {
        case .string, .email, .phone, .picklist, .url: self.length = length ?? 255
        case .textArea: self.length = length ?? 32_768
        case .autoNumber: self.length = length ?? 80
        case .id: self.length = 18
        default: self.length = length
        }
        self.required = required
        self.externalID = externalID
        self.unique = unique
        self.createable = createable ?? (type != .id && type != .autoNumber)
        self.picklistValues = picklistValues
    }

    /// A text field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - length: The maximum length (default 255).
    ///   - required: Whether create requires a value.
    ///   - externalID: Whether it is an external ID.
    ///   - unique: Whether values must be unique.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func text(
        _ name: String, length: Int = 255, required: Bool = false, externalID: Bool = false, unique: Bool = false
    ) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .string, length: length, required: required, externalID: externalID, unique: unique)
    }

    /// A number field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - required: Whether create requires a value.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func number(_ name: String, required: Bool = false) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .double, required: required)
    }

    /// A checkbox field.
    /// - Parameter name: The API name.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func checkbox(_ name: String) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .boolean)
    }

    /// A date field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - required: Whether create requires a value.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func date(_ name: String, required: Bool = false) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .date, required: required)
    }

    /// A date-time field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - required: Whether create requires a value.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func dateTime(_ name: String, required: Bool = false) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .dateTime, required: required)
    }

    /// An e-mail field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - required: Whether create requires a value.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func email(_ name: String, required: Bool = false) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .email, length: 80, required: required)
    }

    /// A restricted picklist field.
    /// - Parameters:
    ///   - name: The API name.
    ///   - values: The allowed values.
    /// - Returns: The field.
    /// - Throws: `APINameError` for an invalid name.
    public static func picklist(_ name: String, values: [String]) throws(APINameError) -> SimulatedField {
        try SimulatedField(name, type: .picklist, picklistValues: values)
    }
}
