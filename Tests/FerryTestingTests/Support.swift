import FerryTesting
import Foundation
import Testing

/// Shared set-up for the simulated org's tests.
enum Fixture {
    static let clientID = SimulatedClient.example.id
    static let secret = "ferry-client-secret"

    /// `Feedback__c`: Name (Text 80, required), Score__c (Number), Comment__c (Text 20), Submitted__c (Date/Time),
    /// Delivery_Key__c (external ID, unique), Legacy_Key__c (external ID, not unique).
    static func feedback() throws -> SimulatedObject {
        try SimulatedObject("Feedback__c", fields: [
            .text("Name", length: 80, required: true), .number("Score__c"), .text("Comment__c", length: 20),
            .dateTime("Submitted__c"), .text("Delivery_Key__c", externalID: true, unique: true),
            .text("Legacy_Key__c", externalID: true), .checkbox("Promoter__c"), .date("Visit__c"),
            .email("Email__c"), .picklist("Channel__c", values: ["Email", "Push"]),
        ])
    }

    static func org(clock: ManualClock, configure: (inout SimulatedSalesforceOrg.Configuration) -> Void = { _ in })
        throws -> SimulatedSalesforceOrg
    {
        var configuration = SimulatedSalesforceOrg.Configuration()
        configure(&configuration)
        let org = SimulatedSalesforceOrg(configuration: configuration, clock: clock)
        org.register(try feedback())
        return org
    }
}

extension SimulatedSalesforceOrg {
    func url(_ path: String) -> URL {
        URL(string: org.baseURL.absoluteString + path) ?? org.baseURL
    }

    /// POSTs a token request with the client in the body.
    func tokenReply(_ form: String, headers: HTTPHeaders = ["Content-Type": "application/x-www-form-urlencoded"])
        async throws -> HTTPResponse
    {
        try await send(HTTPRequest(method: .post, url: url("/services/oauth2/token"), headers: headers, body: Data(form.utf8)))
    }

    /// A fresh access token for the example client.
    func accessToken() async throws -> String {
        let reply = try await tokenReply(
            "grant_type=client_credentials&client_id=\(Fixture.clientID)&client_secret=\(Fixture.secret)")
        return try #require(JSONValue(parsing: reply.body)["access_token"]?.stringValue)
    }

    /// An API call with a bearer token.
    func call(_ method: HTTPMethod, _ path: String, json: JSONValue? = nil, text: String? = nil, token: String?,
              headers: HTTPHeaders = [:]) async throws -> HTTPResponse
    {
        var all = headers
        if let token { all["Authorization"] = "Bearer \(token)" }
        if json != nil { all["Content-Type"] = "application/json" }
        let body = json.map { $0.jsonData() } ?? text.map { Data($0.utf8) }
        return try await send(HTTPRequest(method: method, url: url(path), headers: all, body: body))
    }
}

extension HTTPResponse {
    var json: JSONValue? { try? JSONValue(parsing: body) }
}

let v66 = "/services/data/v66.0"

/// Moves a manual clock to each next deadline until `done` holds. Time moves only while the code under test is
/// asleep on the clock, so it never jumps past a deadline still being set; between those moments it waits for the
/// next outcome (``OutcomeLog`` signals ``progress``) or the next sleeper on the clock, never on a timer. Fails
/// after `maxSteps` moves or 60 s.
func drive(_ clock: ManualClock, maxSteps: Int = 20_000, until done: @Sendable () async -> Bool) async {
    let giveUp = ContinuousClock.now + .seconds(60)
    var advances = 0
    while advances < maxSteps, ContinuousClock.now < giveUp {
        let seen = progress.generation
        if await done() { return }
        if clock.sleeperCount > 0, let next = clock.nextDeadline {
            clock.advance(to: next)
            advances += 1
        } else {
            await progress.wait(after: seen, orSleeperOn: clock, giveUpAt: giveUp)
        }
    }
    Issue.record("the condition did not hold after \(advances) clock steps")
}

/// Signalled by every ``OutcomeLog`` of this test target (the tests run in parallel; a wake-up from another test
/// only makes a waiter check its condition again).
let progress = ProgressSignal()

/// Collects delivery outcomes.
final class OutcomeLog: Sendable {
    private let storage = FerryMutex<[DeliveryOutcome]>([])
    var handler: @Sendable (DeliveryOutcome) -> Void {
        { [self] outcome in
            storage.withLock { $0.append(outcome) }
            progress.signal()
        }
    }
    var outcomes: [DeliveryOutcome] { storage.withLock { $0 } }
    var count: Int { storage.withLock { $0.count } }
}
