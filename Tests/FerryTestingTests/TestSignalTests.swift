import FerryTesting
import Foundation
import Testing

/// `SimulatedSalesforceOrg.activity` and `requestsInFlight`: what a test waits on instead of sleeping.
@Suite("The simulated org's activity signal")
struct SimulatedOrgActivityTests {
    @Test("signalled as a request comes in and again as its answer is ready; requestsInFlight counts it in between")
    func activity() async throws {
        let clock = ManualClock()
        let org = try Fixture.org(clock: clock)
        org.inject(.everyNthCall(1, .latency(.seconds(2)), on: .sObjects))
        let token = try await org.accessToken()
        #expect(org.requestsInFlight == 0)
        let before = org.activity.generation
        let call = Task { try await org.call(.post, "\(v66)/sobjects/Feedback__c", json: ["Name": "A"], token: token) }
        // The call waits out its latency on the clock: it has come in and has no answer yet.
        await clock.waitForSleepers(count: 1)
        #expect(org.requestsInFlight == 1)
        let arrived = org.activity.generation
        #expect(arrived != before, "no signal when the request came in")
        clock.advance(by: .seconds(2))
        let reply = try await call.value
        #expect(reply.status == 201)
        #expect(org.requestsInFlight == 0)
        #expect(org.activity.generation != arrived, "no signal when the answer was ready")
        #expect(org.counters.faultsInjected == 1)
    }
}

/// `WatchTrackingClock`: what a test waits on before it moves the clock past a lease heartbeat again.
@Suite("WatchTrackingClock")
struct WatchTrackingClockTests {
    /// Waits on the clock's progress signal until `condition` holds (60 s of real time fails the test).
    func waitFor(_ tracked: WatchTrackingClock, _ condition: () -> Bool) async {
        let giveUp = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < giveUp {
            let seen = tracked.progress.generation
            if condition() { return }
            await tracked.progress.wait(after: seen, giveUpAt: giveUp)
        }
        Issue.record("the condition did not hold within 60 s")
    }

    @Test("a watcher whose deadline passed is renewing until it watches again; a cancelled one is gone")
    func renewingUntilWatchingAgain() async throws {
        let clock = ManualClock()
        let tracked = WatchTrackingClock(clock)
        let renewed = Latch()
        let heartbeat = Task {
            try await tracked.watch(until: clock.now.addingTimeInterval(2))
            await renewed.wait()
            try await tracked.watch(until: clock.now.addingTimeInterval(2))
        }
        await waitFor(tracked) { tracked.watching == 1 }
        #expect(tracked.renewing == 0)
        #expect(clock.nextDeadline == nil, "a watcher sets no deadline")
        // The deadline passes: the watcher counts as renewing at once, before its task has even resumed.
        clock.advance(by: .seconds(2))
        #expect(tracked.renewing == 1)
        #expect(tracked.watching == 0)
        renewed.open()
        await waitFor(tracked) { tracked.watching == 1 }
        #expect(tracked.renewing == 0)
        heartbeat.cancel()
        await waitFor(tracked) { tracked.watching == 0 }
        #expect(tracked.renewing == 0)
        await #expect(throws: CancellationError.self) { try await heartbeat.value }
    }
}
