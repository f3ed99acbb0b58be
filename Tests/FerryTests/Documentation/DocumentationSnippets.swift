// Every Swift code sample in README.md and Documentation/*.md, compiled here so it cannot rot.
// DocumentationSnippetTests checks that each sample appears in this file (or, for API excerpts, in Sources).
// The functions are never called: compiling them is the test. Their parameters stand for what a sample takes
// from its surroundings (your client id, your profile data, ...).
import Ferry
import FerryTesting
import Foundation

/// Stands in for swift-log's `Logger`, which the SDK does not depend on: the samples show the bridge against
/// the same shape of API.
struct Logger {
    enum Level { case debug, info, warning, error }
    let label: String
    init(label: String) { self.label = label }
    func log(level: Level, _ message: @autoclosure () -> String, metadata: [String: String]? = nil) {}
    func warning(_ message: @autoclosure () -> String, metadata: [String: String]? = nil) {}
    func info(_ message: @autoclosure () -> String, metadata: [String: String]? = nil) {}
    func notice(_ message: @autoclosure () -> String, metadata: [String: String]? = nil) {}
    func debug(_ message: @autoclosure () -> String, metadata: [String: String]? = nil) {}
}

/// Stands in for swift-metrics' `Counter`.
struct Counter {
    let label: String
    init(label: String) { self.label = label }
    func increment() {}
}

// README.md, Documentation/GettingStarted.md
func sampleIntegration(clientID: String, secret: String, profile: JSONValue, event: JSONValue) async throws
    -> DeliveryReport
{
    let exporter = try SalesforceExporter(
        org: .myDomain("https://acme.my.salesforce.com"),
        credentials: .clientCredentials(id: clientID, secret: secret),
        destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
        payload: .json(#"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#))
    try await exporter.send(["Profile": profile, "Event": event])
    let report = await exporter.report
    return report
}

// Documentation/Authentication.md (1)
func sampleTokenProvider(consumerKey: String, consumerSecret: String, request: inout HTTPRequest, response: HTTPResponse)
    async throws
{
    let provider = try ClientCredentialsTokenProvider.salesforce(
        myDomain: "acme.my.salesforce.com",
        clientID: consumerKey,
        clientSecret: Secret(consumerSecret),          // Secret never prints, dumps or encodes its value
        authentication: .basic,                        // or .body; Salesforce accepts both
        expiry: .automatic(sessionLifetime: .seconds(7200)))

    let token = try await provider.token()
    request.headers["Authorization"] = token.authorizationHeaderValue
    if response.status == 401 {                        // INVALID_SESSION_ID: the session died early
        await provider.invalidate(token)               // discards it only if it is still the cached one
        // fetch a new token and replay the request once
    }
}

// Documentation/Authentication.md (2)
func sampleAuthEventsBridge(domain: String, id: String, secret: Secret) throws {
    let logger = Logger(label: "ferry.auth")
    let provider = try ClientCredentialsTokenProvider.salesforce(
        myDomain: domain, clientID: id, clientSecret: secret,
        onEvent: { event in
            logger.log(level: event.kind == .fetchFailed ? .warning : .debug, "\(event.kind)",
                       metadata: ["provider": "\(event.provider)", "detail": "\(event.detail ?? "")"])
        })
    _ = provider
}

// Documentation/Core.md (1)
func sampleJSONValue() throws {
    let context: JSONValue = [
        "Profile": ["Identity": "user-1", "Email": "jane@example.com"],
        "Event": ["User Rating": 9],
    ]
    let parsed = try JSONValue(parsing: #"{"b": 1, "a": [1.5, null]}"#)
    let text = parsed.jsonString()                    // {"b":1,"a":[1.5,null]}   (key order kept)
    let first = parsed["a"]?[0]?.doubleValue           // 1.5
    let rating = context["Event"]?["User Rating"]?.intValue   // 9
    _ = (text, first, rating)
}

// Documentation/Core.md (2)
func sampleRawJSON() throws {
    let payload = try RawJSON(validating: #"{"userId": "u1", "npsScore": 9}"#)   // checked, no tree built
    let bytes = payload.data           // the bytes, exactly as given (white space and number spelling kept)
    let fields = try payload.value     // parsed on request: ["userId": "u1", "npsScore": 9]
    let written = RawJSON(["npsScore": 9])   // a JSONValue's compact text, valid by construction
    _ = (bytes, fields, written)
}

// Documentation/Core.md (3)
func sampleManualClock() async throws {
    let clock = ManualClock()
    let waiting = Task { try await clock.sleep(for: .seconds(30)) }
    await clock.waitForSleepers(count: 1)
    clock.advance(by: .seconds(30))   // wakes the task at once; no test ever sleeps
    try await waiting.value
}

// Documentation/Core.md (4)
final class SampleVisitCounter: Sendable {
    private let visits = FerryMutex([String: Int]())

    func record(_ page: String) -> Int {
        visits.withLock { visits in
            visits[page, default: 0] += 1
            return visits[page, default: 0]
        }
    }
}

// Documentation/Outbox.md (1)
func sampleFileOutbox(apex: ApexRESTDestination, transport: any HTTPTransport, item: DeliveryItem) async throws {
    let logger = Logger(label: "myapp")
    let outbox = try FileOutbox(directory: URL(fileURLWithPath: "/var/lib/myapp/ferry-outbox"))
    if !outbox.recoveryReport.isClean {
        logger.warning("outbox recovery skipped damaged records", metadata: ["skipped": "\(outbox.recoveryReport.skipped)"])
    }
    let pipeline = DeliveryPipeline(destination: apex, transport: transport, outbox: outbox)
    try pipeline.start()                          // delivers what the previous run left (pending or in flight)
    try await pipeline.send(item)                 // returns once the item is durable on disk
    let result = await pipeline.shutdown(within: .seconds(30))
    try await outbox.close()                      // flushes and releases the directory
    _ = result
}

// Documentation/Outbox.md (2)
func sampleResend(outboxDirectory: URL, pipeline: DeliveryPipeline, lines: [DeliveryItem]) async throws {
    let outbox = try FileOutbox(
        directory: outboxDirectory,
        configuration: .init(acknowledgedIDMemory: 1_000_000))   // at least the number of lines
    try await pipeline.send(contentsOf: lines)   // ids pending, leased, dead or delivered are skipped
    _ = outbox
}

// Documentation/SalesforceSetup.md
func sampleEndpoints() throws {
    let org = try SalesforceOrg("https://acme.my.salesforce.com")
    let endpoints = SalesforceEndpoints(org: org)   // API v66.0 unless told otherwise
    let url = endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"),
                                 namespace: try ApexNamespace("CleverTap"))
    _ = url
}

// Documentation/Templates.md
func samplePayloadTemplate() throws {
    let payload = try PayloadTemplate("""
        { "userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }} }
        """)
    let body = try payload.renderJSON(["Profile": ["Identity": "user-1"], "Event": ["User Rating": 9]])
    // {"userId":"user-1","npsScore":9}
    _ = body
}

// Documentation/Delivery.md (1)
func sampleDeliveryPipeline(consumerKey: String, consumerSecret: String, profile: JSONValue, event: JSONValue, eventID: String)
    async throws
{
    let org = try SalesforceOrg("https://acme.my.salesforce.com")
    let endpoints = SalesforceEndpoints(org: org)
    let tokens = try ClientCredentialsTokenProvider.salesforce(
        org: org, clientID: consumerKey, clientSecret: Secret(consumerSecret))      // caches and refreshes by itself
    let template = try PayloadTemplate(#"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#)

    let pipeline = DeliveryPipeline(
        destination: ApexRESTDestination(
            url: endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap"))),
        transport: URLSessionTransport(),
        tokenProvider: tokens,
        origin: org.baseURL)                       // the token is never sent anywhere else
    let renderer = TemplatePayloadRenderer(template)

    try await pipeline.send(context: ["Profile": profile, "Event": event], renderer: renderer, id: eventID)   // the id is the Idempotency-Key
    let result = await pipeline.shutdown(within: .seconds(30))
    print(result.report.delivered, result.report.failed, result.report.failuresByCode)
}

// Documentation/Delivery.md (2)
func sampleRouting(endpoints: SalesforceEndpoints) throws {
    let routing = RoutingDestination(
        routes: [
            "nps": SObjectCollectionsDestination(endpoints: endpoints, object: try APIName("NPS__c"),
                                                 mode: .upsert(externalIDField: try APIName("Delivery_Key__c"))),
            "lead": SObjectCollectionsDestination(endpoints: endpoints, object: try APIName("Lead")),
        ],
        selector: .payloadField("recordType"))
    _ = routing
}

// Documentation/Delivery.md (3)
func sampleRetryConfiguration() {
    var configuration = DeliveryPipeline.Configuration()
    configuration.retryPolicy = ExponentialBackoff(base: .seconds(1), maximumAttempts: 5, deadline: .seconds(600))
    _ = configuration
}

// Documentation/Delivery.md (4)
func sampleEventsBridge(pipeline: DeliveryPipeline) {
    let logger = Logger(label: "ferry.delivery")
    Task {
        for await event in pipeline.events() {
            Counter(label: event.name).increment()
            switch event.kind {
            case .failed, .retryScheduled:
                logger.warning("\(event.name)", metadata: [
                    "item": "\(event.itemID ?? "")", "attempt": "\(event.attempt ?? 0)",
                    "code": "\(event.errorCode ?? "")", "reason": "\(event.failure?.message ?? "")",
                ])
            case .circuitOpened, .sessionExpired, .outboxError:
                logger.notice("\(event.name)", metadata: ["detail": "\(event)"])
            default:
                logger.debug("\(event.name)")
            }
        }
    }
}

// Documentation/Delivery.md, Per-record order.
func sampleOrderingKey(pipeline: DeliveryPipeline, event: (id: String, userID: String), payload: JSONValue) async throws {
    var item = DeliveryItem(id: event.id, payload: payload)
    item.orderingKey = event.userID   // this user's events reach the class one at a time, in order
    try await pipeline.send(item)
}

// Documentation/Delivery.md (checked configuration)
func sampleValidateConfiguration() {
    var configuration = DeliveryPipeline.Configuration()
    configuration.leaseDuration = .milliseconds(50)
    do { try configuration.validate() } catch {
        print(error)  // leaseDuration must be at least 0.1 seconds (it is how long a deliverer holds the items ...
    }
}
