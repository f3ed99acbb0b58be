/// How an item's delivery ended. Every accepted item ends in exactly one outcome: nothing is dropped.
public struct DeliveryOutcome: Sendable, Hashable, Codable {
    /// The three ways an item can end.
    public enum Status: String, Sendable, Hashable, Codable {
        /// Salesforce stored it.
        case delivered
        /// It could not be delivered; ``DeliveryOutcome/failure`` says why.
        case failed
        /// Its template or mapper chose not to send it (`{% abort %}`).
        case aborted
    }

    /// The item's id.
    public var itemID: String
    /// The item's position in its source, if it had one.
    public var sequence: Int?
    /// How it ended.
    public var status: Status
    /// Attempts made (0 for aborted items and items whose payload could not be rendered).
    public var attempts: Int
    /// The receipt, for delivered items.
    public var receipt: DeliveryReceipt?
    /// The last failure, for failed items.
    public var failure: DeliveryFailure?
    /// `true` when the item failed because retries ran out (the last failure was transient), `false` when the
    /// failure was final.
    public var gaveUp: Bool
    /// The reason given by `{% abort %}`, for aborted items.
    public var abortReason: String?

    /// A delivered outcome.
    /// - Parameters:
    ///   - item: The item.
    ///   - receipt: What Salesforce answered.
    /// - Returns: The outcome.
    public static func delivered(_ item: DeliveryItem, _ receipt: DeliveryReceipt) -> DeliveryOutcome {
        DeliveryOutcome(itemID: item.id, sequence: item.sequence, status: .delivered, attempts: item.attempts,
                        receipt: receipt, failure: nil, gaveUp: false, abortReason: nil)
    }

    /// A failed outcome.
    /// - Parameters:
    ///   - item: The item.
    ///   - failure: The last failure.
    ///   - gaveUp: Whether retries ran out (rather than the failure being final).
    /// - Returns: The outcome.
    public static func failed(_ item: DeliveryItem, _ failure: DeliveryFailure, gaveUp: Bool) -> DeliveryOutcome {
        DeliveryOutcome(itemID: item.id, sequence: item.sequence, status: .failed, attempts: item.attempts,
                        receipt: nil, failure: failure, gaveUp: gaveUp, abortReason: nil)
    }

    /// An aborted outcome.
    /// - Parameters:
    ///   - itemID: The item's id.
    ///   - sequence: Its position in the source.
    ///   - reason: The reason `{% abort %}` gave, if any.
    /// - Returns: The outcome.
    public static func aborted(itemID: String, sequence: Int?, reason: String?) -> DeliveryOutcome {
        DeliveryOutcome(itemID: itemID, sequence: sequence, status: .aborted, attempts: 0, receipt: nil,
                        failure: nil, gaveUp: false, abortReason: reason)
    }
}
