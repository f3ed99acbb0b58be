import FerryCore
import Foundation

/// What `GET .../sobjects/<Object>/describe` says about an object's fields: enough to check a payload before
/// anything is written (`ferry check`).
public struct SObjectDescribe: Sendable, Hashable {
    /// One field of the object.
    public struct Field: Sendable, Hashable {
        /// The API name, e.g. `Score__c`.
        public var name: String
        /// Salesforce's field type: `string`, `textarea`, `double`, `int`, `boolean`, `date`, `datetime`, ...
        public var type: String
        /// The maximum length of a text field (0 when not a text field).
        public var length: Int
        /// Whether the field may be empty.
        public var nillable: Bool
        /// Whether a create may set it.
        public var createable: Bool
        /// Whether Salesforce fills it when a create leaves it out.
        public var defaultedOnCreate: Bool
        /// Whether it is an external ID field.
        public var externalID: Bool

        /// Creates a field description.
        /// - Parameters:
        ///   - name: The API name.
        ///   - type: The Salesforce type.
        ///   - length: The text length limit.
        ///   - nillable: Whether it may be empty.
        ///   - createable: Whether a create may set it.
        ///   - defaultedOnCreate: Whether Salesforce fills it on create.
        ///   - externalID: Whether it is an external ID.
        public init(
            name: String, type: String, length: Int = 0, nillable: Bool = true, createable: Bool = true,
            defaultedOnCreate: Bool = false, externalID: Bool = false
        ) {
            self.name = name
            self.type = type
            self.length = length
            self.nillable = nillable
            self.createable = createable
            self.defaultedOnCreate = defaultedOnCreate
            self.externalID = externalID
        }

        /// Whether a create must set it: createable, not nillable and not defaulted.
        public var isRequiredOnCreate: Bool { createable && !nillable && !defaultedOnCreate }
    }

    /// The object's API name.
    public var name: String
    /// The fields, in Salesforce's order.
    public var fields: [Field]

    /// Creates a description.
    /// - Parameters:
    ///   - name: The object's API name.
    ///   - fields: Its fields.
    public init(name: String, fields: [Field]) {
        self.name = name
        self.fields = fields
    }

    /// Decodes a describe reply.
    /// - Parameter body: The reply body.
    /// - Returns: The description.
    /// - Throws: ``SalesforceResponseError`` when the body is not a describe result.
    public static func decode(from body: Data) throws(SalesforceResponseError) -> SObjectDescribe {
        let value = try JSONBody.parse(body, expecting: "an sObject describe result")
        guard let name = value["name"]?.stringValue, let fields = value["fields"]?.arrayValue else {
            throw SalesforceResponseError(
                .unexpectedShape, "expected a describe result with \"name\" and \"fields\", found a \(value.kindName)",
                body: body)
        }
        return SObjectDescribe(name: name, fields: fields.compactMap { field in
            guard let name = field["name"]?.stringValue, let type = field["type"]?.stringValue else { return nil }
            return Field(
                name: name, type: type, length: field["length"]?.intValue ?? 0,
                nillable: field["nillable"]?.boolValue ?? true, createable: field["createable"]?.boolValue ?? true,
                defaultedOnCreate: field["defaultedOnCreate"]?.boolValue ?? false,
                externalID: field["externalId"]?.boolValue ?? false)
        })
    }

    /// The field named `name`, matched without regard to case as Salesforce does.
    /// - Parameter name: A field API name.
    /// - Returns: The field, or `nil`.
    public func field(named name: String) -> Field? {
        let lowered = name.lowercased()
        return fields.first { $0.name.lowercased() == lowered }
    }

    /// Everything in `payload` (a JSON object of field names to values) that Salesforce would refuse on create:
    /// unknown or read-only fields, values of the wrong type, text over the field's length, and required fields
    /// left out. Each problem says how to fix it.
    /// - Parameters:
    ///   - payload: The record's fields.
    ///   - externalIDField: The field an upsert matches on (it must exist and be an external ID).
    /// - Returns: The problems; empty when the payload fits.
    public func problems(in payload: JSONValue, externalIDField: String? = nil) -> [PayloadProblem] {
        guard let object = payload.objectValue else {
            return [PayloadProblem(
                field: nil, kind: .notAnObject,
                message: "the payload is a \(payload.kindName), not a JSON object of field names to values; render an object such as {\"Name\": \"...\"}")]
        }
        var problems: [PayloadProblem] = []
        for (key, value) in object where key != "attributes" {
            guard let field = field(named: key) else {
                let suggestion = closestField(to: key).map { " (did you mean \($0)?)" } ?? ""
                problems.append(PayloadProblem(
                    field: key, kind: .unknownField,
                    message: "\(name) has no field \(key)\(suggestion); use the field's API name, with __c and any namespace prefix"))
                continue
            }
            if !field.createable && !field.externalID {
                problems.append(PayloadProblem(
                    field: key, kind: .notWritable,
                    message: "\(name).\(field.name) cannot be set on create (it is computed or read-only); leave it out of the payload"))
            }
            if let mismatch = SObjectDescribe.typeMismatch(value, field) {
                problems.append(PayloadProblem(field: key, kind: .wrongType, message: "\(name).\(field.name): \(mismatch)"))
            }
            if field.length > 0, let text = value.stringValue, text.count > field.length {
                problems.append(PayloadProblem(
                    field: key, kind: .tooLong,
                    message: "\(name).\(field.name) holds at most \(field.length) characters, the value has \(text.count); truncate it in the template (| truncate: \(field.length)) or widen the field"))
            }
        }
        for field in fields where field.isRequiredOnCreate {
            let value = object.first { $0.key.lowercased() == field.name.lowercased() }?.value
            if value == nil || value == .null {
                problems.append(PayloadProblem(
                    field: field.name, kind: .requiredMissing,
                    message: "\(name).\(field.name) is required; add it to the template or mapper"))
            }
        }
        if let externalIDField {
            if let field = field(named: externalIDField) {
                if !field.externalID {
                    problems.append(PayloadProblem(
                        field: externalIDField, kind: .notExternalID,
                        message: "\(name).\(field.name) is not an external ID field, so upserts cannot match on it; mark it External ID (and Unique) in Setup"))
                }
            } else {
                problems.append(PayloadProblem(
                    field: externalIDField, kind: .unknownField,
                    message: "\(name) has no field \(externalIDField) to upsert on; create it as an External ID field"))
            }
        }
        return problems
    }

    static func typeMismatch(_ value: JSONValue, _ field: Field) -> String? {
        if value.isNull { return nil }
        switch field.type {
        case "string", "textarea", "email", "phone", "url", "picklist", "multipicklist", "id", "reference",
            "encryptedstring", "combobox":
            return value.stringValue == nil
                ? "a \(field.type) field takes text, the value is a \(value.kindName); quote it in the template" : nil
        case "double", "currency", "percent", "int", "long":
            if value.numberValue != nil { return nil }
            if let text = value.stringValue, Double(text) != nil { return nil }
            return "a \(field.type) field takes a number, the value is a \(value.kindName); render it without quotes"
        case "boolean":
            return value.boolValue == nil
                ? "a checkbox takes true or false, the value is a \(value.kindName)" : nil
        case "date":
            guard let text = value.stringValue, text.count == 10, SalesforceDate(text) != nil else {
                return "a date takes \"yyyy-MM-dd\"; format it with | date: \"%Y-%m-%d\""
            }
            return nil
        case "datetime":
            guard let text = value.stringValue, SalesforceDateTime(text) != nil else {
                return "a date-time takes \"yyyy-MM-ddTHH:mm:ss.SSSZ\"; format it with | date: \"%Y-%m-%dT%H:%M:%S.%LZ\""
            }
            // Salesforce writes +0000 but refuses it on input.
            let tail = text.suffix(5)
            if let sign = tail.first, sign == "+" || sign == "-", tail.dropFirst().allSatisfy(\.isNumber) {
                return "\"\(text)\" ends in an offset without a colon, which Salesforce refuses on input; write Z or \(tail.prefix(3)):\(tail.suffix(2))"
            }
            return nil
        default:
            return nil
        }
    }

    /// The field whose name is closest to `name` (a typo's likely target), if any is close.
    func closestField(to name: String) -> String? {
        let target = Array(name.lowercased())
        var best: (String, Int)?
        for field in fields {
            let distance = SObjectDescribe.editDistance(target, Array(field.name.lowercased()))
            if distance <= 2, distance < (best?.1 ?? Int.max) { best = (field.name, distance) }
        }
        return best?.0
    }

    static func editDistance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        for i in 1...a.count {
            var current = [i] + Array(repeating: 0, count: b.count)
            for j in 1...b.count {
                current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            previous = current
        }
        return previous[b.count]
    }
}

/// One thing in a payload that Salesforce would refuse, and how to fix it.
public struct PayloadProblem: Sendable, Hashable, CustomStringConvertible {
    /// The kind of problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case notAnObject, unknownField, notWritable, wrongType, tooLong, requiredMissing, notExternalID
        }

        let code: Code

        /// The payload is not a JSON object.
        public static let notAnObject = Kind(code: .notAnObject)
        /// The payload names a field the object does not have.
        public static let unknownField = Kind(code: .unknownField)
        /// The field cannot be set on create.
        public static let notWritable = Kind(code: .notWritable)
        /// The value's type does not fit the field.
        public static let wrongType = Kind(code: .wrongType)
        /// The text is longer than the field allows.
        public static let tooLong = Kind(code: .tooLong)
        /// A required field is missing.
        public static let requiredMissing = Kind(code: .requiredMissing)
        /// The upsert field is not an external ID.
        public static let notExternalID = Kind(code: .notExternalID)

        /// A short, stable name.
        public var description: String { code.rawValue }
    }

    /// The field concerned, when there is one.
    public var field: String?
    /// The kind of problem.
    public var kind: Kind
    /// What is wrong and how to fix it.
    public var message: String

    /// Creates a problem.
    /// - Parameters:
    ///   - field: The field concerned.
    ///   - kind: The kind.
    ///   - message: What is wrong and how to fix it.
    public init(field: String?, kind: Kind, message: String) {
        self.field = field
        self.kind = kind
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
