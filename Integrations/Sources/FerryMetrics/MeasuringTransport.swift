import CoreMetrics
import FerryCore
import Foundation

/// Counts the requests awaiting a reply and times each one; see ``DeliveryMetrics/transport(wrapping:clock:)``.
struct MeasuringTransport: HTTPTransport {
    let base: any HTTPTransport
    let inFlight: Meter
    let metrics: DeliveryMetrics
    let clock: any FerryClock

    func send(_ request: HTTPRequest) async throws -> HTTPResponse {
        inFlight.increment()
        let start = clock.now
        // The meter goes down however the request ends: a reply, an error or cancellation.
        defer { inFlight.decrement() }
        let statusClass: String
        do {
            let response = try await base.send(request)
            statusClass = "\(response.status / 100)xx"
            record(statusClass, since: start)
            return response
        } catch {
            record("error", since: start)
            throw error
        }
    }

    private func record(_ statusClass: String, since start: Date) {
        let elapsed = max(0, clock.now.timeIntervalSince(start))
        metrics.requestTimer(statusClass: statusClass).recordNanoseconds(Int64(elapsed * 1e9))
    }
}
