import FerryCore

/// Keeps part of an org's daily API allocation for its other integrations: once an answer's `Sforce-Limit-Info`
/// shows the org's remaining daily requests at or below the reserve, pipelines using this reserve stop starting
/// requests: the items they would have sent stay in a durable outbox for a later run, or, with the in-memory
/// outbox, fail with ``DeliveryErrorCode/apiReserveReached``.
///
/// A reference type so that every pipeline sending to one org can share one (pass the same instance in each
/// ``DeliveryPipeline/Configuration/apiReserve``): the first answer that shows the reserve reached stops them all.
/// Separate processes each keep their own; they still stop together, because every answer carries the org-wide
/// usage.
public final class APIReserve: Sendable {
    /// The share of the daily limit kept, in percent (default 10; 0 turns the reserve off).
    public let percent: Double
    private let lastUsage = FerryMutex<APIUsage.Counter?>(nil)

    /// Creates a reserve.
    /// - Parameter percent: The share of the org's daily API limit to keep, 0 to 100 (default 10; 0: none).
    public init(percent: Double = 10) {
        self.percent = min(max(percent, 0), 100)
    }

    /// Records the usage an answer showed (answers without `api-usage` change nothing).
    /// - Parameter usage: The answer's `Sforce-Limit-Info`.
    public func observe(_ usage: APIUsage) {
        guard let counter = usage.apiUsage else { return }
        lastUsage.withLock { $0 = counter }
    }

    /// The last usage seen, when it leaves the org at or below the reserve; `nil` while requests may start.
    public var reached: APIUsage.Counter? {
        guard percent > 0, let usage = lastUsage.withLock({ $0 }) else { return nil }
        let reserve = Double(usage.limit) * percent / 100
        return Double(usage.remaining) <= reserve ? usage : nil
    }

    /// `10`, `12.5`: the same in every locale.
    private var percentText: String {
        percent == percent.rounded() ? String(Int(percent)) : String(percent)
    }

    /// The failure of an item not sent now because the reserve is reached; `nil` while requests may start.
    public var failure: DeliveryFailure? { reached.map(failure(for:)) }

    /// The failure of an item not sent because the reserve is reached.
    func failure(for usage: APIUsage.Counter) -> DeliveryFailure {
        let kept = Int((Double(usage.limit) * percent / 100).rounded(.up))
        return DeliveryFailure(
            status: nil, errorCode: .apiReserveReached,
            message: "not sent: the org has used \(usage.used)/\(usage.limit) of its daily API requests, and the "
                + "last \(kept) (\(percentText) %) are kept for its "
                + "other integrations. Send it again once the rolling 24-hour allocation allows, or lower the reserve "
                + "(apiReserve, ferry send --api-reserve-percent; 0 turns it off)",
            retryability: .final)
    }
}
