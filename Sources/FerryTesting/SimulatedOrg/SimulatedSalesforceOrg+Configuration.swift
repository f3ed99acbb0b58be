import FerryCore
import Foundation
import SalesforceModels

extension SimulatedSalesforceOrg {
    /// How a simulated org behaves. Every member has a default matching a fresh production org.
    public struct Configuration: Sendable {
        /// The org's My Domain (default `https://acme.my.salesforce.com`; a loopback URL is allowed too).
        public var org: SalesforceOrg
        /// The External Client Apps that may request tokens (default ``SimulatedClient/example``).
        public var clients: [SimulatedClient]
        /// How long a session lives after its token is issued, on the org's clock (default 2 hours, Salesforce's
        /// default session timeout). Afterwards API calls answer 401 `INVALID_SESSION_ID`.
        public var sessionLifetime: Duration
        /// The daily API request allocation reported in `Sforce-Limit-Info` (default 100,000). When it is used
        /// up, calls answer 403 `REQUEST_LIMIT_EXCEEDED` "TotalRequests Limit exceeded.".
        public var dailyAPILimit: Int
        /// How many times a Bulk API job answers `InProgress` to a poll after `UploadComplete` before its records
        /// are processed and it answers `JobComplete` (default 1).
        public var bulkPollsBeforeCompletion: Int
        /// The Run As user's time zone, which Apex's `Datetime.valueOf` reads local times in (default GMT).
        public var runAsUserTimeZone: TimeZone
        /// The 18-character organisation id (in the token's prefix and its `id` URL).
        public var organizationID: String
        /// How many received requests ``SimulatedSalesforceOrg/requests`` keeps (the most recent; default 10,000),
        /// so a long run does not grow without bound.
        public var maximumRecordedRequests: Int
        /// Text every issued access token carries right after its `<organisation id>!AQ4AQ` prefix (default `nil`:
        /// random characters only), so a test can search output for a token it never saw.
        public var accessTokenMarker: String?
        /// How far the org's clock runs ahead of the injected clock (negative: behind; default zero). Only the
        /// token response's `issued_at` shows it, as with a real org whose host's clock is wrong: sessions still
        /// last ``sessionLifetime`` from when they were issued.
        public var clockOffset: Duration

        /// Creates a configuration.
        /// - Parameters:
        ///   - org: The org's My Domain (default `https://acme.my.salesforce.com`).
        ///   - clients: The registered clients.
        ///   - sessionLifetime: The session timeout.
        ///   - dailyAPILimit: The daily API allocation.
        ///   - bulkPollsBeforeCompletion: The `InProgress` polls of a Bulk job.
        ///   - runAsUserTimeZone: The Run As user's time zone.
        ///   - organizationID: The organisation id.
        ///   - maximumRecordedRequests: How many received requests to keep.
        ///   - accessTokenMarker: Text each issued token carries after its prefix (default none).
        ///   - clockOffset: How far the org's clock runs ahead of the injected one (default zero).
        public init(
            org: SalesforceOrg = SimulatedSalesforceOrg.defaultOrg, clients: [SimulatedClient] = [.example],
            sessionLifetime: Duration = .seconds(7200), dailyAPILimit: Int = 100_000,
            bulkPollsBeforeCompletion: Int = 1, runAsUserTimeZone: TimeZone = TimeZone(identifier: "GMT") ?? .current,
            organizationID: String = "00D5g000004XYZaEAO", maximumRecordedRequests: Int = 10_000,
            accessTokenMarker: String? = nil, clockOffset: Duration = .zero
        ) {
            self.org = org
            self.clients = clients
            self.sessionLifetime = sessionLifetime
            self.dailyAPILimit = max(0, dailyAPILimit)
            self.bulkPollsBeforeCompletion = max(0, bulkPollsBeforeCompletion)
            self.runAsUserTimeZone = runAsUserTimeZone
            self.organizationID = organizationID
            self.maximumRecordedRequests = max(1, maximumRecordedRequests)
            self.accessTokenMarker = accessTokenMarker
            self.clockOffset = clockOffset
        }
    }

    /// `https://acme.my.salesforce.com`.
    public static var defaultOrg: SalesforceOrg {
        // A literal My Domain URL that SalesforceOrg's own tests accept; the fallback is never taken.
        (try? SalesforceOrg("https://acme.my.salesforce.com")) ?? fallbackOrg
    }

    private static var fallbackOrg: SalesforceOrg {
        // SalesforceOrg accepts any loopback origin, so this cannot fail either.
        (try? SalesforceOrg("http://127.0.0.1")).unsafelyUnwrapped
    }
}
