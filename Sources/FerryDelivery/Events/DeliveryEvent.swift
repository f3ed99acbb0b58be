import FerryCore
import Foundation

/// Something the pipeline did, for logs and metrics. Events carry ids, counts, codes and messages: never
/// payloads, headers or tokens.
///
/// Bridge them to swift-log in a few lines:
///
/// ```swift
/// Task {
///     for await event in pipeline.events() {
///         logger.info("\(event.name)", metadata: ["detail": "\(event)"])
///     }
/// }
/// ```
public enum DeliveryEvent: Sendable, Hashable {
    /// A request is about to be sent for `itemCount` items; `attempt` is the first item's attempt number.
    case attempt(itemCount: Int, attempt: Int)
    /// An item failed transiently and will be tried again after `delay`.
    case retryScheduled(itemID: String, attempt: Int, delay: Duration, failure: DeliveryFailure)
    /// An item reached its outcome (delivered, failed or aborted).
    case finished(DeliveryOutcome)
    /// Too many consecutive transient failures: nothing is sent until `until`.
    case circuitOpened(until: Date)
    /// A probe succeeded after the circuit was open: delivery resumes.
    case circuitClosed
    /// The session expired (HTTP 401); the token was discarded and the request replayed once.
    case sessionExpired
    /// A new access token was obtained.
    case tokenFetched
    /// Salesforce reported API usage in `Sforce-Limit-Info`.
    case apiUsage(APIUsage)
    /// The outbox failed to read or write; the affected items stay where they were and are retried.
    case outboxError(message: String)

    /// A short, constant name for the event kind, suitable as a log message or metric name.
    public var name: String {
        switch self {
        case .attempt: "ferry.delivery.attempt"
        case .retryScheduled: "ferry.delivery.retry_scheduled"
        case .finished(let outcome): "ferry.delivery.\(outcome.status.rawValue)"
        case .circuitOpened: "ferry.delivery.circuit_opened"
        case .circuitClosed: "ferry.delivery.circuit_closed"
        case .sessionExpired: "ferry.delivery.session_expired"
        case .tokenFetched: "ferry.delivery.token_fetched"
        case .apiUsage: "ferry.delivery.api_usage"
        case .outboxError: "ferry.delivery.outbox_error"
        }
    }
}
