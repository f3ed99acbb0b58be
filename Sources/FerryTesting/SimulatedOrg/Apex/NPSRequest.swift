import FerryCore
import Foundation

/// The seed's `NPSRequest`, read the way `JSON.deserialize` reads it.
struct NPSRequest {
    var userId: String?
    var npsScore: Int?
    var timestamp: String?

    init(_ body: Data) throws(ApexException) {
        let text = String(decoding: body, as: UTF8.self)
        guard !text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty else {
            throw ApexException("No content to map due to end-of-input at [line:1, column:0]")
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: body)
        } catch {
            throw ApexException("Unexpected character: the body is not valid JSON (\(error))")
        }
        guard let object = value.objectValue else {
            throw ApexException("Malformed JSON: Expected '{' at the beginning of object")
        }
        for (key, member) in object {
            switch key {
            case "userId": userId = try NPSRequest.string(member)
            case "timestamp": timestamp = try NPSRequest.string(member)
            case "npsScore":
                switch member {
                case .null: npsScore = nil
                case .number(let number):
                    guard number.isInteger, let int = number.intValue, int >= Int(Int32.min), int <= Int(Int32.max) else {
                        throw ApexException("Illegal value for primitive")
                    }
                    npsScore = int
                case .string(let text):
                    guard let int = Int32(text.trimmingCharacters(in: .whitespaces)) else {
                        throw ApexException("Illegal value for primitive")
                    }
                    npsScore = Int(int)
                default:
                    throw ApexException("Illegal value for primitive")
                }
            default:
                continue  // JSON.deserialize ignores members the class does not declare
            }
        }
    }

    static func string(_ value: JSONValue) throws(ApexException) -> String? {
        switch value {
        case .null: return nil
        case .string(let text): return text
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        default: throw ApexException("Illegal value for primitive")
        }
    }
}
