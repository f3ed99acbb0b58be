import FerryCore
import Foundation
import Tracing

/// Opens a client span around each request; see ``DeliveryTracing/transport(wrapping:)``.
struct TracingTransport: HTTPTransport {
    let base: any HTTPTransport
    let tracer: any Tracer
    let contexts: AcceptedContexts

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let isTokenFetch = request.url.path.hasSuffix("/oauth2/token")
        let itemID = isTokenFetch ? nil : request.headers["Idempotency-Key"]
        let span = tracer.startSpan(
            isTokenFetch ? "ferry.auth.token_fetch" : "ferry.delivery.attempt",
            context: ServiceContext.current ?? .topLevel, ofKind: .client)
        defer { span.end() }
        var attributes = span.attributes
        attributes["http.request.method"] = request.method.rawValue
        attributes["url.scheme"] = request.url.scheme
        attributes["url.path"] = request.url.path
        attributes["server.address"] = request.url.host
        attributes["server.port"] = request.url.port ?? (request.url.scheme == "http" ? 80 : 443)
        if let itemID {
            attributes["ferry.item_id"] = itemID
            if let accepted = contexts.context(for: itemID) {
                span.addLink(SpanLink(context: accepted, attributes: [:]))
            }
        }
        span.attributes = attributes
        do {
            // The base transport runs in the span's context, so a tracing-aware transport below propagates it.
            let response = try await ServiceContext.withValue(span.context) { try await base.send(request) }
            span.attributes["http.response.status_code"] = response.status
            if response.status >= 400 {
                span.attributes["error.type"] = "\(response.status)"
                span.setStatus(SpanStatus(code: .error))
            }
            return response
        } catch {
            span.attributes["error.type"] = (error as? TransportError).map { $0.kind.description } ?? "\(type(of: error))"
            span.recordError(error)
            span.setStatus(SpanStatus(code: .error))
            throw error
        }
    }
}
