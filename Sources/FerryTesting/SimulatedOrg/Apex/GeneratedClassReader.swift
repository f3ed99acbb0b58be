import FerryCore
import Foundation
import SalesforceModels

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

    /// Apex's `value == null ? 'null' : String.valueOf(value)` for a payload value.
    static func apexValueOf(_ value: JSONValue?) -> String {
        switch value {
        case nil, .null?: return "null"
        case .string(let text)?: return text
        case .number(let number)?: return number.text
        case .bool(let flag)?: return flag ? "true" : "false"
        case let other?: return other.jsonString()
        }
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
