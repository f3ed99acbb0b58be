import FerryAuth
import FerryDelivery
import FerryEventFacts
import Logging

/// Writes Ferry's delivery and auth events to a swift-log `Logger` you pass in: a constant message per kind of
/// event (`ferry.delivery.retry_scheduled`), the facts as structured metadata (`item_id`, `attempt`, `status`,
/// `error_code`, `latency_ms`, `destination`, ...), at levels a production service wants.
///
/// ```swift
/// let deliveryLogger = DeliveryLogger(logger: logger, destination: "NPS_Feedback")
/// let provider = try ClientCredentialsTokenProvider.salesforce(
///     myDomain: myDomain, clientID: id, clientSecret: secret, onEvent: deliveryLogger.authEventHandler)
/// Task { await deliveryLogger.run(pipeline.events()) }
/// ```
///
/// Levels: a delivered item and a scheduled retry are `info` (a retry is Ferry doing its job, not an error); an
/// item that failed for good, an outbox error and a token fetch that failed while callers waited are `error`; an
/// opened circuit and a failed background refresh are `warning`; attempts, token fetches and API usage are
/// `debug`. Like Ferry's events, the metadata never carries a payload, a header, a token or a secret.
///
/// Following swift-log's advice for libraries, Ferry never bootstraps logging: the host owns the `Logger`.
public struct DeliveryLogger: Sendable {
    /// The logger written to.
    public var logger: Logger
    /// A name for the destination, added to every line as `destination` when set (to tell pipelines apart).
    public var destination: String?

    /// Creates a bridge.
    /// - Parameters:
    ///   - logger: The host's logger.
    ///   - destination: A name for the destination, added to every line as `destination`.
    public init(logger: Logger, destination: String? = nil) {
        self.logger = logger
        self.destination = destination
    }

    /// Logs one delivery event.
    /// - Parameter event: The event.
    public func log(_ event: DeliveryEvent) {
        write(EventFacts(event))
    }

    /// Logs one token provider event.
    /// - Parameter event: The event.
    public func log(_ event: AuthEvent) {
        write(EventFacts(event))
    }

    /// A handler to pass as a token provider's `onEvent`, logging its events.
    public var authEventHandler: AuthEventHandler {
        let bridge = self
        return { bridge.log($0) }
    }

    /// Logs every event of `events` until the stream ends (a pipeline's stream ends at its shutdown).
    /// - Parameter events: The events, from ``/FerryDelivery/DeliveryPipeline/events()``.
    public func run(_ events: AsyncStream<DeliveryEvent>) async {
        for await event in events { log(event) }
    }

    private func write(_ facts: EventFacts) {
        let level = DeliveryLogger.level(of: facts)
        guard logger.logLevel <= level else { return }
        var metadata: Logger.Metadata = [:]
        for field in facts.fields { metadata[field.key] = .string(field.value) }
        if let destination { metadata["destination"] = .string(destination) }
        logger.log(level: level, "\(facts.name)", metadata: metadata)
    }

    /// The level of an event: see the type's documentation.
    static func level(of facts: EventFacts) -> Logger.Level {
        switch facts.kind {
        case .attempt, .attemptCompleted, .tokenFetched, .apiUsage, .authTokenFetched, .authTokenRefreshedInBackground:
            .debug
        case .delivered, .aborted, .retryScheduled, .sessionExpired, .authTokenInvalidated, .other: .info
        case .circuitClosed: .notice
        case .circuitOpened: .warning
        case .authFetchFailed: facts.inBackground == true ? .warning : .error
        case .failed, .outboxError: .error
        }
    }
}
