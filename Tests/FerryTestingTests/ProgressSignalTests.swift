import FerryTesting
import Testing

@Suite("ProgressSignal")
struct ProgressSignalTests {
    @Test("a signal between reading the generation and waiting is not lost")
    func signalBeforeWait() async {
        let signal = ProgressSignal()
        let seen = signal.generation
        signal.signal()
        // Returns at once; without the generation check it would wait for the safety net (60 s; the margin is
        // for a loaded machine, where a task can wait seconds for a thread).
        let started = ContinuousClock.now
        await signal.wait(after: seen, giveUpAt: .now + .seconds(60))
        #expect(ContinuousClock.now - started < .seconds(45))
        #expect(signal.generation == seen &+ 1)
    }

    @Test("a waiter wakes on the next signal, and a sleeper on the clock wakes it too")
    func wakes() async {
        let signal = ProgressSignal()
        let clock = ManualClock()
        let seen = signal.generation
        let waiter = Task { await signal.wait(after: seen, orSleeperOn: clock, giveUpAt: .now + .seconds(3600)) }
        signal.signal()
        await waiter.value

        let quiet = signal.generation
        let second = Task { await signal.wait(after: quiet, orSleeperOn: clock, giveUpAt: .now + .seconds(3600)) }
        let sleeper = Task { try await clock.sleep(for: .seconds(1)) }
        await second.value
        #expect(signal.generation == quiet)  // woken by the sleeper, not by a signal
        clock.advance(by: .seconds(1))
        try? await sleeper.value
    }

    @Test("with nothing happening, the wait ends at the give-up time")
    func givesUp() async {
        let signal = ProgressSignal()
        let started = ContinuousClock.now
        await signal.wait(after: signal.generation, giveUpAt: started + .milliseconds(20))
        #expect(ContinuousClock.now - started >= .milliseconds(20))
    }
}
