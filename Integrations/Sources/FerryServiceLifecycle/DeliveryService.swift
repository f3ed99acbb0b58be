import FerryDelivery
import Logging
import ServiceLifecycle

/// A ``/FerryDelivery/DeliveryPipeline`` as a ServiceLifecycle `Service`: add it to the host's `ServiceGroup` and a SIGTERM (any
/// graceful shutdown) stops accepting, delivers what was accepted for up to ``drainDeadline``, and stops; with a
/// durable outbox (`FileOutbox`, `PostgresOutbox`) whatever is left stays there and is delivered after the restart.
///
/// ```swift
/// let outbox = try FileOutbox(directory: outboxURL)
/// let pipeline = DeliveryPipeline(destination: apex, transport: transport, outbox: outbox, ...)
/// let group = ServiceGroup(configuration: .init(
///     services: [
///         .init(service: DeliveryService(pipeline: pipeline, drainDeadline: .seconds(20), logger: logger)),
///         .init(service: httpServer),   // shut down first: no new items while the pipeline drains
///     ],
///     gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
/// try await group.run()
/// ```
///
/// A `ServiceGroup` shuts its services down in reverse order, one after the other, so list the server that
/// accepts items after the delivery service: the server stops accepting, then the pipeline drains. Keep `drainDeadline` inside the
/// grace period the platform allows before it kills the process (Kubernetes: 30 s by default).
///
/// Cancellation (not a graceful shutdown) stops the deliverers at once: nothing accepted is lost with a durable
/// outbox, the items in flight are delivered again after the restart under the same `Idempotency-Key`.
public struct DeliveryService: Service {
    /// The pipeline run.
    public let pipeline: DeliveryPipeline
    /// The longest the pipeline keeps delivering after a graceful shutdown began.
    public let drainDeadline: Duration
    private let logger: Logger?
    private let onShutdown: (@Sendable (DeliveryPipeline.ShutdownResult) async -> Void)?

    /// Creates the service.
    /// - Parameters:
    ///   - pipeline: The pipeline; it starts delivering when the service runs (what a durable outbox kept from a
    ///     previous run included).
    ///   - drainDeadline: The longest to keep delivering after a graceful shutdown began.
    ///   - logger: Where to log the start and the shutdown's result (counts only); `nil` logs nothing.
    ///   - onShutdown: Called with the shutdown's result once the deliverers stopped: close a `FileOutbox` here,
    ///     or put `undelivered` items (from an in-memory outbox) somewhere durable.
    public init(
        pipeline: DeliveryPipeline, drainDeadline: Duration = .seconds(20), logger: Logger? = nil,
        onShutdown: (@Sendable (DeliveryPipeline.ShutdownResult) async -> Void)? = nil
    ) {
        self.pipeline = pipeline
        self.drainDeadline = drainDeadline
        self.logger = logger
        self.onShutdown = onShutdown
    }

    /// Starts the pipeline's deliverers, waits for a graceful shutdown (or cancellation), then drains within
    /// ``drainDeadline`` and returns.
    /// - Throws: ``/FerryDelivery/DeliveryError/invalidConfiguration(_:)`` when the pipeline's configuration failed
    ///   validation: nothing starts and nothing is drained; fix the configuration and run a new pipeline.
    public func run() async throws {
        try pipeline.start()
        logger?.info("ferry.service.started", metadata: ["drain_deadline": "\(drainDeadline)"])
        // Throws only when the task is cancelled: then the drain below ends at once, as cancellation asks.
        try? await gracefulShutdown()
        logger?.info("ferry.service.draining", metadata: ["drain_deadline": "\(drainDeadline)"])
        let result = await pipeline.shutdown(within: drainDeadline)
        var metadata: Logger.Metadata = [
            "delivered": "\(result.report.delivered)", "failed": "\(result.report.failed)",
            "undelivered": "\(result.undelivered.count)",
        ]
        if let remaining = result.remaining {
            metadata["outbox_pending"] = "\(remaining.outstanding)"
            metadata["outbox_dead"] = "\(remaining.dead)"
        }
        let leftover = result.undelivered.count + (result.remaining?.outstanding ?? 0)
        logger?.log(level: leftover > 0 ? .notice : .info, "ferry.service.stopped", metadata: metadata)
        await onShutdown?(result)
    }
}
