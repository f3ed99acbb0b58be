import FerryCore

/// When a ``SimulatedFault`` strikes: on every n-th call, on the next calls, or along a scripted sequence, counting
/// only the calls in the rule's ``Scope``. Rules combine: each counts its own calls; latencies add up, and the
/// first rule (in the order added) with a fault that ends the call decides the answer.
///
/// ```swift
/// org.inject(.everyNthCall(3, .serverUnavailable))                        // calls 3, 6, 9, ... get a 503
/// org.inject(.sequence([nil, .unableToLockRow, .internalErrorAfterWrite], on: .apexREST))
/// org.inject(.nextCalls(2, .requestLimitExceeded, on: .collections))
/// org.inject(.everyNthCall(1, .latency(.milliseconds(300))))             // every call is slow
/// ```
public struct SimulatedFaultRule: Sendable {
    /// The calls a rule counts and strikes.
    public struct Scope: Sendable, Hashable, CustomStringConvertible {
        let method: HTTPMethod?
        let pathPrefix: String?
        let pathContains: String?

        /// Every API call (not the token endpoint).
        public static let allAPICalls = Scope(method: nil, pathPrefix: nil, pathContains: nil)
        /// Apex REST calls (`/services/apexrest/...`).
        public static let apexREST = Scope(method: nil, pathPrefix: "/services/apexrest/", pathContains: nil)
        /// sObject calls (`/services/data/vXX.X/sobjects/...`): create, upsert, describe.
        public static let sObjects = Scope(method: nil, pathPrefix: "/services/data/", pathContains: "/sobjects/")
        /// sObject Collections calls (`/services/data/vXX.X/composite/sobjects...`).
        public static let collections = Scope(method: nil, pathPrefix: "/services/data/", pathContains: "/composite/sobjects")
        /// Bulk API 2.0 ingest calls (`/services/data/vXX.X/jobs/ingest...`).
        public static let bulk = Scope(method: nil, pathPrefix: "/services/data/", pathContains: "/jobs/ingest")

        /// Calls whose path starts with `prefix`, optionally with one method only.
        /// - Parameters:
        ///   - prefix: The path prefix, e.g. `/services/apexrest/CleverTap/InsertNPSFeedback`.
        ///   - method: The method, or `nil` for any.
        /// - Returns: The scope.
        public static func path(_ prefix: String, method: HTTPMethod? = nil) -> Scope {
            Scope(method: method, pathPrefix: prefix, pathContains: nil)
        }

        /// What the scope covers.
        public var description: String {
            var text = method.map { "\($0) " } ?? ""
            text += pathPrefix ?? "every API call"
            if let pathContains { text += " …\(pathContains)…" }
            return text
        }

        func matches(method: HTTPMethod, path: String) -> Bool {
            if let expected = self.method, expected != method { return false }
            if let pathPrefix, !path.hasPrefix(pathPrefix) { return false }
            if let pathContains {
                // `/sobjects/` must not also catch `/composite/sobjects`.
                if pathContains == "/sobjects/" && path.contains("/composite/sobjects") { return false }
                if !path.contains(pathContains) { return false }
            }
            return true
        }
    }

    enum Trigger: Sendable, Hashable {
        case everyNth(Int, SimulatedFault)
        case next(Int, SimulatedFault)
        case sequence([SimulatedFault?])
    }

    let trigger: Trigger
    let scope: Scope

    /// Strikes the n-th, 2n-th, 3n-th, ... call in `scope` (n = 1: every call).
    /// - Parameters:
    ///   - n: The period, at least 1.
    ///   - fault: The fault.
    ///   - scope: The calls counted (default every API call).
    /// - Returns: The rule.
    public static func everyNthCall(_ n: Int, _ fault: SimulatedFault, on scope: Scope = .allAPICalls)
        -> SimulatedFaultRule
    {
        SimulatedFaultRule(trigger: .everyNth(max(1, n), fault), scope: scope)
    }

    /// Strikes the next `count` calls in `scope`, then never again.
    /// - Parameters:
    ///   - count: How many calls.
    ///   - fault: The fault.
    ///   - scope: The calls counted (default every API call).
    /// - Returns: The rule.
    public static func nextCalls(_ count: Int, _ fault: SimulatedFault, on scope: Scope = .allAPICalls)
        -> SimulatedFaultRule
    {
        SimulatedFaultRule(trigger: .next(max(0, count), fault), scope: scope)
    }

    /// Gives the k-th call in `scope` the k-th element of `faults` (`nil`: no fault); calls after the end of the
    /// list get none.
    /// - Parameters:
    ///   - faults: The script.
    ///   - scope: The calls counted (default every API call).
    /// - Returns: The rule.
    public static func sequence(_ faults: [SimulatedFault?], on scope: Scope = .allAPICalls) -> SimulatedFaultRule {
        SimulatedFaultRule(trigger: .sequence(faults), scope: scope)
    }

    /// The fault for the `call`-th matching call (1-based), if any.
    func fault(forCall call: Int) -> SimulatedFault? {
        switch trigger {
        case .everyNth(let n, let fault): call % n == 0 ? fault : nil
        case .next(let count, let fault): call <= count ? fault : nil
        case .sequence(let faults): call <= faults.count ? faults[call - 1] : nil
        }
    }
}
