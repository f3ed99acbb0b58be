import FerryCore
import Foundation
import SalesforceModels

/// A Salesforce org in your process: an ``/FerryCore/HTTPTransport`` that answers the token endpoint, Apex REST classes
/// written as Swift closures, sObject create and upsert, sObject Collections, Bulk API 2.0 ingest and `describe`
/// with Salesforce's exact shapes — and fails on purpose when a test asks it to.
///
/// Use it anywhere a transport goes:
///
/// ```swift
/// let clock = ManualClock()
/// let org = SimulatedSalesforceOrg(clock: clock)
/// org.register(.insertNPSFeedback(), namespace: "CleverTap", mapping: "/InsertNPSFeedback")
/// org.inject(.everyNthCall(3, .serverUnavailable))
///
/// let tokens = try ClientCredentialsTokenProvider.salesforce(
///     org: org.org, clientID: "ferry-client-id", clientSecret: Secret("ferry-client-secret"),
///     transport: org, clock: clock)
/// // ... deliver with a DeliveryPipeline whose transport is `org` ...
/// #expect(org.records(of: "CleverTap__CleverTap_NPS__c").count == 10)
/// ```
///
/// Every API call needs a bearer token the org issued and that has not expired (the session lifetime is measured
/// on the injected clock), counts against the daily allocation and carries `Sforce-Limit-Info`. State is kept
/// behind a `Mutex`, so pipelines may call it concurrently.
public final class SimulatedSalesforceOrg: HTTPTransport {
    /// The configuration it was created with.
    public let configuration: Configuration
    /// The clock sessions, latency and record dates use.
    public let clock: any FerryClock
    let state: FerryMutex<OrgState>
    /// Signalled when a request comes in and again when its answer is ready (its counters and records updated),
    /// so a test can wait for the org to have seen something (a fault injected, a record stored) without
    /// sleeping: read ``ProgressSignal/generation``, check the condition, then
    /// ``ProgressSignal/wait(after:orSleeperOn:giveUpAt:)``.
    ///
    /// ```swift
    /// let giveUp = ContinuousClock.now + .seconds(60)
    /// while ContinuousClock.now < giveUp {
    ///     let seen = org.activity.generation
    ///     if org.counters.faultsInjected > 0 { break }
    ///     await org.activity.wait(after: seen, giveUpAt: giveUp)
    /// }
    /// ```
    public let activity = ProgressSignal()

    /// Creates an org.
    /// - Parameters:
    ///   - configuration: Its My Domain, clients, session lifetime, limits (defaults: a fresh production org at
    ///     `https://acme.my.salesforce.com` with the client ``SimulatedClient/example``).
    ///   - clock: The clock for sessions and latency; pass a `ManualClock` in tests.
    public init(configuration: Configuration = Configuration(), clock: any FerryClock = SystemClock()) {
        self.configuration = configuration
        self.clock = clock
        var initial = OrgState()
        for client in configuration.clients { initial.clients[client.id] = client }
        state = FerryMutex(initial)
    }

    /// The org's My Domain, for `ClientCredentialsTokenProvider.salesforce(org:...)` and `SalesforceEndpoints`.
    public var org: SalesforceOrg { configuration.org }

    /// The org's endpoints at the default API version.
    public var endpoints: SalesforceEndpoints { SalesforceEndpoints(org: configuration.org) }

    // MARK: Set-up

    /// Registers (or replaces the schema of) an object. Records already stored are kept.
    /// - Parameter object: The schema.
    public func register(_ object: SimulatedObject) {
        state.withLock { state in
            let key = object.name.fullName.lowercased()
            if var existing = state.objects[key] {
                existing.schema = object
                state.objects[key] = existing
            } else {
                state.objects[key] = OrgState.ObjectStore(
                    schema: object, keyPrefix: SalesforceIDs.keyPrefix(index: state.objects.count))
            }
        }
    }

    /// Registers an External Client App (replacing one with the same id).
    /// - Parameter client: The client.
    public func register(_ client: SimulatedClient) {
        state.withLock { $0.clients[client.id] = client }
    }

    /// Registers an Apex REST class at `/services/apexrest/<namespace>/<mapping>`, and the objects it writes to
    /// that are not registered yet.
    /// - Parameters:
    ///   - apexClass: The class.
    ///   - namespace: The org's namespace prefix, or `nil` for an org without one.
    ///   - mapping: The `urlMapping`, e.g. `/InsertNPSFeedback` (case-sensitive; `*` matches one segment, or the
    ///     rest when last).
    ///   - method: The HTTP method its `@Http...` method answers (default POST).
    public func register(_ apexClass: SimulatedApexClass, namespace: String? = nil, mapping: String, method: HTTPMethod = .post) {
        var segments = namespace.map { [$0] } ?? []
        segments += mapping.split(separator: "/").map(String.init)
        let known = state.withLock { state in Set(state.objects.keys) }
        for object in apexClass.objects where !known.contains(object.name.fullName.lowercased()) { register(object) }
        state.withLock { state in
            state.apexRoutes.append(OrgState.ApexRoute(segments: segments, method: method, apexClass: apexClass))
        }
    }

    /// Registers the class `ferry apex` generates for `spec` at the spec's namespace and mapping, and its object.
    /// - Parameter spec: The spec given to `ferry apex`.
    public func register(generatedClassFor spec: ApexObjectSpec) {
        register(.generated(spec), namespace: spec.namespace?.prefix, mapping: spec.mapping.path)
    }

    // MARK: Faults and sessions

    /// Adds a fault rule; rules combine (see ``SimulatedFaultRule``).
    /// - Parameter rule: The rule.
    public func inject(_ rule: SimulatedFaultRule) {
        state.withLock { $0.faults.append(OrgState.FaultState(rule: rule)) }
    }

    /// Removes every fault rule and pending token endpoint failure.
    public func removeAllFaults() {
        state.withLock { state in
            state.faults.removeAll()
            state.tokenFailures = (0, 503)
        }
    }

    /// Makes the token endpoint fail the next `count` requests with `status` and an HTML body (as Salesforce's
    /// edge answers during maintenance).
    /// - Parameters:
    ///   - count: How many requests fail.
    ///   - status: The status (default 503).
    public func failTokenRequests(next count: Int, status: Int = 503) {
        state.withLock { $0.tokenFailures = (max(0, count), status) }
    }

    /// Ends every session at once (as a password reset or an admin's "revoke all" does): every token issued so
    /// far is refused with 401 `INVALID_SESSION_ID`.
    public func expireAllSessions() {
        state.withLock { state in
            for key in state.sessions.keys { state.sessions[key]?.revoked = true }
        }
    }

    /// Every access token the org has issued (in no particular order), for tests that search output for a
    /// leaked token.
    public var issuedAccessTokens: [String] {
        state.withLock { Array($0.sessions.keys) }
    }

    /// Sessions that have neither expired nor been revoked.
    public var activeSessionCount: Int {
        let now = clock.now
        return state.withLock { state in state.sessions.values.filter { !$0.revoked && $0.expiresAt > now }.count }
    }

    // MARK: Read-back

    /// The records of an object, in the order created.
    /// - Parameter object: The object's API name (case-insensitive).
    /// - Returns: The records (empty for an unknown object).
    public func records(of object: String) -> [SimulatedRecord] {
        state.withLock { $0.objects[object.lowercased()]?.records ?? [] }
    }

    /// Requests received whose answer is not ready yet (one waiting out injected latency included): zero means
    /// no caller is waiting on the org. ``activity`` is signalled whenever it changes.
    public var requestsInFlight: Int { state.withLock { $0.requestsInFlight } }

    /// The counters.
    public var counters: SimulatedOrgCounters { state.withLock { $0.counters } }

    /// Every request received, in order, with secrets redacted.
    public var requests: [SimulatedOrgRequest] { state.withLock { $0.requests } }

    /// The requests to one path.
    /// - Parameter path: The URL path.
    /// - Returns: The matching requests, in order.
    public func requests(to path: String) -> [SimulatedOrgRequest] { requests.filter { $0.path == path } }

    /// The `Sforce-Limit-Info` value now: `api-usage=N/LIMIT`.
    public var limitInfo: String {
        "api-usage=\(state.withLock { $0.counters.apiUsage })/\(configuration.dailyAPILimit)"
    }

    // MARK: DML

    /// Inserts a record as Apex's `insert` would: validated against the schema, given an 18-character id.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - fields: The values.
    /// - Returns: The stored record.
    /// - Throws: ``SimulatedDMLError``: `INVALID_TYPE` (unknown object), `INVALID_FIELD`,
    ///   `INVALID_TYPE_ON_FIELD_IN_RECORD`, `STRING_TOO_LONG`, `REQUIRED_FIELD_MISSING`, `DUPLICATE_VALUE`, ...
    public func insert(_ object: String, _ fields: JSONObject) throws(SimulatedDMLError) -> SimulatedRecord {
        let now = clock.now
        return try state.withLock { state throws(SimulatedDMLError) -> SimulatedRecord in
            let (key, validator) = try SimulatedSalesforceOrg.validator(object, state, .dml)
            return try state.insert(key, try validator.normalise(fields), validator: validator, now: now)
        }
    }

    /// Creates or updates the record whose `externalIDField` equals `value` (ignoring case), as
    /// `Database.upsert` does.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: An external-ID field.
    ///   - value: The value to match.
    ///   - fields: The other values.
    /// - Returns: The record and whether it was created.
    /// - Throws: ``SimulatedDMLError`` (`DUPLICATE_EXTERNAL_ID` when several records match; `INVALID_FIELD` when the
    ///   field is not an external ID).
    public func upsert(_ object: String, externalIDField: String, value: String, _ fields: JSONObject)
        throws(SimulatedDMLError) -> (record: SimulatedRecord, created: Bool)
    {
        let now = clock.now
        return try state.withLock { state throws(SimulatedDMLError) -> (record: SimulatedRecord, created: Bool) in
            let (key, validator) = try SimulatedSalesforceOrg.validator(object, state, .dml)
            guard let field = validator.schema.field(named: externalIDField), field.externalID else {
                throw SimulatedDMLError(
                    .invalidField, "Invalid field for upsert, must be an External Id custom or standard indexed field: \(externalIDField)")
            }
            switch try state.upsert(key, field: field, value: value, try validator.normalise(fields), validator: validator, now: now) {
            case .created(let record): return (record, true)
            case .updated(let record): return (record, false)
            case .several(let ids):
                throw SimulatedDMLError(
                    "DUPLICATE_EXTERNAL_ID",
                    "\(field.name.fullName): more than one record found for external id field: [\(ids.joined(separator: ", "))]",
                    fields: [field.name.fullName])
            case .notFound:
                throw SimulatedDMLError(.notFound, "The requested resource does not exist")
            }
        }
    }

    static func validator(_ object: String, _ state: OrgState, _ source: RecordValidator.Source)
        throws(SimulatedDMLError) -> (String, RecordValidator)
    {
        let key = object.lowercased()
        guard let store = state.objects[key] else {
            throw SimulatedDMLError(.invalidType, "sObject type '\(object)' is not supported.")
        }
        return (key, RecordValidator(schema: store.schema, source: source))
    }

    static let lockError = SimulatedDMLError(
        .unableToLockRow, "unable to obtain exclusive access to this record or 1 records: a005g00000AbCdEAAZ")

    // MARK: Transport

    /// Answers a request as the org would.
    /// - Parameter request: The request; its URL must be on the org's origin.
    /// - Returns: The org's answer.
    /// - Throws: `TransportError` (`.connectionRefused`) for a request to another host, `.connectionLost` for a
    ///   ``SimulatedFault/truncatedBody(chunked:)`` (after the write), and `CancellationError` when cancelled during
    ///   injected latency.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let (response, fault) = try await answer(request)
        if case .truncatedBody? = fault?.code {
            throw TransportError(
                .connectionLost, url: request.redactedURL, detail: "the simulated org cut the reply off mid-body")
        }
        return response
    }

    /// Answers a request, saying which fault (if any) shaped the answer, so ``serveOnLoopback()`` can put
    /// transport-level faults on the wire.
    func answer(_ request: HTTPRequest) async throws -> (HTTPResponse, SimulatedFault?) {
        state.withLock { $0.requestsInFlight += 1 }
        activity.signal()
        defer {
            state.withLock { $0.requestsInFlight -= 1 }
            activity.signal()
        }
        try Task.checkCancellation()
        guard SimulatedSalesforceOrg.sameOrigin(request.url, configuration.org.baseURL) else {
            throw TransportError(
                .connectionRefused, url: request.redactedURL,
                detail: "the simulated org serves only \(configuration.org.baseURL.absoluteString)")
        }
        let path = request.url.path
        let limit = configuration.maximumRecordedRequests
        let index = state.withLock { state -> Int in
            state.requests.append(SimulatedOrgRequest.redacting(request, at: clock.now))
            if state.requests.count > limit {
                let excess = state.requests.count - limit
                state.requests.removeFirst(excess)
                state.requestsDropped += excess
            }
            state.counters.callsByPath["\(request.method) \(path)", default: 0] += 1
            return state.requestsDropped + state.requests.count - 1
        }
        let (response, fault): (HTTPResponse, SimulatedFault?)
        if path.hasPrefix("/services/oauth2/") {
            (response, fault) = (handleOAuth(request), nil)
        } else if path == "/services/data" || path == "/services/data/", request.method == .get {
            (response, fault) = (SimulatedSalesforceOrg.versions(configuration.org), nil)
        } else {
            (response, fault) = try await handleAPI(request)
        }
        state.withLock { state in
            let position = index - state.requestsDropped
            guard state.requests.indices.contains(position) else { return }
            state.requests[position].status = response.status
            state.requests[position].fault = fault
        }
        return (response, fault)
    }

    private func handleAPI(_ request: HTTPRequest) async throws -> (HTTPResponse, SimulatedFault?) {
        enum Gate {
            case refused
            case limited
            case admitted(latency: Duration, fault: SimulatedFault?)
        }
        let now = clock.now
        let limit = configuration.dailyAPILimit
        let gate = state.withLock { state -> Gate in
            state.counters.apiCalls += 1
            guard let token = SimulatedSalesforceOrg.bearerToken(request), let session = state.sessions[token],
                !session.revoked, session.expiresAt > now
            else {
                state.counters.sessionsRefused += 1
                return .refused
            }
            guard state.counters.apiUsage < limit else { return .limited }
            state.counters.apiUsage += 1
            var latency = Duration.zero
            var terminal: SimulatedFault?
            for index in state.faults.indices
            where state.faults[index].rule.scope.matches(method: request.method, path: request.url.path) {
                state.faults[index].calls += 1
                guard let fault = state.faults[index].rule.fault(forCall: state.faults[index].calls) else { continue }
                if case .latency(let duration) = fault.code {
                    latency += duration
                } else if terminal == nil {
                    terminal = fault
                } else {
                    continue
                }
                state.counters.faultsInjected += 1
                state.counters.faultsByKind[fault.description, default: 0] += 1
            }
            if terminal == .revokeSessions {
                for key in state.sessions.keys { state.sessions[key]?.revoked = true }
                state.counters.sessionsRefused += 1
            }
            return .admitted(latency: latency, fault: terminal)
        }
        switch gate {
        case .refused:
            return (Replies.sessionExpired, nil)
        case .limited:
            return (withLimitInfo(Replies.requestLimit), nil)
        case .admitted(let latency, let fault):
            if latency > .zero { try await clock.sleep(for: latency) }
            var response: HTTPResponse
            switch fault?.code {
            case .serverUnavailable?: response = Replies.serverUnavailable
            case .requestLimitExceeded?: response = Replies.requestLimit
            case .concurrentRequestLimit?: response = Replies.concurrentLimit
            case .internalErrorAfterWrite?:
                _ = await route(request, lockFault: false)
                response = Replies.afterWrite
            case .malformedReply?:
                response = Replies.malformed(await route(request, lockFault: false))
            case .unableToLockRow?:
                response = await route(request, lockFault: true)
            case .concurrentFirstInsert?:
                response = await route(request, lockFault: false, racingInsert: true)
            case .revokeSessions?:
                response = Replies.sessionExpired
            case .redirect?:
                response = Replies.redirect
            case .oversizedReply(let bytes, _)?:
                response = Replies.padded(await route(request, lockFault: false), to: bytes)
            default:
                response = await route(request, lockFault: false)
            }
            return (withLimitInfo(response), fault)
        }
    }

    private func withLimitInfo(_ response: HTTPResponse) -> HTTPResponse {
        var copy = response
        copy.headers["Sforce-Limit-Info"] = limitInfo
        return copy
    }

    private func route(_ request: HTTPRequest, lockFault: Bool, racingInsert: Bool = false) async -> HTTPResponse {
        let path = request.url.path
        if path.hasPrefix("/services/apexrest/") || path == "/services/apexrest" {
            return await handleApex(request, lockFault: lockFault, racingInsert: racingInsert)
        }
        if path.hasPrefix("/services/data/") { return handleData(request, lockFault: lockFault) }
        return Replies.notFound
    }

    /// `GET /services/data/`: the versions the org serves (no session needed, as on a real org).
    static func versions(_ org: SalesforceOrg) -> HTTPResponse {
        let releases: [(Int, String)] = [
            (62, "Winter '25"), (63, "Spring '25"), (64, "Summer '25"), (65, "Winter '26"), (66, "Spring '26"),
            (67, "Summer '26"),
        ]
        return HTTPResponse(status: 200, json: .array(releases.map { major, label in
            ["label": .string(label), "url": .string("/services/data/v\(major).0"), "version": .string("\(major).0")]
        }))
    }

    static func bearerToken(_ request: HTTPRequest) -> String? {
        guard let value = request.headers["Authorization"] else { return nil }
        let parts = value.split(separator: " ", maxSplits: 1)
        guard parts.count == 2, parts[0].lowercased() == "bearer" || parts[0].lowercased() == "oauth" else { return nil }
        return String(parts[1]).trimmingCharacters(in: .whitespaces)
    }

    static func sameOrigin(_ url: URL, _ origin: URL) -> Bool {
        func port(_ url: URL) -> Int? {
            url.port ?? (url.scheme?.lowercased() == "https" ? 443 : url.scheme?.lowercased() == "http" ? 80 : nil)
        }
        return url.scheme?.lowercased() == origin.scheme?.lowercased()
            && url.host?.lowercased() == origin.host?.lowercased() && port(url) == port(origin)
    }
}
