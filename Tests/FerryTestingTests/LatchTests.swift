import FerryCore
import FerryTesting
import Foundation
import Testing

/// The signals tests wait on instead of sleeping. The time limit only turns a signal that never comes into a
/// failure instead of a hang.
@Suite("Latch and connection signals", .timeLimit(.minutes(1)))
struct LatchTests {
    /// Yields (without sleeping) until `latch` has `count` waiters in place.
    func waiters(_ latch: Latch, _ count: Int) async {
        while latch.waiting < count { await Task.yield() }
    }

    @Test("a waiting task is resumed by open; a wait after open returns at once")
    func openResumes() async {
        let latch = Latch()
        async let waiter: Void = latch.wait()
        await waiters(latch, 1)
        #expect(!latch.isOpen)
        latch.open()
        await waiter
        #expect(latch.isOpen)
        #expect(latch.waiting == 0)
        await latch.wait()
    }

    @Test("cancelling a waiting task resumes only that waiter; the latch stays closed")
    func cancellation() async {
        let latch = Latch()
        let cancelled = Task { await latch.wait() }
        async let other: Void = latch.wait()
        await waiters(latch, 2)
        cancelled.cancel()
        await cancelled.value
        #expect(!latch.isOpen)
        #expect(latch.waiting == 1)
        latch.open()
        await other
    }

    @Test("a task cancelled before it waits returns at once and leaves no waiter behind")
    func cancelledBeforeWaiting() async {
        let latch = Latch()
        let started = Latch()
        let task = Task {
            await started.wait()  // returns once the test has cancelled this task
            await latch.wait()
        }
        task.cancel()
        started.open()
        await task.value
        #expect(latch.waiting == 0)
        #expect(!latch.isOpen)
    }

    @Test("waitUntilNoOpenConnections waits while a connection is open and returns once it closes")
    func noOpenConnections() async throws {
        let arrived = Latch()
        let server = try LoopbackHTTPServer { _ in
            arrived.open()
            return .hang   // keeps the connection open until the client gives up
        }
        defer { server.stop() }
        // The client gives up after a second and closes the connection.
        let transport = URLSessionTransport(configuration: .init(requestTimeout: .seconds(1)))
        async let client = try? transport.send(HTTPRequest(method: .get, url: server.url(path: "/slow")))
        await arrived.wait()
        // The connection is open now (the handler runs on it); the wait ends only when the client closes it.
        await server.waitUntilNoOpenConnections()
        #expect(await client == nil)
        #expect(server.connectionsAccepted >= 1)
    }
}
