import FerryCore
import Foundation
import SalesforceModels

/// Salesforce's reply shapes, in one place.
enum Replies {
    /// `[{"message":..., "errorCode":..., "fields":[...]}]` (fields only when given).
    static func error(_ status: Int, _ code: SalesforceErrorCode, _ message: String, fields: [String]? = nil) -> HTTPResponse {
        var object: JSONObject = ["message": .string(message), "errorCode": .string(code.rawValue)]
        if let fields { object["fields"] = .array(fields.map { .string($0) }) }
        return HTTPResponse(status: status, json: .array([.object(object)]))
    }

    /// A DML error as a REST reply (with its fields).
    static func error(_ status: Int, _ error: SimulatedDMLError) -> HTTPResponse {
        Replies.error(status, error.code, error.message, fields: error.fields.isEmpty ? nil : error.fields)
    }

    /// A per-record error of sObject Collections and Composite (`statusCode`, not `errorCode`).
    static func recordError(_ error: SimulatedDMLError) -> JSONValue {
        .object([
            "statusCode": .string(error.code.rawValue), "message": .string(error.message),
            "fields": .array(error.fields.map { .string($0) }),
        ])
    }

    /// A save result: `{"id":..., "success":..., "errors":[...]}`, plus `created` for upserts.
    static func saveResult(id: String?, errors: [SimulatedDMLError] = [], created: Bool? = nil) -> JSONValue {
        var object: JSONObject = ["id": id.map { .string($0) } ?? .null, "success": .bool(errors.isEmpty)]
        object["errors"] = .array(errors.map(recordError))
        if let created { object["created"] = .bool(created) }
        return .object(object)
    }

    /// An OAuth error: `{"error":..., "error_description":...}`.
    static func oauth(_ status: Int, _ error: String, _ description: String) -> HTTPResponse {
        HTTPResponse(status: status, json: ["error": .string(error), "error_description": .string(description)])
    }

    static let sessionExpired = error(401, .invalidSessionID, "Session expired or invalid")
    static let requestLimit = error(403, .requestLimitExceeded, "TotalRequests Limit exceeded.")
    static let concurrentLimit = error(
        403, .requestLimitExceeded,
        "ConcurrentPerOrgLongTxn Limit exceeded. Too many requests running for 20 seconds or longer at once; retry later.")
    static let serverUnavailable = error(
        503, .serverUnavailable, "Server temporarily unavailable. Please try again later.")
    static let notFound = error(404, .notFound, "The requested resource does not exist")
    static let afterWrite = error(
        500, "UNKNOWN_EXCEPTION",
        "An unexpected error occurred. Please include this ErrorId if you contact support: 1183925131-50505 (-1427398421)")

    /// 302 Found to the login host, as a call to the wrong host or a Lightning URL gets.
    static let redirect = HTTPResponse(
        status: 302,
        headers: ["Location": "https://login.salesforce.com/?ec=302&startURL=%2Fservices%2Fapexrest", "Content-Type": "text/html"],
        text: "<html><body>Redirecting to <a href=\"https://login.salesforce.com/\">login.salesforce.com</a></body></html>")

    /// The reply with its body padded by trailing spaces to `size` bytes (JSON with trailing whitespace is still
    /// valid JSON).
    static func padded(_ response: HTTPResponse, to size: Int) -> HTTPResponse {
        var copy = response
        if copy.body.count < size { copy.body.append(Data(repeating: 0x20, count: size - copy.body.count)) }
        return copy
    }

    /// The body cut in half (so it is not JSON), or a lone `{` when it was empty.
    static func malformed(_ response: HTTPResponse) -> HTTPResponse {
        var copy = response
        copy.body = response.body.isEmpty ? Data("{".utf8) : response.body.prefix(max(1, response.body.count / 2))
        if copy.status == 204 { copy.status = 200 }
        return copy
    }
}
