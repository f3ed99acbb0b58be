import Foundation
import FerryAuth
import FerryCore
import Testing

@Suite("AuthEventSource", .timeLimit(.minutes(1)))
struct AuthEventSourceTests {
    @Test("every subscriber hears each fetch once, and the handler given at creation hears the same events")
    func subscribersHearFetches() async throws {
        let clock = ManualClock()
        let handlerEvents = EventRecorder()
        let transport = MockTransport { _, n in
            n == 2 ? Fixtures.oauthError(503, "temporarily_unavailable", "try later") : Fixtures.standard(n)
        }
        let provider = try Fixtures.provider(transport, clock: clock, events: handlerEvents)
        let source = try #require(provider.events)
        let first = EventRecorder()
        let second = EventRecorder()
        let subscriptions = [source.subscribe(first.handler), source.subscribe(second.handler)]

        let token = try await provider.token()
        await provider.invalidate(token)
        await #expect(throws: AuthError.self) { try await provider.token() }
        clock.advance(by: .seconds(60))  // past the minimum retry interval
        _ = try await provider.token()

        let kinds: [AuthEvent.Kind] = [.tokenFetched, .tokenInvalidated, .fetchFailed, .tokenFetched]
        #expect(first.all.map(\.kind) == kinds)
        #expect(second.all.map(\.kind) == kinds)
        #expect(handlerEvents.all.map(\.kind) == kinds)
        // Three fetches, three requests: the events that end a fetch count the requests sent.
        #expect(first.all.filter(\.kind.endsFetch).count == transport.count)
        #expect(transport.count == 3)
        _ = subscriptions
    }

    @Test("a cancelled or released subscription hears nothing more")
    func cancelAndRelease() {
        let source = AuthEventSource()
        let kept = EventRecorder()
        let cancelled = EventRecorder()
        let event = AuthEvent(kind: .tokenFetched, provider: "test", date: Date(timeIntervalSince1970: 0))
        let keptSubscription = source.subscribe(kept.handler)
        let cancelledSubscription = source.subscribe(cancelled.handler)
        do {
            let released = source.subscribe { _ in Issue.record("a released subscription was called") }
            #expect(source.subscriberCount == 3)
            _ = released
        }
        #expect(source.subscriberCount == 2)
        cancelledSubscription.cancel()
        cancelledSubscription.cancel()  // a second cancel does nothing
        source.publish(event)
        #expect(kept.all == [event])
        #expect(cancelled.all.isEmpty)
        #expect(source.subscriberCount == 1)
        _ = keptSubscription
    }

    @Test("providers without a cache publish no events")
    func uncachedProviders() {
        let token = AccessToken(value: "t", issuedAt: Date(), expiresAt: nil)
        #expect(StaticTokenProvider(token).events == nil)
        #expect(CustomTokenProvider { token }.events == nil)
    }
}
