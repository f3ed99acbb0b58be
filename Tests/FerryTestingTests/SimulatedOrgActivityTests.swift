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
