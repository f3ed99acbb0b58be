import FerryAuth
import FerryCore
import FerryDelivery
import Foundation

/// The facts of one ``DeliveryEvent`` or ``AuthEvent``, flattened once so the log, metrics and tracing bridges
/// read the same fields the same way instead of each switching over the events.
///
/// Only ids, counts, codes and Ferry's own messages are copied: Ferry's events carry no payloads, headers or
/// tokens, and neither does this.
package struct EventFacts: Sendable, Hashable {
    /// What happened, as a closed set the bridges switch over.
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        case attempt, attemptCompleted, retryScheduled, delivered, failed, aborted, circuitOpened, circuitClosed
        case sessionExpired, tokenFetched, apiUsage, outboxError, other
        case authTokenFetched, authTokenRefreshedInBackground, authFetchFailed, authTokenInvalidated
    }

    package var kind: Kind
    /// A constant name, used as the log message and in span names: `ferry.delivery.retry_scheduled`.
    package var name: String
    package var itemID: String?
    /// The destination's name as the pipeline reports it (its type name).
    package var destination: String?
    package var itemCount: Int?
    package var attempt: Int?
    /// The HTTP status of the reply the event is about.
    package var status: Int?
    /// The Salesforce or Ferry error code (`REQUIRED_FIELD_MISSING`, `TRANSPORT_TIMEOUT`).
    package var errorCode: DeliveryErrorCode?
    /// Ferry's message for a failure (written to say what happened and what to do; never a secret).
    package var message: String?
    package var retryDelay: Duration?
    /// From acceptance to the outcome, when the event knows it.
    package var latency: Duration?
    /// For failures: the retries ran out (`true`) or the failure was final (`false`).
    package var gaveUp: Bool?
    package var circuitOpenUntil: Date?
    package var apiUsage: APIUsage?
    /// For auth events: the provider's label (the token host).
    package var provider: String?
    /// For auth events: it happened during a background refresh.
    package var inBackground: Bool?

    init(kind: Kind, name: String) {
        self.kind = kind
        self.name = name
    }

    /// The facts of a delivery event.
    package init(_ event: DeliveryEvent) {
        let kind: Kind =
            switch event.kind {
            case .attempt: .attempt
            case .attemptCompleted: .attemptCompleted
            case .retryScheduled: .retryScheduled
            case .delivered: .delivered
            case .failed: .failed
            case .aborted: .aborted
            case .circuitOpened: .circuitOpened
            case .circuitClosed: .circuitClosed
            case .sessionExpired: .sessionExpired
            case .tokenFetched: .tokenFetched
            case .apiUsage: .apiUsage
            case .outboxError: .outboxError
            // A kind added to the SDK later is still logged and counted under its own name.
            default: .other
            }
        self.init(kind: kind, name: event.name)
        itemID = event.itemID
        if event.itemIDs.count > 1 { itemCount = event.itemIDs.count }
        attempt = event.attempt
        destination = event.destination
        status = event.status ?? (event.kind == .sessionExpired ? 401 : nil)
        errorCode = event.errorCode
        message = event.failure?.message ?? event.outcome?.abortReason ?? event.error.map { "\($0)" }
        retryDelay = event.delay
        latency = event.latency
        if event.kind == .failed { gaveUp = event.outcome?.gaveUp }
        circuitOpenUntil = event.until
        apiUsage = event.apiUsage
    }

    /// The facts of a token provider's event.
    package init(_ event: AuthEvent) {
        let kind: Kind =
            switch event.kind {
            case .tokenRefreshedInBackground: .authTokenRefreshedInBackground
            case .fetchFailed: .authFetchFailed
            case .tokenInvalidated: .authTokenInvalidated
            default: .authTokenFetched
            }
        self.init(kind: kind, name: "ferry.auth.\(EventFacts.snake(event.kind.description))")
        provider = event.provider
        inBackground = event.inBackground
        message = event.detail
    }

    /// Whether this is a fetch of a new access token (the delivery side's or a provider's own event).
    package var isTokenFetch: Bool {
        kind == .tokenFetched || kind == .authTokenFetched || kind == .authTokenRefreshedInBackground
    }

    /// The fields as ordered key/value pairs with stable keys, absent fields left out: what a log line carries.
    package var fields: [(key: String, value: String)] {
        var fields: [(key: String, value: String)] = []
        func add(_ key: String, _ value: (some CustomStringConvertible)?) {
            if let value { fields.append((key, value.description)) }
        }
        add("item_id", itemID)
        add("destination_type", destination)
        add("item_count", itemCount)
        add("attempt", attempt)
        add("status", status)
        add("error_code", errorCode)
        add("message", message)
        add("retry_delay_ms", retryDelay.map(EventFacts.milliseconds))
        add("latency_ms", latency.map(EventFacts.milliseconds))
        add("gave_up", gaveUp)
        add("circuit_open_until", circuitOpenUntil.map { $0.formatted(.iso8601) })
        add("api_usage", apiUsage?.apiUsage)
        add("api_bursts", apiUsage?.apiBursts)
        add("provider", provider)
        if inBackground == true { add("in_background", true) }
        return fields
    }

    /// Whole milliseconds, the unit log readers compare at a glance.
    package static func milliseconds(_ duration: Duration) -> Int64 {
        let (seconds, attoseconds) = duration.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }

    /// `tokenRefreshedInBackground` → `token_refreshed_in_background`.
    static func snake(_ camel: String) -> String {
        var result = ""
        for character in camel {
            if character.isUppercase {
                result.append("_")
                result.append(contentsOf: character.lowercased())
            } else {
                result.append(character)
            }
        }
        return result
    }
}
