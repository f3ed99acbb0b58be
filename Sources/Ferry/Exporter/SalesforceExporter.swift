import FerryAuth
import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

/// Exports engagement data into one Salesforce destination: the whole integration in a few lines.
///
/// ```swift
/// let exporter = try SalesforceExporter(
///     org: .myDomain("https://acme.my.salesforce.com"),
///     credentials: .clientCredentials(id: clientID, secret: secret),
///     destination: .apexREST(namespace: "CleverTap", mapping: "/InsertNPSFeedback"),
///     payload: .json(#"{"userId": "{{ Profile.Identity | default: "0" }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#))
/// try await exporter.send(["Profile": profile, "Event": event])
/// let report = await exporter.report
/// ```
///
/// Underneath: a cached OAuth token (one request for any number of sends, refreshed before expiry, replayed once
/// after an expired session), the payload rendered safely, a ``/FerryDelivery/DeliveryPipeline`` with bounded
/// concurrency, retries with backoff and a circuit breaker, and an outbox (in memory unless you pass a durable one).
/// Make one exporter per destination; several can share a token provider through
/// ``SalesforceCredentials/tokenProvider(_:)``.
public final class SalesforceExporter: Sendable {
    /// The org.
    public let org: SalesforceOrg
    /// The token provider (share it with other exporters of the same org).
    public let tokenProvider: any TokenProvider
    /// The pipeline doing the delivery.
    public let pipeline: DeliveryPipeline
    /// Turns each context into its payload (from the exporter's ``ExportPayload``).
    public let renderer: any PayloadRenderer

    /// Creates an exporter; checks every name and parses the template before anything is sent.
    /// - Parameters:
    ///   - org: The org (see ``SalesforceModels/SalesforceOrg/myDomain(_:)``).
    ///   - credentials: How to get tokens.
    ///   - destination: Where records go.
    ///   - payload: How a context becomes a payload.
    ///   - apiVersion: The REST API version (default v66.0).
    ///   - transport: The HTTP transport. `nil` (the default) makes a `URLSessionTransport` with one connection per
    ///     unit of `configuration.concurrency`, so every deliverer has a connection. A transport you pass is used as
    ///     it is: size its connection pool to the same concurrency (an `AsyncHTTPClientTransport` from
    ///     FerryIntegrations, a mock, a simulated org).
    ///   - outbox: Where accepted items wait (default in memory; pass a `FileOutbox` for durability).
    ///   - configuration: Concurrency, retries, circuit breaker, queue size, outcome handler.
    ///   - clock: The clock (default the system clock).
    /// - Throws: `ConfigurationError` when `configuration` fails `DeliveryPipeline.Configuration.validate()`
    ///   (a negative or too short duration, contradicting settings); `SalesforceOrgError`, `APINameError`,
    ///   `TemplateError` or `AuthError` describing what is wrong.
    public init(
        org: SalesforceOrg,
        credentials: SalesforceCredentials,
        destination: ExportDestination,
        payload: ExportPayload,
        apiVersion: APIVersion = .default,
        transport: (any HTTPTransport)? = nil,
        outbox: any Outbox = InMemoryOutbox(),
        configuration: DeliveryPipeline.Configuration = DeliveryPipeline.Configuration(),
        clock: any FerryClock = SystemClock()
    ) throws {
        try configuration.validate()
        self.org = org
        let transport = transport ?? URLSessionTransport(
            configuration: URLSessionTransport.Configuration(maximumConnectionsPerHost: configuration.concurrency.value))
        let endpoints = SalesforceEndpoints(org: org, version: apiVersion)
        tokenProvider = try credentials.makeProvider(org, transport, clock)
        renderer = try payload.make()
        pipeline = DeliveryPipeline(
            destination: try destination.make(endpoints, clock), transport: transport, tokenProvider: tokenProvider,
            origin: org.baseURL, outbox: outbox, configuration: configuration, clock: clock)
    }

    /// Renders `context` and accepts it for delivery; returns once it is queued (durably, with a durable outbox).
    /// - Parameters:
    ///   - context: The render context, e.g. `["Profile": profile, "Event": event]`.
    ///   - id: A stable id for the record (sent as `Idempotency-Key`): derive it from the source event so a resend
    ///     is recognised; default a random UUID.
    /// - Returns: Accepted, aborted by the template, or not rendered (with the reason, also in the report).
    /// - Throws: `DeliveryError` after shutdown or when the outbox cannot store it; `CancellationError`.
    @discardableResult
    public func send(_ context: JSONValue, id: String = UUID().uuidString) async throws -> DeliveryPipeline.SendResult {
        try await pipeline.send(context: context, renderer: renderer, id: id)
    }

    /// The report so far: delivered, failed with reasons, aborted, attempts, API calls, latency.
    public var report: DeliveryReport {
        get async { pipeline.report }
    }

    /// Events for logs and metrics.
    /// - Returns: A stream of events from now on.
    public func events() -> AsyncStream<DeliveryEvent> { pipeline.events() }

    /// Stops accepting, delivers what is outstanding until `deadline`, and returns the final report with what
    /// was not delivered.
    /// - Parameter deadline: The longest to keep delivering; `nil` waits for everything.
    /// - Returns: The shutdown result.
    public func shutdown(within deadline: Duration? = nil) async -> DeliveryPipeline.ShutdownResult {
        await pipeline.shutdown(within: deadline)
    }
}

extension SalesforceOrg {
    /// The org at a My Domain URL, checked: `https://acme.my.salesforce.com`, a sandbox's
    /// `https://acme--uat.sandbox.my.salesforce.com`, or `http://127.0.0.1:<port>` for a local test server.
    /// - Parameter url: The My Domain URL (or bare host).
    /// - Returns: The org.
    /// - Throws: `SalesforceOrgError` with the host to use instead, for login, Lightning or Setup hosts.
    public static func myDomain(_ url: String) throws -> SalesforceOrg {
        try SalesforceOrg(url)
    }
}
