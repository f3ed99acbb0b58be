import FerryCore
import SalesforceModels

/// The schema of an object in a ``SimulatedSalesforceOrg``: its API name and fields. Records written through any
/// API are validated against it (unknown fields, types, lengths, required fields, uniqueness), and
/// `GET .../sobjects/<Object>/describe` reports it.
///
/// ```swift
/// let feedback = try SimulatedObject("Feedback__c", fields: [
///     .text("Name", length: 80, required: true),
///     .number("Score__c"),
///     .text("Delivery_Key__c", externalID: true, unique: true),
/// ])
/// org.register(feedback)
/// ```
public struct SimulatedObject: Sendable, Hashable {
    /// The object's API name.
    public let name: APIName
    /// The label.
    public var label: String
    /// The fields a client may name (the `Id` field is implicit).
    public var fields: [SimulatedField]

    /// Creates an object schema.
    /// - Parameters:
    ///   - name: The API name, e.g. `Feedback__c` or `CleverTap__CleverTap_NPS__c`.
    ///   - label: The label (default: the name without namespace and suffix).
    ///   - fields: The fields.
    /// - Throws: `APINameError` when `name` is not a valid API name.
    public init(_ name: String, label: String? = nil, fields: [SimulatedField]) throws(APINameError) {
        self.name = try APIName(name)
        self.label = label ?? self.name.name.replacingOccurrences(of: "_", with: " ")
        self.fields = fields
    }

    /// The field named `name` (API names ignore case).
    /// - Parameter name: A field API name.
    /// - Returns: The field, or `nil` when the object has none of that name.
    public func field(named name: String) -> SimulatedField? {
        let lowered = name.lowercased()
        return fields.first { $0.name.fullName.lowercased() == lowered }
    }

    /// The seed's custom object: `CleverTap__CleverTap_NPS__c` with `Name` (Text 80, required),
    /// `CleverTap__userId__c` (Text 255), `CleverTap__npsScore__c` (Number) and `CleverTap__timestamp__c` (Date/Time).
    /// - Parameter namespace: The namespace prefix (default `CleverTap`; `nil` for an org without one).
    /// - Returns: The schema.
    public static func cleverTapNPS(namespace: String? = "CleverTap") -> SimulatedObject {
        let prefix = namespace.map { $0 + "__" } ?? ""
        // Every name below is built from validated literals and a namespace the caller chose; a namespace that is
        // not a valid prefix would make these throw, so fall back to the plain names then.
        if let object = try? SimulatedObject(
            prefix + "CleverTap_NPS__c", label: "CleverTap NPS",
            fields: [
                .text("Name", length: 80, required: true), .text(prefix + "userId__c"),
                .number(prefix + "npsScore__c"), .dateTime(prefix + "timestamp__c"),
            ])
        {
            return object
        }
        return cleverTapNPS(namespace: nil)
    }

    /// The object `ferry apex` creates for `spec`: `Name` (Text 80 filled by the class, or an auto-number, as the
    /// spec's `recordName` says), one field per spec field (Text 255,
    /// Number, Checkbox, Date, Date/Time, Email, Phone, URL, Long Text, restricted Picklist), and
    /// `Idempotency_Key__c` (Text 255, external ID, unique).
    /// - Parameter spec: The spec given to `ferry apex` / `ApexGenerator`.
    /// - Returns: The schema.
    public init(spec: ApexObjectSpec) {
        var fields: [SimulatedField] = []
        for field in spec.fields {
            let type: SimulatedFieldType
            switch field.type {
            case .number: type = .double
            case .checkbox: type = .boolean
            case .date: type = .date
            case .dateTime: type = .dateTime
            case .email: type = .email
            case .phone: type = .phone
            case .url: type = .url
            case .picklist: type = .picklist
            case .longText: type = .textArea
            default: type = .string
            }
            // The spec's names are validated API names already, so these initialisers cannot fail.
            if let simulated = try? SimulatedField(
                field.apiName.fullName, type: type, label: field.label, length: type == .email ? 80 : nil,
                picklistValues: field.picklistValues)
            {
                fields.append(simulated)
            }
        }
        if let key = try? SimulatedField(
            spec.idempotencyField.fullName, type: .string, label: "Idempotency Key", length: 255, externalID: true,
            unique: true)
        {
            fields.append(key)
        }
        let name = spec.recordName.prefixAndKey == nil
            ? try? SimulatedField("Name", type: .autoNumber, label: spec.objectLabel + " Name")
            : try? SimulatedField.text("Name", length: 80, required: true)
        if let name { fields.insert(name, at: 0) }
        self.name = spec.object
        self.label = spec.objectLabel
        self.fields = fields
    }

    /// The `describe` reply: `name`, `label`, `custom`, `createable` and `fields` (each with `name`, `label`,
    /// `type`, `length`, `nillable`, `createable`, `updateable`, `externalId`, `unique`, `custom`,
    /// `defaultedOnCreate`, `picklistValues`).
    /// - Parameter apiVersion: The version in the request's path (used in the `urls` it lists).
    /// - Returns: The JSON object `GET .../sobjects/<Object>/describe` answers.
    public func describeJSON(apiVersion: APIVersion) -> JSONValue {
        var described: [JSONValue] = []
        let id: JSONObject = [
            "name": "Id", "label": "Record ID", "type": "id", "length": 18, "nillable": false, "createable": false,
            "updateable": false, "externalId": false, "unique": false, "custom": false, "defaultedOnCreate": true,
            "picklistValues": [],
        ]
        described.append(.object(id))
        for field in fields {
            var object: JSONObject = [
                "name": .string(field.name.fullName), "label": .string(field.label),
                "type": .string(field.type.describeName),
                "length": .int(field.type.isTextual ? field.length ?? 0 : 0),
            ]
            object["nillable"] = .bool(!field.required && field.type != .boolean && field.type != .autoNumber)
            object["createable"] = .bool(field.createable)
            object["updateable"] = .bool(field.createable)
            object["externalId"] = .bool(field.externalID)
            object["unique"] = .bool(field.unique)
            object["custom"] = .bool(field.name.isCustom)
            object["defaultedOnCreate"] = .bool(field.type == .boolean || field.type == .autoNumber)
            if field.type == .double {
                object["precision"] = 18
                object["scale"] = 2
            }
            object["picklistValues"] = .array(field.picklistValues.map { value in
                .object(["active": true, "defaultValue": false, "label": .string(value), "value": .string(value)])
            })
            described.append(.object(object))
        }
        return .object([
            "name": .string(name.fullName), "label": .string(label), "custom": .bool(name.isCustom),
            "createable": true, "updateable": true,
            "urls": .object(["describe": .string("/services/data/\(apiVersion)/sobjects/\(name.fullName)/describe")]),
            "fields": .array(described),
        ])
    }
}
