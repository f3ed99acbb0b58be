import Foundation
import FerryCore

/// How a token's expiry is read from the token response: the "map the Access Token and Expiry" step of a
/// webhook's OAuth setup.
///
/// Salesforce's client-credentials response has no `expires_in`: the token lives for the session timeout from
/// `issued_at` (a string of epoch milliseconds). Use ``sessionLifetime(_:issuedAtField:)`` with the org's
/// session timeout, ``introspection`` to ask the server, or ``automatic(sessionLifetime:)`` (the Salesforce
/// default) to take `expires_in` when present and assume the lifetime otherwise.
public struct TokenExpiry: Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case expiresIn
        case secondsFromNow(field: String)
        case epochSeconds(field: String)
        case epochMilliseconds(field: String)
        case sessionLifetime(lifetime: Duration, issuedAtField: String)
        case automatic(lifetime: Duration)
        case fixedLifetime(Duration)
        case introspection
    }

    let code: Code

    /// RFC 6749's `expires_in`: seconds from when the response arrives. A response without it is an error.
    public static let expiresIn = TokenExpiry(code: .expiresIn)

    /// A named field holding seconds from when the response arrives.
    /// - Parameter field: The response field.
    /// - Returns: The expiry rule.
    public static func secondsFromNow(field: String) -> TokenExpiry { TokenExpiry(code: .secondsFromNow(field: field)) }

    /// A named field holding the expiry as Unix epoch seconds (a number or a numeric string).
    /// - Parameter field: The response field.
    /// - Returns: The expiry rule.
    public static func epochSeconds(field: String) -> TokenExpiry { TokenExpiry(code: .epochSeconds(field: field)) }

    /// A named field holding the expiry as Unix epoch milliseconds (a number or a numeric string).
    /// - Parameter field: The response field.
    /// - Returns: The expiry rule.
    public static func epochMilliseconds(field: String) -> TokenExpiry {
        TokenExpiry(code: .epochMilliseconds(field: field))
    }

    /// The issue time plus an assumed session lifetime: Salesforce's shape. Set `lifetime` to the org's (or
    /// app's, or profile's) session timeout. The issue time is read as epoch milliseconds when it has 12 or more
    /// digits, else as seconds; without the field, or when it is more than 5 minutes before or after the local
    /// clock (the two clocks disagree), the time the response arrived is used instead, so a host with a wrong
    /// clock still fetches one token per session.
    /// - Parameters:
    ///   - lifetime: The session timeout (default 2 hours, Salesforce's default).
    ///   - issuedAtField: The field holding the issue time (default `issued_at`).
    /// - Returns: The expiry rule.
    public static func sessionLifetime(_ lifetime: Duration = .seconds(7200), issuedAtField: String = "issued_at")
        -> TokenExpiry
    {
        TokenExpiry(code: .sessionLifetime(lifetime: lifetime, issuedAtField: issuedAtField))
    }

    /// `expires_in` when the response has it, else ``sessionLifetime(_:issuedAtField:)`` from `issued_at`.
    /// The default for `ClientCredentialsTokenProvider.salesforce(myDomain:clientID:clientSecret:...)` (in the Ferry
    /// module).
    /// - Parameter lifetime: The assumed session lifetime (default 2 hours).
    /// - Returns: The expiry rule.
    public static func automatic(sessionLifetime lifetime: Duration = .seconds(7200)) -> TokenExpiry {
        TokenExpiry(code: .automatic(lifetime: lifetime))
    }

    /// A fixed lifetime from when the response arrives, whatever the response says (CleverTap's advice: shorter
    /// than the Salesforce session timeout).
    /// - Parameter lifetime: The lifetime.
    /// - Returns: The expiry rule.
    public static func fixedLifetime(_ lifetime: Duration) -> TokenExpiry { TokenExpiry(code: .fixedLifetime(lifetime)) }

    /// Ask the introspection endpoint (`exp`, epoch seconds) after each fetch: one extra request per token.
    /// Needs an introspection URL in the provider's configuration.
    public static let introspection = TokenExpiry(code: .introspection)

    /// A readable summary, e.g. `issued_at + 7200s`.
    public var description: String {
        switch code {
        case .expiresIn: "expires_in"
        case .secondsFromNow(let field): "\(field) (seconds from now)"
        case .epochSeconds(let field): "\(field) (epoch seconds)"
        case .epochMilliseconds(let field): "\(field) (epoch milliseconds)"
        case .sessionLifetime(let lifetime, let field): "\(field) + \(Int(lifetime.seconds))s"
        case .automatic(let lifetime): "expires_in, else issued_at + \(Int(lifetime.seconds))s"
        case .fixedLifetime(let lifetime): "fixed \(Int(lifetime.seconds))s"
        case .introspection: "introspection exp"
        }
    }

    /// The expiry of a token received at `receivedAt` whose response is `object` (`nil` for ``introspection``,
    /// which needs another request).
    /// - Throws: A description of the problem when the field is missing or not a number.
    func expiry(in object: JSONObject, issuedAt: Date, receivedAt: Date) throws(ExpiryProblem) -> Date? {
        switch code {
        case .expiresIn:
            return receivedAt.addingTimeInterval(try TokenExpiry.number(object, "expires_in"))
        case .secondsFromNow(let field):
            return receivedAt.addingTimeInterval(try TokenExpiry.number(object, field))
        case .epochSeconds(let field):
            return Date(timeIntervalSince1970: try TokenExpiry.number(object, field))
        case .epochMilliseconds(let field):
            return Date(timeIntervalSince1970: try TokenExpiry.number(object, field) / 1000)
        case .sessionLifetime(let lifetime, let field):
            let start = object[field] == nil
                ? receivedAt : TokenExpiry.sessionStart(issuedAt: try TokenExpiry.epochDate(object, field), receivedAt: receivedAt)
            return start.addingTimeInterval(lifetime.seconds)
        case .automatic(let lifetime):
            if object["expires_in"] != nil {
                return receivedAt.addingTimeInterval(try TokenExpiry.number(object, "expires_in"))
            }
            return TokenExpiry.sessionStart(issuedAt: issuedAt, receivedAt: receivedAt).addingTimeInterval(lifetime.seconds)
        case .fixedLifetime(let lifetime):
            return receivedAt.addingTimeInterval(lifetime.seconds)
        case .introspection:
            return nil
        }
    }

    /// Why an expiry could not be read.
    struct ExpiryProblem: Error {
        let message: String
    }

    /// The largest believable gap between a token's `issued_at` and its arrival, in either direction. A larger
    /// gap means this machine's clock and the server's disagree, not an old (or future) token: the session is then
    /// counted from the arrival, or a token could look expired (or due for refresh) on arrival and each call would
    /// fetch a new one.
    static let maximumClockSkew: TimeInterval = 300

    /// When the session started, on the local clock: `issued_at` when it agrees with the arrival time within
    /// ``maximumClockSkew`` (never later than the arrival), else the arrival time.
    static func sessionStart(issuedAt: Date, receivedAt: Date) -> Date {
        let age = receivedAt.timeIntervalSince(issuedAt)
        return abs(age) > maximumClockSkew ? receivedAt : min(issuedAt, receivedAt)
    }

    static func number(_ object: JSONObject, _ field: String) throws(ExpiryProblem) -> Double {
        guard let value = object[field] else {
            throw ExpiryProblem(message: "the expiry field \"\(field)\" is missing")
        }
        if let number = value.doubleValue { return number }
        if let text = value.stringValue, let number = Double(text.trimmingCharacters(in: .whitespaces)) {
            return number
        }
        throw ExpiryProblem(message: "the expiry field \"\(field)\" is not a number (it is \(value.kindName))")
    }

    /// Reads an epoch time that may be seconds or milliseconds (12 or more integer digits: milliseconds).
    static func epochDate(_ object: JSONObject, _ field: String) throws(ExpiryProblem) -> Date {
        let number = try number(object, field)
        return Date(timeIntervalSince1970: abs(number) >= 100_000_000_000 ? number / 1000 : number)
    }
}
