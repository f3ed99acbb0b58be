import FerryCore
import Foundation

/// Builds a ``DeliveryReport`` from outcomes as they happen, in fixed memory (apart from the capped list of
/// failures).
struct ReportAccumulator: Sendable {
    private(set) var report = DeliveryReport()
    private var histogram = LatencyHistogram()

    mutating func record(_ outcome: DeliveryOutcome, latency: Duration?) {
        report.total += 1
        switch outcome.status {
        case .delivered:
            report.delivered += 1
            if let latency { histogram.record(latency) }
        case .aborted:
            report.aborted += 1
        case .failed:
            report.failed += 1
            let code = (outcome.failure?.errorCode ?? .unknown).rawValue
            report.failuresByCode[code, default: 0] += 1
            if report.failures.count < DeliveryReport.failureSampleLimit {
                report.failures.append(outcome)
            } else {
                report.failuresNotListed += 1
            }
        }
    }

    mutating func recordAttempts(_ count: Int, retries: Int) {
        report.attempts += count
        report.retries += retries
    }

    func snapshot(eventsDropped: Int) -> DeliveryReport {
        var copy = report
        copy.eventsDropped = eventsDropped
        if let p50 = histogram.percentile(0.5), let p95 = histogram.percentile(0.95), let p99 = histogram.percentile(0.99),
            let max = histogram.percentile(1)
        {
            copy.latency = DeliveryReport.Latency(
                p50: p50.milliseconds, p95: p95.milliseconds, p99: p99.milliseconds, max: max.milliseconds)
        }
        return copy
    }
}

extension Duration {
    var milliseconds: Double { seconds * 1000 }
}
