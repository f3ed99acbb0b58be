import Foundation
import FerryCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A real HTTP/1.1 server on `127.0.0.1`, for tests that must cross a real socket: a transport's timeouts,
/// redirects, keep-alive and body limits, or a whole `ferry send` run against injected faults.
///
/// It needs no external process and no package: POSIX sockets and one thread per connection. Each request is
/// answered by the handler you give, which may also hang, drop the connection or send raw bytes:
///
/// ```swift
/// let server = try LoopbackHTTPServer { request in
///     request.url.path == "/slow" ? .hang : .response(HTTPResponse(status: 200, text: "ok"))
/// }
/// defer { server.stop() }
/// let url = server.url(path: "/hello")   // http://127.0.0.1:<port>/hello
/// ```
public final class LoopbackHTTPServer: Sendable {
    /// How the server answers one request.
    public enum Reply: Sendable {
        /// Send this response (a `Content-Length` is added when missing), keeping the connection open.
        case response(HTTPResponse)
        /// Send these exact bytes, then close the connection.
        case raw(Data)
        /// Close the connection without answering.
        case close
        /// Never answer; the connection stays open until the client gives up or the server stops.
        case hang
    }

    /// Answers a request. Runs on the connection's own thread, so it may take its time.
    public typealias Handler = @Sendable (HTTPRequest) async -> Reply

    private struct State {
        var stopped = false
        var listenerClosed = false
        var connections: Set<Int32> = []
        var connectionsAccepted = 0
        var requests: [HTTPRequest] = []
        /// Callers of ``waitUntilNoOpenConnections()``, resumed when the last open connection closes.
        var idleWaiters: [Latch] = []
    }

    /// The port the server listens on (chosen by the system).
    public let port: Int
    private let listener: Int32
    private let handler: Handler
    private let state = FerryMutex(State())

    /// Starts a server on `127.0.0.1` with a free port.
    /// - Parameter handler: Answers each request.
    /// - Throws: `POSIXError` when the socket cannot be opened.
    public init(handler: @escaping Handler) throws {
        self.handler = handler
        let fd = socket(AF_INET, Int32(LoopbackSocket.streamType), 0)
        guard fd >= 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        var reuse: Int32 = 1
        setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard bound == 0, listen(fd, 64) == 0 else {
            let code = errno
            close(fd)
            throw POSIXError(POSIXErrorCode(rawValue: code) ?? .EIO)
        }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        _ = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        // Non-blocking, so the accept loop can take every queued connection under the state lock and stop at
        // EAGAIN (see ``waitUntilNoOpenConnections()``); it waits for new ones with poll().
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        listener = fd
        port = Int(UInt16(bigEndian: address.sin_port))
        let thread = Thread { [self] in acceptLoop() }
        thread.start()
    }

    deinit { stop() }

    /// The base URL, `http://127.0.0.1:<port>`.
    public var baseURL: URL {
        // The string is built from a literal and an integer, so it always parses.
        URL(string: "http://127.0.0.1:\(port)")!
    }

    /// The URL of `path` on this server.
    /// - Parameter path: An absolute path, optionally with a query (`/a?b=c`).
    /// - Returns: `http://127.0.0.1:<port><path>`.
    public func url(path: String) -> URL {
        URL(string: "http://127.0.0.1:\(port)\(path)") ?? baseURL.appendingPathComponent(path)
    }

    /// How many TCP connections the server has accepted (keep-alive reuse shows as fewer connections than
    /// requests).
    public var connectionsAccepted: Int { state.withLock { $0.connectionsAccepted } }

    /// Every request received, in order.
    public var requests: [HTTPRequest] { state.withLock { $0.requests } }

    /// Suspends until no connection is open or waiting to be accepted: every client has hung up (or its process
    /// was killed), every request read from those connections has been answered, and the listen queue is empty (a
    /// connection a killed client opened just before dying is accepted, read and answered too). Use it after
    /// killing a client, instead of a pause, before reading what the handler recorded. Returns early if the calling
    /// task is cancelled.
    public func waitUntilNoOpenConnections() async {
        while !Task.isCancelled {
            let idle = Latch()
            // The accept loop moves queued connections into `connections` under this lock, so "none open and none
            // queued" is one consistent observation: no connection is between the two.
            let waiting = state.withLock { state -> Bool in
                guard state.connections.isEmpty, !hasQueuedConnection(state) else {
                    state.idleWaiters.append(idle)
                    return true
                }
                return false
            }
            guard waiting else { return }
            // Opened when the last open connection closes; then look again, since more may have been queued.
            await idle.wait()
        }
    }

    /// Whether a connection waits in the listen queue (not yet accepted). Called under the state lock, which keeps
    /// the listener open while it is read.
    private func hasQueuedConnection(_ state: State) -> Bool {
        guard !state.listenerClosed, !state.stopped else { return false }
        var probe = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
        return poll(&probe, 1, 0) > 0 && probe.revents & Int16(POLLIN) != 0
    }

    /// Stops listening and closes every open connection. Safe to call more than once.
    public func stop() {
        // Shut the sockets down under the lock: a connection still in the set has not been closed yet (its thread
        // removes it under the same lock, and closes it only after), so the descriptor cannot belong to another
        // socket.
        // The threads that use the sockets close them; closing here could race with their accept() or recv().
        let waiters = state.withLock { state -> [Latch] in
            guard !state.stopped else { return [] }
            state.stopped = true
            if !state.listenerClosed { shutdown(listener, Int32(SHUT_RDWR)) }
            for connection in state.connections { shutdown(connection, Int32(SHUT_RDWR)) }
            // Waiters look again: queued connections are no longer waited for once the server stops.
            defer { state.idleWaiters = [] }
            return state.idleWaiters
        }
        for waiter in waiters { waiter.open() }
    }

    private func acceptLoop() {
        defer {
            state.withLock { state in
                state.listenerClosed = true
                close(listener)
            }
        }
        while true {
            // Wait for a queued connection; the timeout only bounds how long a stop() goes unnoticed on a system
            // where shutting the listener down does not wake poll().
            var ready = pollfd(fd: listener, events: Int16(POLLIN), revents: 0)
            let polled = poll(&ready, 1, 100)
            if polled < 0, errno != EINTR { return }
            // Take every queued connection under the lock (until EAGAIN), so waitUntilNoOpenConnections() never
            // sees a connection that has left the queue but is not yet in `connections`.
            let (taken, recheck) = state.withLock { state -> ([Int32]?, [Latch]) in
                guard !state.stopped else { return (nil, []) }
                var taken: [Int32] = []
                while true {
                    let connection = accept(listener, nil, nil)
                    if connection >= 0 {
                        state.connections.insert(connection)
                        state.connectionsAccepted += 1
                        taken.append(connection)
                        continue
                    }
                    if errno == EINTR || errno == ECONNABORTED { continue }
                    let failed = errno != EAGAIN && errno != EWOULDBLOCK
                    var recheck: [Latch] = []
                    if taken.isEmpty, state.connections.isEmpty {
                        // Nothing taken and nothing open: a waiter that saw a queued connection the system then
                        // dropped (never accepted) would wait for a close that never comes; let it look again.
                        recheck = state.idleWaiters
                        state.idleWaiters = []
                    }
                    return (failed && taken.isEmpty ? nil : taken, recheck)
                }
            }
            for waiter in recheck { waiter.open() }
            guard let taken else { return }
            for connection in taken {
                // Blocking, whatever the system's accept() inherits from the listener: serve() reads and writes
                // with blocking calls.
                _ = fcntl(connection, F_SETFL, fcntl(connection, F_GETFL) & ~O_NONBLOCK)
                var noDelay: Int32 = 1
                setsockopt(connection, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
                let thread = Thread { [self] in serve(connection) }
                thread.start()
            }
        }
    }

    private func serve(_ connection: Int32) {
        defer {
            // Out of the set under the lock (so stop() no longer shuts it down), closed outside it: close() can
            // block (lingering data), and nothing else may wait on the server's lock for it.
            let waiters = state.withLock { state -> [Latch] in
                state.connections.remove(connection)
                guard state.connections.isEmpty else { return [] }
                defer { state.idleWaiters = [] }
                return state.idleWaiters
            }
            close(connection)
            for waiter in waiters { waiter.open() }
        }
        var reader = LoopbackSocket.Reader(fd: connection)
        let executor = ConnectionThreadExecutor()
        while let request = reader.readRequest(port: port) {
            state.withLock { $0.requests.append(request) }
            let reply = executor.run { [handler] in await handler(request) }
            switch reply {
            case .response(let response):
                guard LoopbackSocket.write(LoopbackSocket.encode(response), to: connection) else { return }
                if request.headers["Connection"]?.lowercased() == "close" { return }
            case .raw(let bytes):
                _ = LoopbackSocket.write(bytes, to: connection)
                return
            case .close:
                return
            case .hang:
                // Wait for the client to give up (or the server to stop): reads return 0 or fail then.
                var sink = [UInt8](repeating: 0, count: 1024)
                while recv(connection, &sink, sink.count, 0) > 0 {}
                return
            }
        }
    }
}
