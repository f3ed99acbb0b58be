import Foundation

/// The API usage Salesforce reports on every REST response in the `Sforce-Limit-Info` header, e.g.
/// `api-usage=18/5000; api-bursts=1/750` or the legacy `per-app-api-usage=17/250(appName=x)`.
///
/// Unknown keys are ignored, so new counters never break parsing.
public struct APIUsage: Sendable, Hashable, Codable, CustomStringConvertible {
    /// One counter: how much of a limit is used.
    public struct Counter: Sendable, Hashable, Codable, CustomStringConvertible {
        /// Requests used.
        public var used: Int
        /// The limit.
        public var limit: Int

        /// Creates a counter.
        /// - Parameters:
        ///   - used: Requests used.
        ///   - limit: The limit.
        public init(used: Int, limit: Int) {
            self.used = used
            self.limit = limit
        }

        /// Requests left before the limit (never negative).
        public var remaining: Int { max(0, limit - used) }

        /// The share used, 0 to 1 (or more when over the limit); 0 when the limit is 0.
        public var fractionUsed: Double { limit > 0 ? Double(used) / Double(limit) : 0 }

        /// `used/limit`.
        public var description: String { "\(used)/\(limit)" }
    }

    /// The org's rolling 24-hour API request usage (`api-usage`).
    public var apiUsage: Counter?
    /// Short-term burst usage (`api-bursts`), reported by newer orgs.
    public var apiBursts: Counter?
    /// The legacy per-app usage (`per-app-api-usage=17/250(appName=x)`).
    public var perAppUsage: Counter?
    /// The app named in `per-app-api-usage`.
    public var appName: String?

    /// Creates usage values.
    /// - Parameters:
    ///   - apiUsage: The daily usage.
    ///   - apiBursts: The burst usage.
    ///   - perAppUsage: The per-app usage.
    ///   - appName: The app of the per-app usage.
    public init(apiUsage: Counter? = nil, apiBursts: Counter? = nil, perAppUsage: Counter? = nil, appName: String? = nil) {
        self.apiUsage = apiUsage
        self.apiBursts = apiBursts
        self.perAppUsage = perAppUsage
        self.appName = appName
    }

    /// Parses a `Sforce-Limit-Info` value: split on `;`, then `=`, then `/`; unknown keys and malformed parts
    /// are skipped.
    /// - Parameter headerValue: The header value.
    /// - Returns: The usage, or `nil` when no known counter could be read.
    public init?(headerValue: String) {
        var usage = APIUsage()
        for part in headerValue.split(separator: ";") {
            let pair = part.split(separator: "=", maxSplits: 1)
            guard pair.count == 2 else { continue }
            let key = pair[0].trimmingCharacters(in: .whitespaces).lowercased()
            var value = pair[1].trimmingCharacters(in: .whitespaces)
            var app: String?
            if let open = value.firstIndex(of: "("), value.hasSuffix(")") {
                let inside = value[value.index(after: open)..<value.index(before: value.endIndex)]
                if inside.hasPrefix("appName=") { app = String(inside.dropFirst("appName=".count)) }
                value = String(value[..<open]).trimmingCharacters(in: .whitespaces)
            }
            let numbers = value.split(separator: "/")
            guard numbers.count == 2, let used = Int(numbers[0]), let limit = Int(numbers[1]), used >= 0, limit >= 0
            else { continue }
            let counter = Counter(used: used, limit: limit)
            switch key {
            case "api-usage": usage.apiUsage = counter
            case "api-bursts": usage.apiBursts = counter
            case "per-app-api-usage":
                usage.perAppUsage = counter
                usage.appName = app
            default: continue
            }
        }
        guard usage.apiUsage != nil || usage.apiBursts != nil || usage.perAppUsage != nil else { return nil }
        self = usage
    }

    /// Reads the `Sforce-Limit-Info` header of a response.
    /// - Parameter headers: The response headers.
    /// - Returns: The usage, or `nil` when the header is absent or unreadable.
    public init?(headers: HTTPHeaders) {
        guard let value = headers["Sforce-Limit-Info"] else { return nil }
        self.init(headerValue: value)
    }

    /// `api-usage 18/5000, api-bursts 1/750, per-app-api-usage 17/250 (x)`.
    public var description: String {
        var parts: [String] = []
        if let apiUsage { parts.append("api-usage \(apiUsage)") }
        if let apiBursts { parts.append("api-bursts \(apiBursts)") }
        if let perAppUsage { parts.append("per-app-api-usage \(perAppUsage)" + (appName.map { " (\($0))" } ?? "")) }
        return parts.joined(separator: ", ")
    }
}
