import FerryCore

/// One Salesforce record to write: its object type and its fields in order.
///
/// Field order is kept so payloads are byte-stable. Setting a field that is already set replaces its value in
/// place; names compare without regard to case, as Salesforce's do.
///
/// ```swift
/// var record = SObjectRecord(type: try APIName("Feedback__c"))
/// try record.set("Score__c", to: .int(9))
/// try record.set("Comment__c", to: .text("Great"))
/// record.jsonValue.jsonString()
/// // {"attributes":{"type":"Feedback__c"},"Score__c":9,"Comment__c":"Great"}
/// ```
public struct SObjectRecord: Sendable, Hashable {
    /// One field and its value.
    public struct Field: Sendable, Hashable {
        /// The field's API name.
        public var name: APIName
        /// The value.
        public var value: SObjectFieldValue

        /// Creates a field.
        /// - Parameters:
        ///   - name: The field's API name.
        ///   - value: The value.
        public init(name: APIName, value: SObjectFieldValue) {
            self.name = name
            self.value = value
        }
    }

    /// The object's API name, sent as `attributes.type`.
    public var type: APIName
    /// The fields, in order.
    public private(set) var fields: [Field]

    /// Creates a record.
    /// - Parameters:
    ///   - type: The object's API name.
    ///   - fields: The fields, in order (a repeated name keeps its first position and last value).
    public init(type: APIName, fields: [Field] = []) {
        self.type = type
        self.fields = []
        for field in fields { set(field.name, to: field.value) }
    }

    /// Creates a record, checking the object's API name.
    /// - Parameter type: The object's API name, e.g. `Feedback__c`.
    /// - Throws: ``APINameError`` when the name is invalid.
    public init(type: String) throws(APINameError) {
        self.init(type: try APIName(type))
    }

    /// Sets a field, replacing its value in place when it is already set.
    /// - Parameters:
    ///   - name: The field's API name.
    ///   - value: The value.
    public mutating func set(_ name: APIName, to value: SObjectFieldValue) {
        if let index = fields.firstIndex(where: { $0.name.matches(name) }) {
            fields[index].value = value
        } else {
            fields.append(Field(name: name, value: value))
        }
    }

    /// Sets a field by name, checking the name.
    /// - Parameters:
    ///   - name: The field's API name, e.g. `Score__c`.
    ///   - value: The value.
    /// - Throws: ``APINameError`` when the name is invalid.
    public mutating func set(_ name: String, to value: SObjectFieldValue) throws(APINameError) {
        set(try APIName(name), to: value)
    }

    /// Removes a field.
    /// - Parameter name: The field's API name (any case).
    /// - Returns: The removed value, or `nil` when it was not set.
    @discardableResult
    public mutating func remove(_ name: String) -> SObjectFieldValue? {
        guard let index = fields.firstIndex(where: { $0.name.fullName.lowercased() == name.lowercased() }) else {
            return nil
        }
        return fields.remove(at: index).value
    }

    /// The value of a field (any case), or `nil` when it is not set.
    public subscript(name: String) -> SObjectFieldValue? {
        fields.first { $0.name.fullName.lowercased() == name.lowercased() }?.value
    }

    /// The record as Salesforce JSON: `{"attributes":{"type":"<Object>"},"Field__c":value,...}`.
    ///
    /// The single-record create and upsert endpoints and sObject Collections all accept this shape.
    public var jsonValue: JSONValue { jsonValue(includingAttributes: true) }

    /// The record as Salesforce JSON.
    /// - Parameter includingAttributes: Whether to lead with `"attributes":{"type":"<Object>"}` (required in
    ///   sObject Collections; optional for the single-record endpoints, whose URL names the object).
    /// - Returns: The JSON object.
    public func jsonValue(includingAttributes: Bool) -> JSONValue {
        var object = JSONObject()
        if includingAttributes {
            object["attributes"] = .object(["type": .string(type.fullName)])
        }
        for field in fields { object[field.name.fullName] = field.value.jsonValue }
        return .object(object)
    }
}
