import FerryCore
import FerryDelivery
import Testing

@Suite("ExponentialBackoff")
struct ExponentialBackoffTests {
    @Test("the ceiling doubles from the base up to the cap; full jitter scales it", arguments: [
        (1, 0.5), (2, 1.0), (3, 2.0), (4, 4.0), (7, 32.0),
    ])
    func ceilingDoubles(attempt: Int, ceiling: Double) {
        let top = ExponentialBackoff(random: { 0.999_999 })
        let bottom = ExponentialBackoff(random: { 0 })
        let half = ExponentialBackoff(random: { 0.5 })
        let high = top.delay(afterAttempt: attempt, retryability: .transient, retryAfter: nil, elapsed: .zero)
        #expect(abs((high?.seconds ?? -1) - ceiling) < 0.001)
        #expect(bottom.delay(afterAttempt: attempt, retryability: .transient, retryAfter: nil, elapsed: .zero) == .zero)
        #expect(half.delay(afterAttempt: attempt, retryability: .transient, retryAfter: nil, elapsed: .zero)
            == .seconds(ceiling / 2))
    }

    @Test("the pause never exceeds the cap")
    func cap() {
        let policy = ExponentialBackoff(cap: .seconds(60), maximumAttempts: 100, random: { 0.999_999 })
        let pause = policy.delay(afterAttempt: 30, retryability: .transient, retryAfter: nil, elapsed: .zero)
        #expect(pause != nil)
        #expect(pause! <= .seconds(60))
    }

    @Test("8 attempts in all by default: the 8th failure is not retried")
    func maximumAttempts() {
        let policy = ExponentialBackoff(random: { 0.5 })
        #expect(policy.delay(afterAttempt: 7, retryability: .transient, retryAfter: nil, elapsed: .zero) != nil)
        #expect(policy.delay(afterAttempt: 8, retryability: .transient, retryAfter: nil, elapsed: .zero) == nil)
    }

    @Test("final failures are never retried")
    func finalNotRetried() {
        #expect(ExponentialBackoff().delay(afterAttempt: 1, retryability: .final, retryAfter: nil, elapsed: .zero) == nil)
        #expect(!Retryability.final.canRetry)
        #expect(Retryability.transient.canRetry && Retryability.rateLimited.canRetry)
    }

    @Test("an API limit pauses at least the limit pause, capped by the cap")
    func rateLimited() {
        let policy = ExponentialBackoff(limitPause: .seconds(30), random: { 0 })
        #expect(policy.delay(afterAttempt: 1, retryability: .rateLimited, retryAfter: nil, elapsed: .zero) == .seconds(30))
        let lowCap = ExponentialBackoff(cap: .seconds(10), limitPause: .seconds(30), random: { 0 })
        #expect(lowCap.delay(afterAttempt: 1, retryability: .rateLimited, retryAfter: nil, elapsed: .zero) == .seconds(10))
    }

    @Test("Retry-After is honoured up to the cap")
    func retryAfter() {
        let policy = ExponentialBackoff(cap: .seconds(60), random: { 0 })
        #expect(policy.delay(afterAttempt: 1, retryability: .transient, retryAfter: .seconds(7), elapsed: .zero) == .seconds(7))
        #expect(policy.delay(afterAttempt: 1, retryability: .transient, retryAfter: .seconds(600), elapsed: .zero) == .seconds(60))
    }

    @Test("the overall deadline stops retries that would end past it")
    func deadline() {
        let policy = ExponentialBackoff(deadline: .seconds(10), random: { 0.999 })
        #expect(policy.delay(afterAttempt: 1, retryability: .transient, retryAfter: nil, elapsed: .seconds(5)) != nil)
        #expect(policy.delay(afterAttempt: 3, retryability: .transient, retryAfter: nil, elapsed: .seconds(9)) == nil)
    }

    @Test("NoRetries never retries")
    func noRetries() {
        #expect(NoRetries().delay(afterAttempt: 1, retryability: .transient, retryAfter: nil, elapsed: .zero) == nil)
    }
}
