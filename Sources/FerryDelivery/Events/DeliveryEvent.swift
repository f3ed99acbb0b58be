import FerryCore
import Foundation

/// Something the pipeline did, for logs, metrics and traces. Events carry ids, counts, codes, durations and
/// errors as values: never payloads, headers or tokens.
///
/// An event is a ``Kind`` plus the fields that kind fills; every other field is `nil` (or empty). Kinds are
/// static members rather than enum cases, so a kind added later never breaks a caller's `switch`:
///
/// ```swift
/// Task {
///     for await event in pipeline.events() {
///         switch event.kind {
///         case .failed: logger.warning("\(event.name)", metadata: ["code": "\(event.errorCode ?? "")"])
///         default: logger.debug("\(event.name)")
///         }
///     }
/// }
/// ```
///
/// | Kind | Fields filled |
/// | --- | --- |
/// | ``Kind/attempt`` | `itemIDs`, `itemID` (the first), `attempt`, `destination` |
/// | ``Kind/attemptCompleted`` | `itemIDs`, `itemID`, `attempt`, `destination`, `status`, `errorCode`, `latency` |
/// | ``Kind/retryScheduled`` | `itemID`, `attempt`, `destination`, `status`, `errorCode`, `delay`, `failure` |
/// | ``Kind/delivered``, ``Kind/failed``, ``Kind/aborted`` | `itemID`, `attempt`, `status`, `errorCode`, `latency`, `outcome`, `failure` |
/// | ``Kind/circuitOpened`` | `until`, `destination` |
/// | ``Kind/circuitClosed``, ``Kind/sessionExpired``, ``Kind/tokenFetched`` | no more |
/// | ``Kind/apiUsage`` | `apiUsage` |
/// | ``Kind/outboxError`` | `error`, `itemIDs` when the error concerns known items |
public struct DeliveryEvent: Sendable, CustomStringConvertible {
    /// What happened. Compare with `==` or `switch` over the static members; always add a `default:`.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case attempt, attemptCompleted, retryScheduled, delivered, failed, aborted, circuitOpened, circuitClosed
            case sessionExpired, tokenFetched, apiUsage, outboxError
        }

        let code: Code

        /// A request is about to be sent for ``DeliveryEvent/itemIDs``.
        public static let attempt = Kind(code: .attempt)
        /// The destination judged the reply (or the failure) of a request: ``DeliveryEvent/latency`` is the time
        /// the request took, ``DeliveryEvent/status`` and ``DeliveryEvent/errorCode`` describe the first item's
        /// result.
        public static let attemptCompleted = Kind(code: .attemptCompleted)
        /// An item failed transiently and will be tried again after ``DeliveryEvent/delay``.
        public static let retryScheduled = Kind(code: .retryScheduled)
        /// An item was delivered; its ``DeliveryEvent/outcome`` is set.
        public static let delivered = Kind(code: .delivered)
        /// An item failed for good; its ``DeliveryEvent/outcome`` and ``DeliveryEvent/failure`` are set.
        public static let failed = Kind(code: .failed)
        /// An item's template or mapper chose not to send it; its ``DeliveryEvent/outcome`` is set.
        public static let aborted = Kind(code: .aborted)
        /// Too many consecutive transient failures: nothing is sent until ``DeliveryEvent/until``.
        public static let circuitOpened = Kind(code: .circuitOpened)
        /// A probe succeeded after the circuit was open: delivery resumes.
        public static let circuitClosed = Kind(code: .circuitClosed)
        /// The session expired (HTTP 401); the token was discarded and the request replayed once.
        public static let sessionExpired = Kind(code: .sessionExpired)
        /// A new access token was obtained.
        public static let tokenFetched = Kind(code: .tokenFetched)
        /// Salesforce reported API usage in `Sforce-Limit-Info`; see ``DeliveryEvent/apiUsage``.
        public static let apiUsage = Kind(code: .apiUsage)
        /// The outbox failed to read or write; the affected items stay where they were and are retried.
        /// ``DeliveryEvent/error`` is what the outbox threw.
        public static let outboxError = Kind(code: .outboxError)

        /// Every kind, for tables and tests.
        public static let all: [Kind] = [
            .attempt, .attemptCompleted, .retryScheduled, .delivered, .failed, .aborted, .circuitOpened,
            .circuitClosed, .sessionExpired, .tokenFetched, .apiUsage, .outboxError,
        ]

        /// Whether this kind reports an item's final outcome (delivered, failed or aborted).
        public var isOutcome: Bool { code == .delivered || code == .failed || code == .aborted }

        /// A short, constant name, suitable as a log message or metric name: `ferry.delivery.retry_scheduled`.
        public var name: String {
            switch code {
            case .attempt: "ferry.delivery.attempt"
            case .attemptCompleted: "ferry.delivery.attempt_completed"
            case .retryScheduled: "ferry.delivery.retry_scheduled"
            case .delivered: "ferry.delivery.delivered"
            case .failed: "ferry.delivery.failed"
            case .aborted: "ferry.delivery.aborted"
            case .circuitOpened: "ferry.delivery.circuit_opened"
            case .circuitClosed: "ferry.delivery.circuit_closed"
            case .sessionExpired: "ferry.delivery.session_expired"
            case .tokenFetched: "ferry.delivery.token_fetched"
            case .apiUsage: "ferry.delivery.api_usage"
            case .outboxError: "ferry.delivery.outbox_error"
            }
        }

        /// The kind's short name (`retryScheduled`), stable and safe as a metrics label.
        public var description: String { code.rawValue }
    }

    /// What happened.
    public var kind: Kind
    /// When it happened, by the pipeline's clock.
    public var date: Date
    /// The item concerned: the only one, or the first of a batch.
    public var itemID: String?
    /// Every item concerned, in order (one for per-item kinds, the batch for ``Kind/attempt``).
    public var itemIDs: [String]
    /// The attempt number (1 for the first attempt) of ``itemID``.
    public var attempt: Int?
    /// The destination the items go to (its type name, e.g. `ApexRESTDestination`).
    public var destination: String?
    /// The HTTP status of the reply, when there was one.
    public var status: Int?
    /// The failure's error code (a Salesforce code as received, or one of Ferry's).
    public var errorCode: DeliveryErrorCode?
    /// How long it took: the request for ``Kind/attemptCompleted``, acceptance to outcome for a delivered item.
    public var latency: Duration?
    /// The pause before the next attempt, for ``Kind/retryScheduled``.
    public var delay: Duration?
    /// When the circuit lets requests through again, for ``Kind/circuitOpened``.
    public var until: Date?
    /// The item's outcome, for ``Kind/delivered``, ``Kind/failed`` and ``Kind/aborted``.
    public var outcome: DeliveryOutcome?
    /// The failure, for ``Kind/retryScheduled`` and ``Kind/failed`` (and a failed ``Kind/attemptCompleted``).
    public var failure: DeliveryFailure?
    /// The org's API usage, for ``Kind/apiUsage``.
    public var apiUsage: APIUsage?
    /// The underlying error as a value (what the outbox threw, for ``Kind/outboxError``): inspect it with `as?`.
    public var error: (any Error)?

    /// Creates an event (host code rarely needs to: the pipeline makes them; tests of bridges do).
    /// - Parameters:
    ///   - kind: What happened.
    ///   - date: When.
    ///   - itemIDs: The items concerned, in order; ``itemID`` is the first.
    ///   - attempt: The attempt number.
    ///   - destination: The destination's name.
    ///   - status: The HTTP status.
    ///   - errorCode: The error code.
    ///   - latency: How long it took.
    ///   - delay: The pause before the next attempt.
    ///   - until: When the circuit closes.
    ///   - outcome: The item's outcome.
    ///   - failure: The failure.
    ///   - apiUsage: The org's API usage.
    ///   - error: The underlying error.
    public init(
        kind: Kind, date: Date, itemIDs: [String] = [], attempt: Int? = nil, destination: String? = nil,
        status: Int? = nil, errorCode: DeliveryErrorCode? = nil, latency: Duration? = nil, delay: Duration? = nil,
        until: Date? = nil, outcome: DeliveryOutcome? = nil, failure: DeliveryFailure? = nil,
        apiUsage: APIUsage? = nil, error: (any Error)? = nil
    ) {
        self.kind = kind
        self.date = date
        self.itemID = itemIDs.first
        self.itemIDs = itemIDs
        self.attempt = attempt
        self.destination = destination
        self.status = status
        self.errorCode = errorCode
        self.latency = latency
        self.delay = delay
        self.until = until
        self.outcome = outcome
        self.failure = failure
        self.apiUsage = apiUsage
        self.error = error
    }

    /// The kind's constant name, for log messages and metric names (``Kind/name``).
    public var name: String { kind.name }

    /// `kind key=value ...` with the fields that are set: ids, counts, codes, durations. Never a payload or token.
    public var description: String {
        var text = kind.description
        if !itemIDs.isEmpty {
            text += itemIDs.count == 1 ? " item=\(itemIDs[0])" : " items=\(itemIDs.count) first=\(itemIDs[0])"
        }
        if let attempt { text += " attempt=\(attempt)" }
        if let destination { text += " destination=\(destination)" }
        if let status { text += " status=\(status)" }
        if let errorCode { text += " code=\(errorCode)" }
        if let latency { text += " latency=\(latency)" }
        if let delay { text += " delay=\(delay)" }
        if let until { text += " until=\(until.formatted(.iso8601))" }
        if let apiUsage, let counter = apiUsage.apiUsage { text += " api-usage=\(counter.used)/\(counter.limit)" }
        if let error { text += " error=\(error)" }
        return text
    }
}

extension DeliveryEvent {
    /// The event for an item's outcome: the kind follows its status.
    init(outcome: DeliveryOutcome, date: Date, destination: String?, latency: Duration?) {
        let kind: Kind =
            switch outcome.status {
            case .delivered: .delivered
            case .failed: .failed
            case .aborted: .aborted
            }
        self.init(
            kind: kind, date: date, itemIDs: [outcome.itemID], attempt: outcome.attempts, destination: destination,
            status: outcome.receipt?.status ?? outcome.failure?.status, errorCode: outcome.failure?.errorCode,
            latency: latency, outcome: outcome, failure: outcome.failure)
    }
}
