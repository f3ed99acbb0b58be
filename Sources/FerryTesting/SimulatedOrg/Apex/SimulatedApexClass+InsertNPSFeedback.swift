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
                fields[prefix + "timestamp__c"] = .string(SalesforceDateTime(timestamp).description)
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
