import FerryCore
import Foundation
import SalesforceModels

extension SimulatedApexClass {
    /// The class `ferry apex` generates for `spec` (see `ApexGenerator.restClass`), behaving as it does:
    ///
    /// - a body that is empty, not JSON or not an object: 400 `JSON_PARSER_ERROR`;
    /// - `{"is_test": true}`: 200 `{"success":true,"test":true}`, nothing stored;
    /// - each field read by its type's reader (text, number, Boolean, `yyyy-MM-dd` date, ISO 8601 / `$D_` / epoch
    ///   date-time); a value that does not fit: 400 `INVALID_INPUT` naming the payload key;
    /// - without an `Idempotency-Key` header: insert, 201 `{"success":true,"id":"...","created":true}`;
    /// - with one: upsert on `Idempotency_Key__c`, 201 when created, 200 `"created":false` on a repeat;
    /// - a DML error: 400 with its code (503 for `UNABLE_TO_LOCK_ROW`); anything else: 500 `APEX_ERROR`.
    ///
    /// - Parameter spec: The spec given to `ferry apex`.
    /// - Returns: The class, writing to `SimulatedObject(spec:)`.
    public static func generated(_ spec: ApexObjectSpec) -> SimulatedApexClass {
        let object = spec.object.fullName
        return SimulatedApexClass(name: spec.className, objects: [SimulatedObject(spec: spec)]) { call in
            do {
                let payload = try GeneratedClassReader.parsePayload(call.body)
                if payload[ApexObjectSpec.testPingKey]?.boolValue == true {
                    return respond(200, ["success": true, "test": true])
                }
                var fields = JSONObject()
                for field in spec.fields {
                    if let value = try GeneratedClassReader.read(field, from: payload) {
                        fields[field.apiName.fullName] = value
                    }
                }
                let key = call.header("Idempotency-Key")?.trimmingCharacters(in: .whitespaces) ?? ""
                let record: SimulatedRecord
                let created: Bool
                if key.isEmpty {
                    record = try call.insert(object, fields)
                    created = true
                } else {
                    guard key.count <= 255 else {
                        throw GeneratedClassReader.InputError(
                            field: "Idempotency-Key", message: "The Idempotency-Key header is longer than 255 characters.")
                    }
                    (record, created) = try call.upsert(
                        object, externalIDField: spec.idempotencyField.fullName, value: key, fields)
                }
                return respond(created ? 201 : 200, ["success": true, "id": .string(record.id), "created": .bool(created)])
            } catch let error as GeneratedClassReader.InputError {
                return errorReply(
                    400, error.field == nil ? "JSON_PARSER_ERROR" : "INVALID_INPUT", error.message,
                    error.field.map { [$0] } ?? [])
            } catch let error as SimulatedDMLError {
                return errorReply(
                    error.code == .unableToLockRow ? 503 : 400, error.code.rawValue, error.message, error.fields)
            }
        }
    }

    private static func respond(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, json: body)
    }

    private static func errorReply(_ status: Int, _ code: String, _ message: String, _ fields: [String]) -> HTTPResponse {
        respond(status, [["errorCode": .string(code), "message": .string(message), "fields": .array(fields.map { .string($0) })]])
    }
}

/// The readers of the generated class (`readText`, `readNumber`, `readBoolean`, `readDate`, `readDatetime`).
enum GeneratedClassReader {
    struct InputError: Error {
        let field: String?
        let message: String
    }

    static func parsePayload(_ body: Data) throws(InputError) -> JSONObject {
        let text = String(decoding: body, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw InputError(field: nil, message: "The request body is empty: send a JSON object.")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw InputError(field: nil, message: "The request body is not valid JSON: \(error)")
        }
        guard let object = value.objectValue else {
            throw InputError(field: nil, message: "The request body must be a JSON object.")
        }
        return object
    }

    /// Apex's `String.abbreviate(40)`.
    static func abbreviate(_ text: String) -> String {
        text.count <= 40 ? text : String(text.prefix(37)) + "..."
    }

    static func read(_ field: ApexFieldSpec, from payload: JSONObject) throws(InputError) -> JSONValue? {
        let key = field.payloadKey
        let value = payload[key]
        switch field.type {
        case .number:
            switch value {
            case nil, .null?: return nil
            case .number?: return value
            case .string(let text)?:
                let trimmed = text.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty { return nil }
                guard let number = JSONNumber(text: trimmed) else {
                    throw InputError(field: key, message: "\(key) must be a number; got \"\(abbreviate(text))\".")
                }
                return .number(number)
            default: throw InputError(field: key, message: "\(key) must be a number.")
            }
        case .checkbox:
            switch value {
            case nil, .null?: return .bool(false)
            case .bool?: return value
            case .string(let text)?:
                switch text.trimmingCharacters(in: .whitespaces).lowercased() {
                case "true", "1": return .bool(true)
                case "false", "0", "": return .bool(false)
                default: break
                }
            default: break
            }
            throw InputError(field: key, message: "\(key) must be true or false.")
        case .date:
            guard let text = try readText(key, value)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            let pattern = Array(text.utf8)
            let shaped = pattern.count == 10 && pattern.enumerated().allSatisfy { index, byte in
                index == 4 || index == 7 ? byte == UInt8(ascii: "-") : (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
            }
            guard shaped else {
                throw InputError(field: key, message: "\(key) must be a date written yyyy-MM-dd; got \"\(abbreviate(text))\".")
            }
            guard let date = SalesforceDate(text) else {
                throw InputError(field: key, message: "\(key) is not a valid date: \"\(text)\".")
            }
            return .string(date.description)
        case .dateTime:
            if case .number(let number)? = value, number.isInteger, let epoch = number.intValue {
                let seconds = abs(epoch) >= 100_000_000_000 ? Double(epoch) / 1000 : Double(epoch)
                return .string(SalesforceDateTime(Date(timeIntervalSince1970: seconds)).description)
            }
            guard let text = try readText(key, value)?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            if text.hasPrefix("$D_"), let seconds = Int64(text.dropFirst(3)) {
                return .string(SalesforceDateTime(millisecondsSince1970: seconds * 1000).description)
            }
            guard let dateTime = SalesforceDateTime(text) else {
                throw InputError(
                    field: key,
                    message: "\(key) must be an ISO 8601 date-time such as 2026-11-29T18:52:51.000Z; got \"\(abbreviate(text))\".")
            }
            return .string(dateTime.description)
        default:
            return try readText(key, value).map { .string($0) }
        }
    }

    static func readText(_ key: String, _ value: JSONValue?) throws(InputError) -> String? {
        switch value {
        case nil, .null?: return nil
        case .string(let text)?: return text
        case .number(let number)?: return number.text
        case .bool(let flag)?: return flag ? "true" : "false"
        default: throw InputError(field: key, message: "\(key) must be text, not a JSON object or array.")
        }
    }
}
