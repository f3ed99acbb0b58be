import FerryCore

/// Sends each item to one of several destinations by a routing key: one pipeline feeding several custom objects
/// (the seed's FAQ: a `recordType` field choosing the object).
///
/// The key is the item's ``DeliveryItem/route`` or, with ``Selector/payloadField(_:)``, a top-level field of
/// its payload. Items whose key has no destination fail with `NO_ROUTE` (final), or go to the fallback when one
/// is given. A batch is split by destination and each part chunked to that destination's batch size.
public struct RoutingDestination: Destination {
    /// Where the routing key comes from.
    public struct Selector: Sendable {
        let key: @Sendable (DeliveryItem) -> String?

        /// The item's ``DeliveryItem/route`` (set when it was sent).
        public static let itemRoute = Selector { $0.route }

        /// A top-level string field of the payload, e.g. `recordType` (the payload is parsed to read it; a
        /// payload that is not an object, or lacks the field, has no key).
        /// - Parameter name: The field name.
        /// - Returns: The selector.
        public static func payloadField(_ name: String) -> Selector {
            Selector { (try? $0.payload.value)?[name]?.stringValue }
        }

        /// A key computed by the host.
        /// - Parameter key: Returns the routing key of an item, or `nil`.
        /// - Returns: The selector.
        public static func custom(_ key: @escaping @Sendable (DeliveryItem) -> String?) -> Selector {
            Selector(key: key)
        }
    }

    /// The destinations by routing key.
    public let routes: [String: any Destination]
    /// Where items without a matching key go; `nil` fails them.
    public let fallback: (any Destination)?
    /// How the key is read.
    public let selector: Selector

    /// Creates a routing destination.
    /// - Parameters:
    ///   - routes: The destinations by key.
    ///   - selector: Where the key comes from (default: the item's route).
    ///   - fallback: Where unmatched items go (default: nowhere; they fail with `NO_ROUTE`).
    public init(routes: [String: any Destination], selector: Selector = .itemRoute, fallback: (any Destination)? = nil) {
        self.routes = routes
        self.selector = selector
        self.fallback = fallback
    }

    /// The largest batch any route takes.
    public var maximumBatchSize: Int {
        max(routes.values.map(\.maximumBatchSize).max() ?? 1, fallback?.maximumBatchSize ?? 1)
    }

    /// Splits the batch by route and delivers each part.
    /// - Parameters:
    ///   - batch: The items.
    ///   - transport: The authorising transport.
    /// - Returns: One result per item, in order.
    public func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        var results = [DeliveryAttemptResult?](repeating: nil, count: batch.count)
        var groups: [String: [Int]] = [:]
        var order: [String] = []
        let fallbackKey = "\u{0}fallback"
        for (index, item) in batch.enumerated() {
            let key = selector.key(item)
            let group: String
            if let key, routes[key] != nil {
                group = key
            } else if fallback != nil {
                group = fallbackKey
            } else {
                results[index] = .failed(DeliveryFailure(
                    status: nil, errorCode: .noRoute,
                    message: key.map { "no destination is configured for the routing key '\($0)'; add a route for it or a fallback" }
                        ?? "the item has no routing key; set it when sending or choose a selector that finds one",
                    retryability: .final))
                continue
            }
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append(index)
        }
        for group in order {
            guard let indices = groups[group], let destination = group == fallbackKey ? fallback : routes[group] else { continue }
            let size = max(1, destination.maximumBatchSize)
            var start = 0
            while start < indices.count {
                let chunk = Array(indices[start..<min(start + size, indices.count)])
                start += size
                let chunkResults = await destination.deliver(chunk.map { batch[$0] }, using: transport)
                for (position, index) in chunk.enumerated() {
                    results[index] = position < chunkResults.count ? chunkResults[position]
                        : .failed(DeliveryFailure(
                            status: nil, errorCode: .destinationContract,
                            message: "the destination for route '\(group)' returned fewer results than items",
                            retryability: .final))
                }
            }
        }
        return results.map { $0 ?? .failed(DeliveryFailure(status: nil, errorCode: .noRoute, message: "not routed", retryability: .final)) }
    }
}
