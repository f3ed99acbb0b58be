import FerryCore
import SalesforceModels
import Foundation

extension SimulatedApexClass {
    /// The seed's `InsertNPSFeedback` class, statement for statement:
    ///
    /// - `JSON.deserialize` into `{String userId; Integer npsScore; String timestamp}` (unknown keys ignored; an
    ///   `npsScore` that is not an integer fails with "Illegal value for primitive");
    /// - a `CleverTap_NPS__c` record with `Name = 'NPS-' + userId`, the user id, the score, and the timestamp read
    ///   by `DateTime.valueOf(timestamp.replace('T', ' '))` (so only `yyyy-MM-dd HH:mm:ss` in the Run As user's
    ///   time zone is accepted) or the current time when it is blank;
    /// - `insert record; return 'Success';` — HTTP 200 `"Success"`;
    /// - every exception caught and answered HTTP 200 `"Error: <message>"`, nothing stored.
    ///
    /// - Parameter namespace: The org's namespace prefix, used on the object and field names (default
    ///   `CleverTap`, giving `CleverTap__CleverTap_NPS__c` and `CleverTap__userId__c`).
    /// - Returns: The class, writing to ``SimulatedObject/cleverTapNPS(namespace:)``.
    public static func insertNPSFeedback(namespace: String? = "CleverTap") -> SimulatedApexClass {
        let schema = SimulatedObject.cleverTapNPS(namespace: namespace)
        let prefix = namespace.map { $0 + "__" } ?? ""
        let object = schema.name.fullName
        return SimulatedApexClass(name: "InsertNPSFeedback", objects: [schema]) { call in
            do {
                let input = try NPSRequest(call.body)
                var fields: JSONObject = ["Name": .string("NPS-" + (input.userId ?? "null"))]
                fields[prefix + "userId__c"] = input.userId.map { .string($0) } ?? .null
                fields[prefix + "npsScore__c"] = input.npsScore.map { .int($0) } ?? .null
                let timestamp: Date
                if let text = input.timestamp, !text.trimmingCharacters(in: .whitespaces).isEmpty {
                    timestamp = try ApexDatetime.valueOf(
                        text.replacingOccurrences(of: "T", with: " "), timeZone: call.org.configuration.runAsUserTimeZone)
                } else {
                    timestamp = call.now
                }
                fields[prefix + "timestamp__c"] = .string(SalesforceDateTimeText.format(timestamp))
                do throws(SimulatedDMLError) {
                    _ = try call.insert(object, fields)
                } catch {
                    throw ApexException(error.insertFailedMessage)
                }
                return stringReply("Success")
            } catch let error as ApexException {
                return stringReply("Error: " + error.message)
            }
        }
    }
}

/// The seed's `NPSRequest`, read the way `JSON.deserialize` reads it.
private struct NPSRequest {
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

/// An exception inside a simulated Apex class; its message is what `e.getMessage()` returns.
struct ApexException: Error {
    let message: String
    init(_ message: String) { self.message = message }
}

/// Apex's `Datetime.valueOf(String)`: exactly `yyyy-MM-dd HH:mm:ss`, in a local time zone.
enum ApexDatetime {
    static func valueOf(_ text: String, timeZone: TimeZone) throws(ApexException) -> Date {
        let bytes = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= bytes.count,
                bytes[range].allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
            else { return nil }
            return Int(String(decoding: bytes[range], as: UTF8.self))
        }
        guard bytes.count == 19, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            bytes[10] == UInt8(ascii: " "), bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let year = digits(0..<4), let month = digits(5..<7), let day = digits(8..<10),
            let hour = digits(11..<13), let minute = digits(14..<16), let second = digits(17..<19),
            (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 60
        else {
            throw ApexException("Invalid date/time: \(text)")
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: components) else { throw ApexException("Invalid date/time: \(text)") }
        return date
    }
}

/// `yyyy-MM-ddTHH:mm:ss.SSSZ` for a `Date`.
enum SalesforceDateTimeText {
    static func format(_ date: Date) -> String { SalesforceDateTime(date).description }
}
