import Ferry
import Foundation

/// Everything the server reads from the environment, checked at start-up so a mistake stops it with a message
/// that names the variable, instead of failing at the first event.
struct ServerConfiguration: Sendable {
    var host: String
    var port: Int
    /// The org's My Domain URL (`https://acme.my.salesforce.com`, or the simulated org's loopback URL).
    var myDomain: String
    var clientID: String
    var clientSecret: Secret
    /// The shared secret webhook senders put in the `X-Webhook-Secret` header.
    var webhookSecret: Secret
    var object: String
    var externalIDField: String
    /// The payload template's text (from `FERRY_TEMPLATE_PATH`, or the built-in one).
    var template: String
    var outbox: OutboxLocation
    var drainDeadline: Duration
    var concurrency: Int

    enum OutboxLocation: Sendable {
        case directory(URL)
        case postgres(URL)
    }

    /// The template used without `FERRY_TEMPLATE_PATH`: one event, one Engagement_Event__c record.
    static let defaultTemplate = #"""
        {
          "Event_Id__c": "{{ id }}",
          "User_Id__c": "{{ userId }}",
          "Kind__c": "{{ kind | default: "event" }}",
          "Score__c": {{ score | default: 0 }}
        }
        """#

    /// What went wrong with the environment, and what to set.
    struct Problem: Error, CustomStringConvertible {
        var description: String
    }

    /// Reads the configuration.
    /// - Parameter environment: The variables (the process's by default).
    /// - Throws: `Problem` naming the variable that is missing or wrong.
    init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        func required(_ name: String, _ what: String) throws -> String {
            guard let value = environment[name], !value.isEmpty else {
                throw Problem(description: "\(name) is not set: set it to \(what)")
            }
            return value
        }
        func number(_ name: String, default value: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let text = environment[name], !text.isEmpty else { return value }
            guard let number = Int(text), range.contains(number) else {
                throw Problem(description: "\(name)=\(text) is not a whole number in \(range)")
            }
            return number
        }
        host = environment["HOST"] ?? "127.0.0.1"
        port = try number("PORT", default: 8080, 0...65535)
        myDomain = try required("FERRY_MY_DOMAIN", "the org's My Domain URL, e.g. https://acme.my.salesforce.com")
        clientID = try required("FERRY_CLIENT_ID", "the External Client App's Consumer Key")
        clientSecret = Secret(try required("FERRY_CLIENT_SECRET", "the External Client App's Consumer Secret"))
        webhookSecret = Secret(try required(
            "FERRY_WEBHOOK_SECRET", "the shared secret webhook senders put in the X-Webhook-Secret header"))
        object = environment["FERRY_OBJECT"] ?? "Engagement_Event__c"
        externalIDField = environment["FERRY_EXTERNAL_ID_FIELD"] ?? "Event_Id__c"
        if let path = environment["FERRY_TEMPLATE_PATH"], !path.isEmpty {
            do {
                template = try String(contentsOfFile: path, encoding: .utf8)
            } catch {
                throw Problem(description: "FERRY_TEMPLATE_PATH=\(path) cannot be read (\(error)): check the path")
            }
        } else {
            template = Self.defaultTemplate
        }
        if let url = environment["FERRY_POSTGRES_URL"], !url.isEmpty {
            guard let parsed = URL(string: url), parsed.scheme?.hasPrefix("postgres") == true, parsed.host != nil
            else {
                throw Problem(description: "FERRY_POSTGRES_URL is not a postgres://user:password@host:port/database URL")
            }
            outbox = .postgres(parsed)
        } else {
            outbox = .directory(URL(fileURLWithPath: environment["FERRY_OUTBOX_PATH"] ?? "ferry-outbox"))
        }
        drainDeadline = .seconds(try number("FERRY_DRAIN_SECONDS", default: 20, 0...3600))
        concurrency = try number("FERRY_CONCURRENCY", default: 4, 1...64)
    }
}
