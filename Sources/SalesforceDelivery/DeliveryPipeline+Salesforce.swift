import FerryAuth
import FerryCore
import FerryDelivery
import Foundation

extension DeliveryPipeline {
    /// Creates a pipeline whose every request carries the org's bearer token (see ``AuthorizingTransport``).
    /// Deliverers start with the first `send` (or ``/FerryDelivery/DeliveryPipeline/start()``).
    /// - Parameters:
    ///   - destination: Where items go.
    ///   - transport: The transport requests go through.
    ///   - tokenProvider: Supplies the bearer token; a request is replayed once with a fresh token after a 401.
    ///   - origin: The org's base URL; requests to any other origin are refused so the token never leaves for
    ///     another host.
    ///   - outbox: Where accepted items wait (default: in memory).
    ///   - configuration: Concurrency, queue size, retries, circuit breaker.
    ///   - clock: The clock for waits and timestamps.
    public convenience init(
        destination: any Destination,
        transport: any HTTPTransport,
        tokenProvider: any TokenProvider,
        origin: URL? = nil,
        outbox: any Outbox = InMemoryOutbox(),
        configuration: Configuration = Configuration(),
        clock: any FerryClock = SystemClock()
    ) {
        self.init(
            destination: destination, transport: transport,
            connection: BearerTokenAuthorization(tokenProvider: tokenProvider, origin: origin), outbox: outbox,
            configuration: configuration, clock: clock)
    }
}
