import FerryCore
import FerryTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

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

    @Test("waitUntilNoOpenConnections also waits for connections still in the listen queue")
    func queuedConnections() async throws {
        let server = try LoopbackHTTPServer { _ in .response(HTTPResponse(status: 204)) }
        defer { server.stop() }
        // connect() returns once the system has queued the connection, before the server has accepted it; the
        // request is written and the client closes at once, as a killed process's would be.
        for round in 1...20 {
            try Self.sendAndHangUp(port: server.port, path: "/r\(round)")
            await server.waitUntilNoOpenConnections()
            #expect(server.requests.count == round, "round \(round)")
        }
        #expect(server.connectionsAccepted == 20)
    }

    /// Opens a TCP connection to `port`, writes a request asking the server to close, and closes the socket.
    static func sendAndHangUp(port: Int, path: String) throws {
        #if canImport(Glibc) || canImport(Musl)
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        #else
        let fd = socket(AF_INET, SOCK_STREAM, 0)
        #endif
        guard fd >= 0 else { throw POSIXError(.EIO) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard connected == 0 else { throw POSIXError(.ECONNREFUSED) }
        let request = Array("GET \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".utf8)
        let written = request.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == request.count else { throw POSIXError(.EIO) }
    }
}
