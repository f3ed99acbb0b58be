import FerryCore

/// Where items go, and how: turns a batch of items into HTTP requests and the replies into one result per item.
///
/// Ferry ships Apex REST, sObject, sObject Collections and Bulk API 2.0 destinations; host applications can add
/// their own. The transport a destination receives already authorises requests (and replays once after an
/// expired session), applies the pipeline's timeouts, counts API calls, and turns a `Retry-After` HTTP-date into
/// delta-seconds on the pipeline's clock; the pipeline does the retrying, so a destination makes one attempt and
/// judges it.
public protocol Destination: Sendable {
    /// The most items one ``deliver(_:using:)`` call takes: 1 for one-request-per-item destinations, 200 for
    /// sObject Collections, thousands for Bulk API jobs.
    var maximumBatchSize: Int { get }

    /// Makes one attempt at delivering `batch`.
    /// - Parameters:
    ///   - batch: The items, at most ``maximumBatchSize``.
    ///   - transport: The authorising transport to send through.
    /// - Returns: One result per item, in the order of `batch`. A failure that hits the whole request (a 503, a
    ///   timeout) is returned for every item.
    func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult]

    /// The ordering key for an item that has none of its own (``DeliveryItem/orderingKey``), asked once when the
    /// pipeline accepts it: items with the same key are delivered one at a time, in the order they were accepted.
    /// An upsert returns the record it writes (object, external ID field and value), so an older update can never
    /// land after a newer one. The default is `nil`: no order between items.
    /// - Parameter item: The item being accepted.
    /// - Returns: The key, or `nil` for none.
    func orderingKey(for item: DeliveryItem) -> String?
}

extension Destination {
    /// `nil`: items are not ordered among themselves.
    /// - Parameter item: The item.
    /// - Returns: `nil`.
    public func orderingKey(for item: DeliveryItem) -> String? { nil }
}
