import FerryTesting
import Foundation
import Testing

/// The faults that the fault matrix added: revoked sessions, redirects, cut-off and oversized replies, and
/// tokens that carry a marker.
@Suite("Simulated org: session, redirect and transport-level faults")
struct TransportFaultTests {
    static let create = "\(v66)/sobjects/Feedback__c/"

    @Test("revokeSessions ends every session at that call with 401; a new token works")
    func revokeSessions() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.sequence([nil, .revokeSessions]))
        let token = try await org.accessToken()
        #expect(try await org.call(.post, Self.create, json: ["Name": "a"], token: token).status == 201)
        let revoked = try await org.call(.post, Self.create, json: ["Name": "b"], token: token)
        #expect(revoked.status == 401)
        #expect(revoked.json?[0]?["errorCode"] == "INVALID_SESSION_ID")
        #expect(try await org.call(.post, Self.create, json: ["Name": "c"], token: token).status == 401)
        #expect(org.activeSessionCount == 0)
        let fresh = try await org.accessToken()
        #expect(try await org.call(.post, Self.create, json: ["Name": "d"], token: fresh).status == 201)
        #expect(org.records(of: "Feedback__c").map { $0["Name"] } == ["a", "d"])
        #expect(org.counters.faultsByKind == ["REVOKE_SESSIONS": 1])
    }

    @Test("redirect answers 302 to the login host and writes nothing")
    func redirect() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.nextCalls(1, .redirect))
        let token = try await org.accessToken()
        let reply = try await org.call(.post, Self.create, json: ["Name": "a"], token: token)
        #expect(reply.status == 302)
        #expect(reply.headers["Location"]?.hasPrefix("https://login.salesforce.com/") == true)
        #expect(org.records(of: "Feedback__c").isEmpty)
    }

    @Test("in process, a truncated body writes the record, then throws connectionLost")
    func truncatedInProcess() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.nextCalls(1, .truncatedBody()))
        let token = try await org.accessToken()
        await #expect { try await org.call(.post, Self.create, json: ["Name": "a"], token: token) } throws: {
            ($0 as? TransportError)?.kind == .connectionLost
        }
        do {
            _ = try await org.call(.post, Self.create, json: ["Name": "b"], token: token)
        } catch {
            Issue.record("only the first call was to fail: \(error)")
        }
        #expect(org.records(of: "Feedback__c").count == 2)
        #expect(org.requests.compactMap(\.fault) == [.truncatedBody()])
    }

    @Test("an oversized reply writes the record and pads the JSON reply to the size asked for")
    func oversizedInProcess() async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.nextCalls(1, .oversizedReply(bytes: 100_000)))
        let token = try await org.accessToken()
        let reply = try await org.call(.post, Self.create, json: ["Name": "a"], token: token)
        #expect(reply.status == 201)
        #expect(reply.body.count == 100_000)
        #expect(reply.json?["success"] == true)
        #expect(org.records(of: "Feedback__c").count == 1)
    }

    @Test("over loopback, truncated and oversized replies go on the wire as such", arguments: [false, true])
    func onTheWire(chunked: Bool) async throws {
        let org = try Fixture.org(clock: ManualClock())
        org.inject(.sequence([.truncatedBody(chunked: chunked), .oversizedReply(bytes: 64 * 1024, chunked: chunked)]))
        let token = try await org.accessToken()
        let server = try org.serveOnLoopback()
        defer { server.stop() }
        let transport = URLSessionTransport(configuration: .init(maximumResponseBodySize: 32 * 1024))
        func post(_ name: String) async throws -> HTTPResponse {
            try await transport.send(HTTPRequest(
                method: .post, url: server.url(path: Self.create),
                headers: ["Authorization": "Bearer \(token)", "Content-Type": "application/json"],
                body: Data(#"{"Name": "\#(name)"}"#.utf8)))
        }
        await #expect { try await post("a") } throws: { ($0 as? TransportError)?.kind == .connectionLost }
        await #expect { try await post("b") } throws: { ($0 as? TransportError)?.kind == .bodyTooLarge }
        #expect(try await post("c").status == 201)
        #expect(org.records(of: "Feedback__c").count == 3)
    }

    @Test("tokens carry the configured marker after their prefix")
    func tokenMarker() async throws {
        let org = try Fixture.org(clock: ManualClock()) { $0.accessTokenMarker = "MARKER-7f3a9c" }
        let token = try await org.accessToken()
        #expect(token.hasPrefix("00D5g000004XYZa!AQ4AQMARKER-7f3a9c"))
        #expect(token.count > "00D5g000004XYZa!AQ4AQMARKER-7f3a9c".count + 16)
        #expect(try await org.call(.post, Self.create, json: ["Name": "a"], token: token).status == 201)
    }
}
