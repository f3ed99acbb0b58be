import FerryCore

/// Counts what the org answered and which tokens were used, and turns it into events: the report's API calls,
/// token requests and last API usage.
final class ConnectionCounters: Sendable {
    private struct Counts {
        var apiCalls = 0
        var tokens = 0
        var usage: APIUsage?
    }

    private let counts = FerryMutex(Counts())
    private let events: EventBroadcaster
    private let reserve: APIReserve?
    private let clock: any FerryClock

    init(events: EventBroadcaster, reserve: APIReserve? = nil, clock: any FerryClock) {
        self.events = events
        self.reserve = reserve
        self.clock = clock
    }

    var apiCalls: Int { counts.withLock { $0.apiCalls } }
    var tokenRequests: Int { counts.withLock { $0.tokens } }
    var usage: APIUsage? { counts.withLock { $0.usage } }

    func observe(_ observation: ConnectionObservation) {
        switch observation {
        case .response(_, let headers):
            let usage = APIUsage(headers: headers)
            counts.withLock { counts in
                counts.apiCalls += 1
                if let usage { counts.usage = usage }
            }
            if let usage {
                reserve?.observe(usage)
                events.emit(DeliveryEvent(kind: .apiUsage, date: clock.now, apiUsage: usage))
            }
        case .tokenFetched:
            counts.withLock { $0.tokens += 1 }
            events.emit(DeliveryEvent(kind: .tokenFetched, date: clock.now))
        case .sessionExpired:
            events.emit(DeliveryEvent(kind: .sessionExpired, date: clock.now))
        }
    }
}

/// Passes requests through and reports every answer, for pipelines whose transport authorises by itself.
struct ObservingTransport: HTTPTransport {
    let transport: any HTTPTransport
    let observer: @Sendable (ConnectionObservation) -> Void

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        let response = try await transport.send(request)
        observer(.response(status: response.status, headers: response.headers))
        return response
    }
}
