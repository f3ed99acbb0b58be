import Foundation
import FerryCore
import Testing

@Suite("HTTP values")
struct HTTPValuesTests {
    @Test("header names are case-insensitive and repeated fields are kept in order")
    func headers() {
        var headers: HTTPHeaders = ["Content-Type": "application/json"]
        headers.add(name: "Set-Cookie", value: "a=1")
        headers.add(name: "set-cookie", value: "b=2")
        #expect(headers["content-type"] == "application/json")
        #expect(headers["CONTENT-TYPE"] == "application/json")
        #expect(headers.values(for: "SET-COOKIE") == ["a=1", "b=2"])
        #expect(headers.count == 3)
        #expect(headers.contains("set-Cookie"))
        #expect(!headers.contains("Authorization"))
    }

    @Test("replaceOrAdd keeps one field at the first one's position; nil removes")
    func replaceAndRemove() {
        var headers = HTTPHeaders([("A", "1"), ("X", "1"), ("B", "2"), ("x", "2")])
        headers.replaceOrAdd(name: "X", value: "new")
        #expect(headers.fields.map(\.name) == ["A", "X", "B"])
        #expect(headers["x"] == "new")
        headers["b"] = nil
        #expect(headers.fields.map(\.name) == ["A", "X"])
        headers["Accept"] = "application/json"
        #expect(headers.fields.last == HTTPHeaders.Field(name: "Accept", value: "application/json"))
        headers.remove(name: "a")
        #expect(headers.fields.map(\.name) == ["X", "Accept"])
    }

    @Test("descriptions never show credentials, bodies or queries")
    func redaction() {
        let headers: HTTPHeaders = ["Authorization": "Bearer 00D!secret", "Cookie": "sid=secret", "Accept": "*/*"]
        #expect(!headers.description.contains("secret"))
        #expect(headers.description.contains("Accept: */*"))
        let request = HTTPRequest(
            method: .post, url: URL(string: "https://acme.my.salesforce.com/x?token=secret")!, headers: headers,
            body: Data("secret".utf8))
        #expect(request.description == "POST https://acme.my.salesforce.com/x?…")
        let response = HTTPResponse(status: 200, headers: headers, text: "secret")
        #expect(response.description == "HTTP 200 (6 bytes)")
    }

    @Test("response helpers: success range, text, JSON body and excerpts")
    func responseHelpers() throws {
        #expect(HTTPResponse(status: 204).isSuccess)
        #expect(!HTTPResponse(status: 302).isSuccess)
        let json = HTTPResponse(status: 201, json: ["id": "a01", "success": true])
        #expect(json.headers["content-type"] == "application/json")
        #expect(try JSONValue(parsing: json.body)["id"] == "a01")
        let long = HTTPResponse(status: 500, text: String(repeating: "x", count: 300) + "\nline")
        #expect(long.bodyExcerpt(limit: 10) == "xxxxxxxxxx…")
        #expect(HTTPResponse(status: 400, text: "a\nb").bodyExcerpt() == "a b")
    }

    @Test("methods keep their names")
    func methods() {
        #expect([HTTPMethod.get, .post, .put, .patch, .delete, .head].map(\.rawValue) == ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD"])
        #expect(HTTPMethod(rawValue: "OPTIONS").description == "OPTIONS")
    }

    @Test("transport errors say whether a retry can help and what to do")
    func transportErrors() {
        let retryable: [TransportError.Kind] = [.timeout, .connectionRefused, .connectionLost, .dnsFailure, .other]
        let final: [TransportError.Kind] = [.tls, .cancelled, .bodyTooLarge, .insecureURL, .invalidURL]
        for kind in retryable { #expect(TransportError(kind, url: "https://x").isRetryable, "\(kind)") }
        for kind in final { #expect(!TransportError(kind, url: "https://x").isRetryable, "\(kind)") }
        let error = TransportError(.dnsFailure, url: "https://acme.my.salesforce.com/x", detail: "URLError -1003")
        #expect(error.description.contains("check the My Domain name"))
        #expect(error.description.hasSuffix("[URLError -1003]"))
        #expect(error.kind.description == "dnsFailure")
    }
}
