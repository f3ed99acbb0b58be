import Dispatch
import FerryCore

/// Runs a request handler's task on the connection's own thread, so a server answers even while every thread of
/// Swift's cooperative pool is busy.
///
/// A handler started as an ordinary `Task` waits for a pool thread: in a test suite whose other tests keep the
/// (core-count sized) pool busy for a while, for instance under the thread sanitizer, requests then time out
/// although the server is idle. With this executor preferred, the handler's work runs where the connection thread
/// waits for it; only hops to actors or other executors leave that thread.
final class ConnectionThreadExecutor: TaskExecutor {
    private struct State {
        var jobs: [UnownedJob] = []
        /// Set once the connection thread stops running jobs; later jobs go to a dispatch queue instead.
        var finished = false
    }

    private let state = FerryMutex(State())
    private let wake = DispatchSemaphore(value: 0)

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let runHere = state.withLock { state -> Bool in
            guard !state.finished else { return false }
            state.jobs.append(job)
            return true
        }
        if runHere {
            wake.signal()
        } else {
            // The connection moved on: whatever the task still has to do (it already answered) runs elsewhere.
            DispatchQueue.global().async { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
        }
    }

    /// Runs `body` as a task on the calling thread and returns its result; the thread does nothing else meanwhile.
    func run<Result: Sendable>(_ body: @escaping @Sendable () async -> Result) -> Result {
        let result = FerryMutex<Result?>(nil)
        let done = DispatchSemaphore(value: 0)
        Task(executorPreference: self) {
            let value = await body()
            result.withLock { $0 = value }
            done.signal()
            self.wake.signal()  // in case this last step ran elsewhere: the loop below must look again
        }
        while true {
            wake.wait()
            runQueuedJobs()
            if done.wait(timeout: .now()) == .success { break }
        }
        state.withLock { $0.finished = true }
        // Jobs enqueued after the last drain but before `finished` was set still run, here.
        runQueuedJobs()
        // The body stored its value before signalling `done`, so it is there.
        return result.withLock { $0 }!
    }

    /// Runs, on the calling thread, every job queued so far.
    private func runQueuedJobs() {
        let jobs = state.withLock { state -> [UnownedJob] in
            defer { state.jobs.removeAll() }
            return state.jobs
        }
        for job in jobs { job.runSynchronously(on: asUnownedTaskExecutor()) }
    }
}
