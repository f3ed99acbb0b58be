import FerryCore
import Foundation
import SalesforceModels

/// Validates and normalises field values against an object's schema, with Salesforce's error codes and wording.
struct RecordValidator {
    /// Where the values come from: the REST API's JSON (a type error fails the whole request with
    /// `JSON_PARSER_ERROR`), a Bulk API CSV row, or an Apex DML statement (both fail the record with
    /// `INVALID_TYPE_ON_FIELD_IN_RECORD`).
    enum Source { case json, csv, dml }

    let schema: SimulatedObject
    let source: Source

    /// The fields, keyed by the schema's spelling, typed and checked (unknown names, types, lengths, e-mail
    /// addresses, picklist values). Required fields are checked by ``missingRequired(in:)``.
    func normalise(_ input: JSONObject) throws(SimulatedDMLError) -> JSONObject {
        var output = JSONObject()
        for (key, value) in input where key != "attributes" {
            guard let field = schema.field(named: key) else {
                if key.lowercased() == "id" {
                    throw SimulatedDMLError(
                        .invalidFieldForInsertUpdate, "Unable to create/update fields: Id. Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                        fields: ["Id"])
                }
                throw SimulatedDMLError(
                    .invalidField,
                    source == .dml ? "Invalid field \(key) for \(schema.name.fullName)"
                        : "No such column '\(key)' on sobject of type \(schema.name.fullName)")
            }
            guard field.createable else {
                throw SimulatedDMLError(
                    .invalidFieldForInsertUpdate,
                    "Unable to create/update fields: \(field.name.fullName). Please check the security settings of this field and verify that it is read/write for your profile or permission set.",
                    fields: [field.name.fullName])
            }
            output[field.name.fullName] = try convert(value, for: field)
        }
        return output
    }

    /// The required fields without a value in `fields` (after normalisation), in schema order.
    func missingRequired(in fields: JSONObject) -> [String] {
        schema.fields.filter { field in
            guard field.required else { return false }
            switch fields[field.name.fullName] {
            case nil, .null?: return true
            case .string(let text)?: return text.isEmpty
            default: return false
            }
        }.map(\.name.fullName)
    }

    /// Fails with `REQUIRED_FIELD_MISSING` when required fields lack values.
    func checkRequired(_ fields: JSONObject) throws(SimulatedDMLError) {
        let missing = missingRequired(in: fields)
        guard missing.isEmpty else {
            throw SimulatedDMLError(
                .requiredFieldMissing, "Required fields are missing: [\(missing.joined(separator: ", "))]", fields: missing)
        }
    }

    private func typeError(_ field: SimulatedField, _ shown: String, jsonKind: String) -> SimulatedDMLError {
        if source == .json {
            let target: String
            switch field.type {
            case .double: target = "double"
            case .boolean: target = "boolean"
            case .date: target = "date"
            case .dateTime: target = "datetime"
            default: target = "string"
            }
            return SimulatedDMLError(
                .jsonParserError,
                "Cannot deserialize instance of \(target) from \(jsonKind) value \(shown) or request may be missing a required field")
        }
        return SimulatedDMLError(
            .invalidTypeOnFieldInRecord, "\(field.label): value not of required type: \(shown)", fields: [field.name.fullName])
    }

    private func convert(_ value: JSONValue, for field: SimulatedField) throws(SimulatedDMLError) -> JSONValue {
        if case .null = value { return .null }
        let kind: String
        switch value {
        case .string: kind = "VALUE_STRING"
        case .number: kind = "VALUE_NUMBER"
        case .bool(let flag): kind = flag ? "VALUE_TRUE" : "VALUE_FALSE"
        case .array: kind = "START_ARRAY"
        case .object: kind = "START_OBJECT"
        case .null: kind = "VALUE_NULL"
        }
        let shown: String = value.stringValue ?? (value.arrayValue != nil ? "[" : value.objectValue != nil ? "{" : value.jsonString())
        switch field.type {
        case .double:
            if case .number = value { return value }
            if let text = value.stringValue?.trimmingCharacters(in: .whitespaces), !text.isEmpty,
                let number = JSONNumber(text: text)
            {
                return .number(number)
            }
            throw typeError(field, shown, jsonKind: kind)
        case .boolean:
            if case .bool = value { return value }
            switch value.stringValue?.lowercased() {
            case "true"?, "1"?: return .bool(true)
            case "false"?, "0"?: return .bool(false)
            default: throw typeError(field, shown, jsonKind: kind)
            }
        case .date:
            guard let text = value.stringValue, let date = SalesforceDate(text) else {
                throw typeError(field, shown, jsonKind: kind)
            }
            return .string(date.description)
        case .dateTime:
            // Salesforce emits +0000 but refuses it on input: only Z or +HH:mm.
            guard let text = value.stringValue, !RecordValidator.hasOffsetWithoutColon(text),
                let dateTime = SalesforceDateTime(text)
            else {
                throw typeError(field, shown, jsonKind: kind)
            }
            return .string(dateTime.description)
        default:
            let text: String
            switch value {
            case .string(let string): text = string
            case .number(let number): text = number.text
            case .bool(let flag): text = flag ? "true" : "false"
            default: throw typeError(field, shown, jsonKind: kind)
            }
            if let length = field.length, text.count > length {
                throw SimulatedDMLError(
                    .stringTooLong, "\(field.label): data value too large: \(text) (max length=\(length))",
                    fields: [field.name.fullName])
            }
            if field.type == .email, !text.isEmpty, !RecordValidator.looksLikeEmail(text) {
                throw SimulatedDMLError(
                    .invalidEmailAddress, "\(field.label): invalid email address: \(text)", fields: [field.name.fullName])
            }
            if field.type == .picklist, !text.isEmpty, !field.picklistValues.contains(text) {
                throw SimulatedDMLError(
                    .invalidOrNullForRestrictedPicklist, "\(field.label): bad value for restricted picklist field: \(text)",
                    fields: [field.name.fullName])
            }
            return .string(text)
        }
    }

    static func hasOffsetWithoutColon(_ text: String) -> Bool {
        let bytes = Array(text.utf8)
        guard bytes.count >= 5 else { return false }
        let sign = bytes[bytes.count - 5]
        return (sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"))
            && bytes[(bytes.count - 4)...].allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
    }

    static func looksLikeEmail(_ text: String) -> Bool {
        let parts = text.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
            !parts[1].hasSuffix("."), !text.contains(" ")
        else { return false }
        return true
    }
}
