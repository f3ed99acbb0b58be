import Ferry
import FerryTesting
import Foundation
import Testing

@Suite("ferry check", .serialized)
struct CheckCommandTests {
    static let secret = "check-S3cret"
    static let describe = """
        {"name":"Feedback__c","fields":[
          {"name":"Name","type":"string","length":10,"nillable":false,"createable":true,"defaultedOnCreate":false},
          {"name":"Score__c","type":"double","length":0,"nillable":true,"createable":true,"defaultedOnCreate":false}
        ]}
        """

    static func org(apexStatus: Int = 405, describe: String? = nil) throws -> LoopbackHTTPServer {
        try LoopbackHTTPServer { request in
            switch (request.method, request.url.path) {
            case (.post, "/services/oauth2/token"):
                let issued = Int64(Date().timeIntervalSince1970 * 1000)
                return .response(HTTPResponse(status: 200, text: #"{"access_token":"00Dxx!check-token","instance_url":"http://127.0.0.1","token_type":"Bearer","issued_at":"\#(issued)"}"#))
            case (.get, "/services/data/v66.0/sobjects/Feedback__c/describe"):
                return .response(describe.map { HTTPResponse(status: 200, text: $0) }
                    ?? HTTPResponse(status: 404, text: #"[{"errorCode":"NOT_FOUND","message":"The requested resource does not exist"}]"#))
            case (.get, "/services/apexrest/CleverTap/InsertNPSFeedback"):
                return .response(HTTPResponse(status: apexStatus, text: #"[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'GET' not allowed. Allowed are POST"}]"#))
            case (.post, "/services/apexrest/CleverTap/InsertNPSFeedback"):
                return .response(HTTPResponse(status: 200, text: #""Success""#))
            default:
                return .response(HTTPResponse(status: 404, text: #"[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL"}]"#))
            }
        }
    }

    func files(template: String, data: String) throws -> (String, String) {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-check-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        let templateURL = directory.appendingPathComponent("payload.liquid")
        let dataURL = directory.appendingPathComponent("data.jsonl")
        try template.write(to: templateURL, atomically: true, encoding: .utf8)
        try data.write(to: dataURL, atomically: true, encoding: .utf8)
        return (templateURL.path, dataURL.path)
    }

    @Test("an sObject payload that does not fit lists each problem with its fix, exit 1")
    func sObjectProblems() async throws {
        let server = try Self.org(describe: Self.describe)
        defer { server.stop() }
        let (template, data) = try files(
            template: #"{"Scor__c": {{ Event.score }}, "Name": "{{ Profile.Name }}"}"#,
            data: #"{"Profile": {"Name": "a name that is too long"}, "Event": {"score": 9}}"# + "\n")
        let result = try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", "id", "--template", template, "--data", data,
             "--sobject", "Feedback__c"], environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 1)
        #expect(result.stdout.contains("ok       token"))
        #expect(result.stdout.contains("did you mean Score__c"))
        #expect(result.stdout.contains("holds at most 10 characters"))
        #expect(!result.stdout.contains("check-token"))
        #expect(!result.stdout.contains(Self.secret) && !result.stderr.contains(Self.secret))
    }

    @Test("a fitting payload passes, exit 0")
    func sObjectFits() async throws {
        let server = try Self.org(describe: Self.describe)
        defer { server.stop() }
        let (template, data) = try files(template: #"{"Score__c": {{ score }}, "Name": "{{ name }}"}"#, data: #"{"score": 9, "name": "ok"}"#)
        let result = try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", "id", "--template", template, "--data", data,
             "--sobject", "Feedback__c"], environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 0)
        #expect(result.stdout.contains("No problems found."))
    }

    @Test("an unknown object says to check the name and permissions")
    func unknownObject() async throws {
        let server = try Self.org()
        defer { server.stop() }
        let (template, data) = try files(template: #"{"Name": "x"}"#, data: "{}")
        let result = try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", "id", "--template", template, "--data", data,
             "--sobject", "Feedback__c"], environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 1)
        #expect(result.stdout.contains("does not exist or the Run As user cannot see it"))
    }

    @Test("an Apex path: found, pinged; a path without the namespace says the namespace is probably missing")
    func apex() async throws {
        let server = try Self.org()
        defer { server.stop() }
        let (template, data) = try files(template: #"{"userId": "{{ id }}"}"#, data: #"{"id": "u1"}"#)
        let good = try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", "id", "--template", template, "--data", data,
             "--apex", "CleverTap/InsertNPSFeedback", "--ping"], environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(good.status == 0)
        #expect(good.stdout.contains("the class is there"))
        #expect(good.stdout.contains("accepted"))
        let posted = server.requests.filter { $0.method == .post && $0.url.path.hasPrefix("/services/apexrest") }
        #expect(posted.count == 1)
        #expect(posted.first?.body == Data(#"{"is_test":true}"#.utf8))
        let missing = try await CLI.run(
            ["check", "--domain", server.baseURL.absoluteString, "--client-id", "id", "--template", template, "--data", data,
             "--apex", "InsertNPSFeedback"], environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(missing.status == 1)
        #expect(missing.stdout.contains("missing namespace prefix"))
    }

    @Test("usage errors exit 2 before anything is sent", arguments: [
        ["check", "--domain", "http://acme.my.salesforce.com", "--client-id", "id", "--template", "/nonexistent", "--data", "/x", "--apex", "X"],
        ["check", "--domain", "https://acme.my.salesforce.com", "--client-id", "id", "--template", "t", "--data", "d"],
        ["check", "--domain", "https://acme.my.salesforce.com", "--client-id", "id", "--template", "t", "--data", "d", "--sobject", "A__c", "--ping"],
    ])
    func usage(arguments: [String]) async throws {
        let result = try await CLI.run(arguments, environment: ["FERRY_CLIENT_SECRET": Self.secret])
        #expect(result.status == 2)
        #expect(result.stderr.hasPrefix("error: "))
    }
}
