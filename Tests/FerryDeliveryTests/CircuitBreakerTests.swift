import Foundation
import FerryCore
import FerryDelivery
import Testing

@Suite("CircuitBreaker")
struct CircuitBreakerTests {
    let start = Date(timeIntervalSince1970: 1_000)
    let configuration = CircuitBreaker.Configuration(failureThreshold: 3, cooldown: .seconds(30), maximumCooldown: .seconds(100))

    @Test("opens after the threshold of consecutive transient failures")
    func opens() {
        var breaker = CircuitBreaker(configuration: configuration)
        #expect(breaker.recordTransientFailure(at: start) == nil)
        #expect(breaker.recordTransientFailure(at: start) == nil)
        #expect(breaker.permission(at: start) == .send)
        #expect(breaker.recordTransientFailure(at: start) == .opened(until: start.addingTimeInterval(30)))
        #expect(breaker.permission(at: start.addingTimeInterval(10)) == .wait(until: start.addingTimeInterval(30)))
    }

    @Test("a success or a final failure resets the count")
    func successResets() {
        var breaker = CircuitBreaker(configuration: configuration)
        _ = breaker.recordTransientFailure(at: start)
        _ = breaker.recordTransientFailure(at: start)
        #expect(breaker.recordSuccess() == nil)
        _ = breaker.recordTransientFailure(at: start)
        _ = breaker.recordTransientFailure(at: start)
        #expect(breaker.state == .closed(failures: 2))
    }

    @Test("after the cool-down one probe goes out; others wait; its success closes the circuit")
    func probeSucceeds() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { _ = breaker.recordTransientFailure(at: start) }
        let later = start.addingTimeInterval(30)
        #expect(breaker.permission(at: later) == .probe)
        if case .wait = breaker.permission(at: later) {} else { Issue.record("a second request must wait for the probe") }
        #expect(breaker.recordSuccess() == .closed)
        #expect(breaker.permission(at: later) == .send)
        #expect(breaker.state == .closed(failures: 0))
    }

    @Test("a failed probe re-opens with the cool-down doubled, up to the maximum")
    func probeFails() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { _ = breaker.recordTransientFailure(at: start) }
        var now = start.addingTimeInterval(30)
        #expect(breaker.permission(at: now) == .probe)
        #expect(breaker.recordTransientFailure(at: now) == .opened(until: now.addingTimeInterval(60)))
        now = now.addingTimeInterval(60)
        #expect(breaker.permission(at: now) == .probe)
        #expect(breaker.recordTransientFailure(at: now) == .opened(until: now.addingTimeInterval(100)))
        #expect(breaker.state == .open(until: now.addingTimeInterval(100), cooldown: .seconds(100)))
    }

    @Test("a late failure while open changes nothing")
    func lateFailure() {
        var breaker = CircuitBreaker(configuration: configuration)
        for _ in 0..<3 { _ = breaker.recordTransientFailure(at: start) }
        let state = breaker.state
        #expect(breaker.recordTransientFailure(at: start.addingTimeInterval(1)) == nil)
        #expect(breaker.state == state)
    }
}

@Suite("TokenBucket")
struct TokenBucketTests {
    @Test("bursts up to the burst size, then spaces requests at the rate")
    func spacing() {
        let start = Date(timeIntervalSince1970: 0)
        var bucket = TokenBucket(rate: 10, burst: 2)
        #expect(bucket.reserve(at: start) == .zero)
        #expect(bucket.reserve(at: start) == .zero)
        #expect(bucket.reserve(at: start) == .milliseconds(100))
        #expect(bucket.reserve(at: start) == .milliseconds(200))
        // After a second the bucket has refilled to its burst size (the owed tokens are paid back first).
        #expect(bucket.reserve(at: start.addingTimeInterval(1.0)) == .zero)
    }

    @Test("the rate holds over a long run")
    func longRun() {
        var bucket = TokenBucket(rate: 50)
        let start = Date(timeIntervalSince1970: 0)
        var last = Duration.zero
        for _ in 0..<550 { last = bucket.reserve(at: start) }
        // 50 free in the burst, then 500 more at 50/s: the last waits 10 s.
        #expect(abs(last.seconds - 10) < 0.001)
    }
}

@Suite("LatencyHistogram")
struct LatencyHistogramTests {
    @Test("percentiles are within the bucket resolution (about 3%)")
    func percentiles() throws {
        var histogram = LatencyHistogram()
        for millis in 1...1000 { histogram.record(.milliseconds(millis)) }
        #expect(histogram.count == 1000)
        let p50 = try #require(histogram.percentile(0.5)).seconds
        let p95 = try #require(histogram.percentile(0.95)).seconds
        let p99 = try #require(histogram.percentile(0.99)).seconds
        #expect(abs(p50 - 0.5) / 0.5 < 0.035)
        #expect(abs(p95 - 0.95) / 0.95 < 0.035)
        #expect(abs(p99 - 0.99) / 0.99 < 0.035)
        #expect(histogram.percentile(1.0) == .seconds(1))
    }

    @Test("small, zero, negative and huge values land in range")
    func edges() {
        var histogram = LatencyHistogram()
        #expect(histogram.percentile(0.5) == nil)
        histogram.record(.zero)
        histogram.record(.microseconds(-5))
        histogram.record(.microseconds(7))
        histogram.record(.seconds(1_000_000))
        #expect(histogram.percentile(0.5) == .zero)
        #expect(histogram.percentile(0.75) == .microseconds(7))
        #expect(histogram.percentile(1) == .seconds(1_000_000))
    }

    @Test("merging adds counts")
    func merge() {
        var a = LatencyHistogram()
        var b = LatencyHistogram()
        a.record(.milliseconds(1))
        b.record(.milliseconds(100))
        b.record(.milliseconds(100))
        a.merge(b)
        #expect(a.count == 3)
        #expect(a.percentile(0.34)!.seconds > 0.09)
    }
}
