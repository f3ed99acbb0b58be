import FerryCore
import FerryDelivery
import FerryEventFacts
import Foundation
import Tracing

/// Takes part in the host's swift-distributed-tracing traces: a client span per delivery attempt
/// (`ferry.delivery.attempt`) and per token fetch (`ferry.auth.token_fetch`), with the standard HTTP client
/// attributes (`http.request.method`, `server.address`, `server.port`, `url.scheme`, `url.path`,
/// `http.response.status_code`, `error.type`), each linked to the span that accepted the item.
///
/// ```swift
/// let tracing = DeliveryTracing()                       // the tracer the host bootstrapped
/// let pipeline = DeliveryPipeline(destination: apex, transport: tracing.transport(wrapping: transport), ...)
/// Task { await tracing.run(pipeline.events()) }        // forgets accepted spans once their item ends
///
/// // In a request handler, inside the span that accepts the item:
/// tracing.accepted(itemID: event.id)
/// try await pipeline.send(DeliveryItem(id: event.id, payload: payload))
/// ```
///
/// Deliveries run later, in the pipeline's own tasks, so an attempt's span is not a child of the request that
/// accepted the item: it carries a span link to it instead (the OpenTelemetry pattern for work queued and done
/// elsewhere). The item is recognised by its `Idempotency-Key` header, which Apex REST and sObject destinations
/// send; a batch request (Collections, Bulk) gets a span without links. A URL's query and every header value
/// other than the item id stay out of the span: no token or secret reaches a tracer.
public struct DeliveryTracing: Sendable {
    /// The tracer spans go to.
    public let tracer: any Tracer
    private let contexts: AcceptedContexts

    /// Creates a bridge.
    /// - Parameters:
    ///   - tracer: The tracer; default the one the host bootstrapped with `InstrumentationSystem.bootstrap`.
    ///   - capacity: How many accepted contexts to remember at most, oldest forgotten first (their attempts then
    ///     get spans without links); entries also go when their item ends (see ``run(_:)``).
    public init(tracer: any Tracer = InstrumentationSystem.tracer, capacity: Int = 100_000) {
        self.tracer = tracer
        contexts = AcceptedContexts(capacity: capacity)
    }

    /// Remembers `context` (by default the current task's: the span the host is in) as the one that accepted
    /// `itemID`, so that the item's attempts link to it.
    /// - Parameters:
    ///   - itemID: The item's id (sent as its `Idempotency-Key`).
    ///   - context: The accepting span's context.
    public func accepted(itemID: String, context: ServiceContext? = ServiceContext.current) {
        guard let context else { return }
        contexts.insert(context, for: itemID)
    }

    /// Forgets an item's accepting context once the event says the item ended.
    /// - Parameter event: The event.
    public func record(_ event: DeliveryEvent) {
        let facts = EventFacts(event)
        switch facts.kind {
        case .delivered, .failed, .aborted:
            if let itemID = facts.itemID { contexts.remove(itemID) }
        default:
            break
        }
    }

    /// Reads `events` until the stream ends, forgetting the contexts of items that ended.
    /// - Parameter events: The events, from ``/FerryDelivery/DeliveryPipeline/events()``.
    public func run(_ events: AsyncStream<DeliveryEvent>) async {
        for await event in events { record(event) }
    }

    /// The number of accepted contexts remembered (for tests and diagnostics).
    public var rememberedCount: Int { contexts.count }

    /// A transport that opens a client span around every request it sends through `transport`.
    /// - Parameter transport: The transport that sends.
    /// - Returns: The tracing transport.
    public func transport(wrapping transport: any HTTPTransport) -> any HTTPTransport {
        TracingTransport(base: transport, tracer: tracer, contexts: contexts)
    }
}

/// Item ids to the contexts that accepted them, bounded, oldest first out.
final class AcceptedContexts: Sendable {
    private struct State {
        var contexts: [String: ServiceContext] = [:]
        var order: [String] = []
        var head = 0
    }

    private let capacity: Int
    private let state = FerryMutex(State())

    init(capacity: Int) {
        self.capacity = max(1, capacity)
    }

    var count: Int { state.withLock { $0.contexts.count } }

    func insert(_ context: ServiceContext, for itemID: String) {
        state.withLock { state in
            if state.contexts.updateValue(context, forKey: itemID) == nil { state.order.append(itemID) }
            // Ids removed when their item ended are skipped here; the queue is compacted as its head advances.
            while state.contexts.count > capacity, state.head < state.order.count {
                state.contexts[state.order[state.head]] = nil
                state.head += 1
            }
            if state.head > 1024, state.head * 2 > state.order.count {
                state.order.removeFirst(state.head)
                state.head = 0
            }
        }
    }

    func remove(_ itemID: String) {
        state.withLock { state in
            state.contexts[itemID] = nil
            if state.contexts.isEmpty {
                state.order.removeAll(keepingCapacity: true)
                state.head = 0
            }
        }
    }

    func context(for itemID: String) -> ServiceContext? {
        state.withLock { $0.contexts[itemID] }
    }
}
