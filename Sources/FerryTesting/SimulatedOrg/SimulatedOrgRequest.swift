import FerryCore
import Foundation

/// A request a ``SimulatedSalesforceOrg`` received, with its secrets removed before it was kept: the
/// `Authorization` header keeps only its scheme, and the `client_secret` (and any token) of a form body reads
/// `<redacted>`.
public struct SimulatedOrgRequest: Sendable, Hashable, CustomStringConvertible {
    /// The request, redacted.
    public let request: HTTPRequest
    /// When it arrived (the org's clock).
    public let receivedAt: Date
    /// The status the org answered.
    public internal(set) var status: Int
    /// The fault injected into it, if any.
    public internal(set) var fault: SimulatedFault?

    /// The method.
    public var method: HTTPMethod { request.method }
    /// The URL path.
    public var path: String { request.url.path }
    /// The body as text (empty when none).
    public var bodyText: String { request.body.map { String(decoding: $0, as: UTF8.self) } ?? "" }
    /// The body as JSON, when it is JSON.
    public var json: JSONValue? { request.body.flatMap { try? JSONValue(parsing: $0) } }

    /// `POST /services/... -> 201`, with the fault when there was one.
    public var description: String {
        "\(request.method) \(request.redactedURL) -> \(status)" + (fault.map { " (fault \($0))" } ?? "")
    }

    static func redacting(_ request: HTTPRequest, at date: Date) -> SimulatedOrgRequest {
        var copy = request
        if let authorization = copy.headers["Authorization"] {
            let scheme = authorization.split(separator: " ", maxSplits: 1).first.map(String.init) ?? "?"
            copy.headers["Authorization"] = "\(scheme) <redacted>"
        }
        if copy.headers["Content-Type"]?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true
            || copy.url.path.hasPrefix("/services/oauth2/")
        {
            copy.body = FormBody.redacted(copy.body)
        }
        return SimulatedOrgRequest(request: copy, receivedAt: date, status: 0, fault: nil)
    }
}
