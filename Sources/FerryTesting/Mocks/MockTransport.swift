import FerryCore
import Foundation

/// An ``/FerryCore/HTTPTransport`` for tests: answers by method and path from scripted replies and records every
/// request.
///
/// ```swift
/// let transport = MockTransport()
/// transport.on(.post, "/services/oauth2/token", reply: HTTPResponse(status: 200, json: ["access_token": "t"]))
/// transport.on(.post, "/services/apexrest/CleverTap/InsertNPSFeedback",
///              replies: [HTTPResponse(status: 503), HTTPResponse(status: 200, text: #""Success""#)])
/// // ... run the code under test ...
/// #expect(transport.requests(to: "/services/apexrest/CleverTap/InsertNPSFeedback").count == 2)
/// ```
///
/// A route with several replies gives them in order and repeats the last. A request no route matches gets a
/// 404 whose body says so, and is recorded like any other.
public final class MockTransport: HTTPTransport {
    /// Answers one request.
    public typealias Responder = @Sendable (HTTPRequest) async throws -> HTTPResponse

    private struct Route {
        let method: HTTPMethod?
        let path: String
        let responder: Responder
    }

    private struct State {
        var routes: [Route] = []
        var requests: [HTTPRequest] = []
    }

    private let state = FerryMutex(State())

    /// Creates a transport with no routes.
    public init() {}

    /// Answers requests to `path` (and with `method`, when given) with `responder`. Later routes take precedence.
    /// - Parameters:
    ///   - method: The method to match, or `nil` for any.
    ///   - path: The URL path to match exactly; a trailing `*` matches any path with that prefix.
    ///   - responder: Produces the reply (it may also throw, e.g. a `TransportError`).
    public func on(_ method: HTTPMethod?, _ path: String, respond responder: @escaping Responder) {
        state.withLock { $0.routes.append(Route(method: method, path: path, responder: responder)) }
    }

    /// Answers requests to `path` with `reply`, every time.
    /// - Parameters:
    ///   - method: The method to match, or `nil` for any.
    ///   - path: The URL path (a trailing `*` matches a prefix).
    ///   - reply: The reply.
    public func on(_ method: HTTPMethod?, _ path: String, reply: HTTPResponse) {
        on(method, path) { _ in reply }
    }

    /// Answers requests to `path` with `replies` in order, repeating the last.
    /// - Parameters:
    ///   - method: The method to match, or `nil` for any.
    ///   - path: The URL path (a trailing `*` matches a prefix).
    ///   - replies: The replies, at least one.
    public func on(_ method: HTTPMethod?, _ path: String, replies: [HTTPResponse]) {
        let counter = FerryMutex(0)
        on(method, path) { _ in
            let index = counter.withLock { count -> Int in
                defer { count += 1 }
                return count
            }
            return replies.isEmpty ? HTTPResponse(status: 500, text: "MockTransport: no replies scripted")
                : replies[min(index, replies.count - 1)]
        }
    }

    /// Every request received, in order.
    public var requests: [HTTPRequest] { state.withLock { $0.requests } }

    /// The requests whose path is `path`.
    /// - Parameter path: The URL path.
    /// - Returns: The matching requests, in order.
    public func requests(to path: String) -> [HTTPRequest] {
        requests.filter { $0.url.path == path }
    }

    /// Records the request and answers it from the routes.
    /// - Parameter request: The request.
    /// - Returns: The scripted reply, or a 404 when no route matches.
    /// - Throws: Whatever the matching responder throws.
    public func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let route = state.withLock { state -> Route? in
            state.requests.append(request)
            return state.routes.last { route in
                (route.method == nil || route.method == request.method) && MockTransport.matches(route.path, request.url.path)
            }
        }
        guard let route else {
            return HTTPResponse(
                status: 404, json: [["errorCode": "NOT_FOUND", "message": .string("MockTransport: no route for \(request.method) \(request.url.path)")]])
        }
        return try await route.responder(request)
    }

    static func matches(_ pattern: String, _ path: String) -> Bool {
        if pattern.hasSuffix("*") { return path.hasPrefix(String(pattern.dropLast())) }
        return pattern == path
    }
}
