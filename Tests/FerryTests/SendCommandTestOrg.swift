import Ferry
import FerryTesting
import Foundation

/// A fake Salesforce org on loopback for `ferry send` tests: the OAuth token endpoint (Salesforce's reply shape:
/// no `expires_in`, `issued_at` in epoch milliseconds as a string), an Apex REST class that upserts on the
/// `Idempotency-Key` header like the classes `ferry apex` generates, and the sObject Collections upsert endpoint.
///
/// Faults are injected by user id (the `userId` / `User_Id__c` of a payload), by Collections request number,
/// and by an expired session after a given number of API requests. Every write is counted by its key, so a line
/// stored twice, or under two keys, is visible.
final class SendCommandTestOrg: Sendable {
    /// A fault for one user's record.
    enum Fault: Sendable, Hashable {
        /// 503 `SERVER_UNAVAILABLE` on the first `times` attempts.
        case unavailable(times: Int)
        /// `UNABLE_TO_LOCK_ROW` on the first `times` attempts.
        case lockRow(times: Int)
        /// 403 `REQUEST_LIMIT_EXCEEDED` on the first `times` attempts (Apex only).
        case limit(times: Int)
        /// Stores the record, then answers 500 `APEX_ERROR` (the first attempt only; Apex only).
        case storedThen500
        /// HTTP 200 `"Error: ..."` from a class that catches its own exceptions (Apex only; every attempt).
        case errorString
        /// `REQUIRED_FIELD_MISSING` on every attempt.
        case requiredFieldMissing
        /// 503 on every attempt.
        case alwaysUnavailable
        /// Stores the record and answers after this many milliseconds of real time (Apex only; every attempt): a
        /// request longer than a short lease.
        case slow(milliseconds: Int)
    }

    /// A fault for a whole Collections request, by its 1-based number.
    enum RequestFault: Sendable, Hashable {
        case unavailable
        case limit
        /// Stores every record of the request, then answers 500.
        case storedThen500
    }

    static let clientID = "send-test-client"
    static let secret = "send-test-S3cret"
    static let apexPath = "/services/apexrest/CleverTap/InsertNPSFeedback"
    static let collectionsPath = "/services/data/v66.0/composite/sobjects/Feedback__c/Delivery_Key__c"

    private struct State {
        var tokensIssued = 0
        var tokenRequests = 0
        var validTokens: Set<String> = []
        var apiRequests = 0
        var sessionExpiredReplies = 0
        var apexRequests = 0
        var collectionsRequests = 0
        var attemptsByUser: [String: Int] = [:]
        var records: [String: JSONValue] = [:]
        var writesByKey: [String: Int] = [:]
        var keysByUser: [String: Set<String>] = [:]
        var idempotencyKeys: [String] = []
        /// Opened once the org stores this many records.
        var recordWaiters: [(count: Int, latch: Latch)] = []
    }

    /// Holds the state where the server's handler can reach it (a `Mutex` cannot be captured itself).
    private final class Ledger: Sendable {
        let state = FerryMutex(State())
    }

    private let server: LoopbackHTTPServer
    private let ledger = Ledger()

    /// Starts the org.
    /// - Parameters:
    ///   - faults: Faults by user id.
    ///   - requestFaults: Faults by Collections request number.
    ///   - expireSessionAfter: Revokes every token issued so far once the API has answered this many requests.
    init(faults: [String: Fault] = [:], requestFaults: [Int: RequestFault] = [:], expireSessionAfter: Int? = nil) throws {
        let ledger = self.ledger
        server = try LoopbackHTTPServer { request in
            let reply = SendCommandTestOrg.answer(
                request, ledger: ledger, faults: faults, requestFaults: requestFaults,
                expireSessionAfter: expireSessionAfter)
            let reached = ledger.state.withLock { state in
                let count = state.records.count
                defer { state.recordWaiters.removeAll { $0.count <= count } }
                return state.recordWaiters.filter { $0.count <= count }.map(\.latch)
            }
            for latch in reached { latch.open() }
            return reply
        }
    }

    deinit { server.stop() }

    var baseURL: String { server.baseURL.absoluteString }
    var tokenRequests: Int { ledger.state.withLock { $0.tokenRequests } }
    var apiRequests: Int { ledger.state.withLock { $0.apiRequests } }
    var apexRequests: Int { ledger.state.withLock { $0.apexRequests } }
    var collectionsRequests: Int { ledger.state.withLock { $0.collectionsRequests } }
    var sessionExpiredReplies: Int { ledger.state.withLock { $0.sessionExpiredReplies } }
    /// How many records are stored (cheap enough to poll).
    var recordCount: Int { ledger.state.withLock { $0.records.count } }
    /// Stored records by key (Idempotency-Key for Apex, external ID for Collections).
    var records: [String: JSONValue] { ledger.state.withLock { $0.records } }
    /// Accepted writes by key: 1 for a record stored once; 2 when a retry after a stored-then-500 updated it.
    var writesByKey: [String: Int] { ledger.state.withLock { $0.writesByKey } }
    /// The keys each user's record was stored under: more than one means a line was stored twice.
    var keysByUser: [String: Set<String>] { ledger.state.withLock { $0.keysByUser } }
    /// Every Idempotency-Key received, in order.
    var idempotencyKeys: [String] { ledger.state.withLock { $0.idempotencyKeys } }

    func stop() { server.stop() }

    /// Suspends until the org stores at least `count` records (or the waiting task is cancelled): signalled by the
    /// request that stores them, nothing polls.
    func waitForRecords(_ count: Int) async {
        let latch = Latch()
        let reached = ledger.state.withLock { state -> Bool in
            if state.records.count >= count { return true }
            state.recordWaiters.append((count, latch))
            return false
        }
        if !reached { await latch.wait() }
    }

    /// Suspends until every connection the org accepted is closed: after a client is killed, the requests it had
    /// sent have been answered (and stored) once this returns.
    func waitUntilNoOpenConnections() async { await server.waitUntilNoOpenConnections() }

    // MARK: - Answers

    private static func json(_ status: Int, _ body: String, usage: Int? = nil) -> LoopbackHTTPServer.Reply {
        var headers: HTTPHeaders = ["Content-Type": "application/json;charset=UTF-8"]
        if let usage { headers.add(name: "Sforce-Limit-Info", value: "api-usage=\(usage)/15000") }
        return .response(HTTPResponse(status: status, headers: headers, text: body))
    }

    private static func answer(
        _ request: HTTPRequest, ledger: Ledger, faults: [String: Fault], requestFaults: [Int: RequestFault],
        expireSessionAfter: Int?
    ) -> LoopbackHTTPServer.Reply {
        let path = request.url.path
        if path == "/services/oauth2/token" {
            let expected = "Basic " + Data("\(clientID):\(secret)".utf8).base64EncodedString()
            return ledger.state.withLock { state in
                state.tokenRequests += 1
                guard request.method == .post, request.headers["Authorization"] == expected else {
                    return json(400, #"{"error":"invalid_client","error_description":"invalid client credentials"}"#)
                }
                state.tokensIssued += 1
                let token = "00DFAKE0000000001!AQ.token\(state.tokensIssued)"
                state.validTokens.insert(token)
                let issuedAt = String(Int64(Date().timeIntervalSince1970 * 1000))
                return json(200, #"{"access_token":"\#(token)","signature":"c2ln","scope":"api","instance_url":"https://acme.my.salesforce.com","id":"https://login.salesforce.com/id/00DFAKE0000000001/005FAKE0000000001","token_type":"Bearer","issued_at":"\#(issuedAt)"}"#)
            }
        }
        let body = (try? JSONValue(parsing: request.body ?? Data())) ?? .null
        if case .slow(let milliseconds) = faults[body["userId"]?.stringValue ?? ""] {
            // The handler runs on the connection's own thread: waiting here holds only this request.
            Thread.sleep(forTimeInterval: Double(milliseconds) / 1000)
        }
        return ledger.state.withLock { state -> LoopbackHTTPServer.Reply in
            state.apiRequests += 1
            let usage = state.apiRequests
            if let expireSessionAfter, state.apiRequests == expireSessionAfter { state.validTokens.removeAll() }
            let bearer = request.headers["Authorization"].map { String($0.dropFirst("Bearer ".count)) } ?? ""
            guard state.validTokens.contains(bearer) else {
                state.sessionExpiredReplies += 1
                return json(401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#, usage: usage)
            }
            switch (request.method, path) {
            case (.post, apexPath):
                state.apexRequests += 1
                return apex(request, body: body, state: &state, faults: faults, usage: usage)
            case (.patch, collectionsPath):
                state.collectionsRequests += 1
                return collections(body: body, state: &state, faults: faults, requestFaults: requestFaults, usage: usage)
            default:
                return json(404, #"[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL \#(path)"}]"#, usage: usage)
            }
        }
    }

    /// Stores a record under `key`; returns whether it was created (a first write) rather than updated.
    private static func store(_ record: JSONValue, key: String, user: String, state: inout State) -> Bool {
        let created = state.records[key] == nil
        state.records[key] = record
        state.writesByKey[key, default: 0] += 1
        state.keysByUser[user, default: []].insert(key)
        return created
    }

    private static func apex(
        _ request: HTTPRequest, body: JSONValue, state: inout State, faults: [String: Fault], usage: Int
    ) -> LoopbackHTTPServer.Reply {
        let key = request.headers["Idempotency-Key"] ?? ""
        state.idempotencyKeys.append(key)
        let user = body["userId"]?.stringValue ?? ""
        state.attemptsByUser[user, default: 0] += 1
        let attempt = state.attemptsByUser[user] ?? 1
        switch faults[user] {
        case .unavailable(let times) where attempt <= times:
            return json(503, #"[{"errorCode":"SERVER_UNAVAILABLE","message":"Server temporarily unavailable"}]"#, usage: usage)
        case .alwaysUnavailable:
            return json(503, #"[{"errorCode":"SERVER_UNAVAILABLE","message":"Server temporarily unavailable"}]"#, usage: usage)
        case .lockRow(let times) where attempt <= times:
            return json(400, #"[{"errorCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record or 1 records: a01FAKE"}]"#, usage: usage)
        case .limit(let times) where attempt <= times:
            return json(403, #"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"TotalRequests Limit exceeded."}]"#, usage: usage)
        case .storedThen500 where attempt == 1:
            _ = store(body, key: key, user: user, state: &state)
            return json(500, #"[{"errorCode":"APEX_ERROR","message":"System.LimitException: Apex CPU time limit exceeded\n\nClass.InsertNPSFeedback.doPost: line 31, column 1"}]"#, usage: usage)
        case .errorString:
            return json(200, #""Error: Insert failed. First exception on row 0; first error: INVALID_TYPE_ON_FIELD_IN_RECORD, npsScore: value not of required type""#, usage: usage)
        case .requiredFieldMissing:
            return json(400, #"[{"errorCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]"#, usage: usage)
        default:
            _ = store(body, key: key, user: user, state: &state)
            return json(200, #""Success""#, usage: usage)
        }
    }

    private static func collections(
        body: JSONValue, state: inout State, faults: [String: Fault], requestFaults: [Int: RequestFault], usage: Int
    ) -> LoopbackHTTPServer.Reply {
        let number = state.collectionsRequests
        switch requestFaults[number] {
        case .unavailable:
            return json(503, #"[{"errorCode":"SERVER_UNAVAILABLE","message":"Server temporarily unavailable"}]"#, usage: usage)
        case .limit:
            return json(403, #"[{"errorCode":"REQUEST_LIMIT_EXCEEDED","message":"ConcurrentPerOrgLongTxn Limit exceeded"}]"#, usage: usage)
        default:
            break
        }
        guard body["allOrNone"]?.boolValue == false, let records = body["records"]?.arrayValue, records.count <= 200 else {
            return json(400, #"[{"errorCode":"JSON_PARSER_ERROR","message":"expected allOrNone false and at most 200 records"}]"#, usage: usage)
        }
        var results: [String] = []
        for record in records {
            let user = record["User_Id__c"]?.stringValue ?? ""
            let key = record["Delivery_Key__c"]?.stringValue ?? ""
            state.attemptsByUser[user, default: 0] += 1
            let attempt = state.attemptsByUser[user] ?? 1
            switch faults[user] {
            case .lockRow(let times) where attempt <= times:
                results.append(#"{"id":null,"success":false,"errors":[{"statusCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record or 1 records: a01FAKE","fields":[]}]}"#)
            case .requiredFieldMissing:
                results.append(#"{"id":null,"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}"#)
            default:
                let created = store(record, key: key, user: user, state: &state)
                results.append(#"{"id":"a01\#(String(key.hashValue & 0xFFFFFF, radix: 16))","success":true,"errors":[],"created":\#(created)}"#)
            }
        }
        if requestFaults[number] == .storedThen500 {
            return json(500, #"[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred. Please include this ErrorId if you contact support: 1234-5678"}]"#, usage: usage)
        }
        return json(200, "[" + results.joined(separator: ",") + "]", usage: usage)
    }
}
