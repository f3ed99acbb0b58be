import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("Token cache", .timeLimit(.minutes(1)))
struct TokenCacheTests {
    @Test("1,000 concurrent callers cause exactly one token request and all get the same token")
    func singleFlight() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            try await clock.sleep(for: .seconds(1))   // the request is in flight until the test advances time
            return Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock)
        let started = Counter()
        let values = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<1000 {
                group.addTask {
                    started.increment()
                    return try await provider.token().value
                }
            }
            await clock.waitForSleepers(count: 1)
            while started.current < 1000 { await Task.yield() }
            for _ in 0..<100 { await Task.yield() }
            clock.advance(by: .seconds(1))
            var values: [String] = []
            for try await value in group { values.append(value) }
            return values
        }
        #expect(values.count == 1000)
        #expect(Set(values) == [Fixtures.tokenValue(1)])
        #expect(transport.count == 1)
    }

    @Test("inside the soft window the current token is served at once while exactly one refresh runs")
    func backgroundRefreshAtRollover() async throws {
        let clock = ManualClock()
        let events = EventRecorder()
        let transport = MockTransport { _, n in
            if n == 2 { try await clock.sleep(for: .seconds(5)) }   // the refresh is slow
            return Fixtures.standard(n, expiresIn: 3600)
        }
        let provider = try Fixtures.provider(transport, clock: clock, events: events)
        let first = try await provider.token()
        #expect(first.value == Fixtures.tokenValue(1))

        // Before the soft window (last 10 % = 360 s): no refresh.
        clock.advance(by: .seconds(3600 - 361))
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        #expect(transport.count == 1)

        // Inside the soft window: 200 callers all get the current token while the refresh is still in flight.
        clock.advance(by: .seconds(2))
        let served = try await withThrowingTaskGroup(of: String.self) { group in
            for _ in 0..<200 { group.addTask { try await provider.token().value } }
            var values: [String] = []
            for try await value in group { values.append(value) }
            return values
        }
        #expect(Set(served) == [Fixtures.tokenValue(1)])
        await clock.waitForSleepers(count: 1)
        #expect(transport.count == 2)

        clock.advance(by: .seconds(5))
        // The refreshed token replaces the old one once the refresh completes.
        var current = try await provider.token().value
        while current != Fixtures.tokenValue(2) {
            await Task.yield()
            current = try await provider.token().value
        }
        #expect(transport.count == 2)
        #expect(events.count(.tokenFetched) == 1)
        #expect(events.count(.tokenRefreshedInBackground) == 1)
    }

    @Test("after the hard margin a token is not served: callers wait for a new one")
    func hardMargin() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            if n == 2 { try await clock.sleep(for: .seconds(1)) }
            return Fixtures.standard(n, expiresIn: 3600)
        }
        let provider = try Fixtures.provider(transport, clock: clock)
        _ = try await provider.token()
        clock.advance(by: .seconds(3600 - 29))   // inside the 30 s hard margin
        let waiting = Task { try await provider.token().value }
        await clock.waitForSleepers(count: 1)
        clock.advance(by: .seconds(1))
        #expect(try await waiting.value == Fixtures.tokenValue(2))
        #expect(transport.count == 2)
    }

    @Test("a failed fetch is not cached: the next call after the minimum interval tries again")
    func failedFetchIsRetried() async throws {
        let clock = ManualClock()
        let events = EventRecorder()
        let transport = MockTransport { _, n in
            n == 1 ? HTTPResponse(status: 503, text: "<html>Service Unavailable</html>") : Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock, events: events)
        await #expect(throws: AuthError.self) { try await provider.token() }
        #expect(transport.count == 1)

        // Within the minimum retry interval (5 s): the last error at once, no request.
        clock.advance(by: .seconds(2))
        let throttled = await #expect(throws: AuthError.self) { try await provider.token() }
        #expect(throttled?.status == 503)
        #expect(transport.count == 1)

        clock.advance(by: .seconds(3))
        #expect(try await provider.token().value == Fixtures.tokenValue(2))
        #expect(transport.count == 2)
        #expect(events.count(.fetchFailed) == 1)
        #expect(events.count(.tokenFetched) == 1)
    }

    @Test("a failed background refresh keeps serving the token and is retried after the minimum interval")
    func failedBackgroundRefresh() async throws {
        let clock = ManualClock()
        let events = EventRecorder()
        let transport = MockTransport { _, n in
            n == 2 ? Fixtures.oauthError(400, "invalid_client", "invalid client credentials") : Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock, events: events)
        _ = try await provider.token()
        clock.advance(by: .seconds(3300))   // inside the soft window
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        while events.count(.fetchFailed) == 0 { await Task.yield() }
        #expect(events.all.last?.inBackground == true)
        #expect(events.all.last?.detail?.contains("invalid_client") == true)

        // Still served, no new attempt within 5 s.
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        #expect(transport.count == 2)

        clock.advance(by: .seconds(5))
        _ = try await provider.token()
        while events.count(.tokenRefreshedInBackground) == 0 { await Task.yield() }
        #expect(try await provider.token().value == Fixtures.tokenValue(3))
        #expect(transport.count == 3)
    }

    @Test("cancelling one waiter does not fail the others or the shared fetch")
    func cancellingOneWaiter() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            try await clock.sleep(for: .seconds(1))
            return Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock)
        let cancelled = Task { try await provider.token() }
        await clock.waitForSleepers(count: 1)
        let others = (0..<5).map { _ in Task { try await provider.token().value } }
        cancelled.cancel()
        await #expect(throws: CancellationError.self) { try await cancelled.value }
        clock.advance(by: .seconds(1))
        for other in others { #expect(try await other.value == Fixtures.tokenValue(1)) }
        #expect(transport.count == 1)
        // The fetch finished and was cached although its first caller went away.
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        #expect(transport.count == 1)
    }

    @Test("a cancelled sole waiter still lets the fetch complete and fill the cache")
    func cancelledSoleWaiter() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            try await clock.sleep(for: .seconds(1))
            return Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock)
        let waiter = Task { try await provider.token() }
        await clock.waitForSleepers(count: 1)
        waiter.cancel()
        await #expect(throws: CancellationError.self) { try await waiter.value }
        clock.advance(by: .seconds(1))
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        #expect(transport.count == 1)
    }

    @Test("invalidate with a stale token does nothing; with the current token it causes one refresh")
    func invalidate() async throws {
        let clock = ManualClock()
        let events = EventRecorder()
        let transport = MockTransport { _, n in Fixtures.standard(n) }
        let provider = try Fixtures.provider(transport, clock: clock, events: events)
        let first = try await provider.token()

        // A burst of 401s for the same token: one refresh.
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<50 { group.addTask { await provider.invalidate(first) } }
        }
        let second = try await provider.token()
        #expect(second.value == Fixtures.tokenValue(2))
        #expect(transport.count == 2)

        // A late 401 for the old token: nothing happens.
        await provider.invalidate(first)
        #expect(try await provider.token().value == Fixtures.tokenValue(2))
        #expect(transport.count == 2)
        #expect(events.count(.tokenInvalidated) == 1)
    }

    @Test("invalidating the token being refreshed in the background makes callers wait for the refresh")
    func invalidateDuringBackgroundRefresh() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in
            if n == 2 { try await clock.sleep(for: .seconds(1)) }
            return Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock)
        let first = try await provider.token()
        clock.advance(by: .seconds(3300))
        #expect(try await provider.token() == first)   // starts the background refresh
        await clock.waitForSleepers(count: 1)
        await provider.invalidate(first)
        let waiting = Task { try await provider.token().value }
        clock.advance(by: .seconds(1))
        #expect(try await waiting.value == Fixtures.tokenValue(2))
        #expect(transport.count == 2)
    }

    @Test("a token without a known expiry is cached until invalidated")
    func unknownExpiry() async throws {
        let clock = ManualClock()
        let fetches = Counter()
        let cache = CachingTokenProvider(clock: clock) {
            fetches.increment()
            return AccessToken(value: "opaque-token-\(fetches.current)", issuedAt: clock.now)
        }
        let first = try await cache.token()
        clock.advance(by: .seconds(86_400 * 30))
        #expect(try await cache.token() == first)
        await cache.invalidate(first)
        #expect(try await cache.token().value == "opaque-token-2")
        #expect(await cache.fetchesStarted == 2)
    }

    @Test("a short-lived token is still served: the margins shrink with the lifetime")
    func shortLifetime() async throws {
        let clock = ManualClock()
        let transport = MockTransport { _, n in Fixtures.standard(n, expiresIn: 40) }
        let provider = try Fixtures.provider(transport, clock: clock)
        _ = try await provider.token()
        clock.advance(by: .seconds(10))
        #expect(try await provider.token().value == Fixtures.tokenValue(1))
        #expect(transport.count == 1)
    }

    @Test("CachingTokenProvider(caching:) puts any provider behind the shared cache")
    func cachingAnotherProvider() async throws {
        let clock = ManualClock()
        let calls = Counter()
        let custom = CustomTokenProvider {
            calls.increment()
            return AccessToken(value: "custom", issuedAt: clock.now, expiresAt: clock.now.addingTimeInterval(600))
        }
        let cache = CachingTokenProvider(caching: custom, clock: clock)
        _ = try await cache.token()
        _ = try await cache.token()
        #expect(calls.current == 1)
        clock.advance(by: .seconds(600))
        _ = try await cache.token()
        #expect(calls.current == 2)
    }
}
