import FerryCore
import Foundation

/// The behaviour every ``/FerryCore/HTTPTransport`` owes Ferry, as checks any host can run against its own transport from its
/// own tests, over real sockets (a ``LoopbackHTTPServer`` per check).
///
/// Ferry's pipeline relies on these rules: every response returned whatever its status, headers both ways, the
/// body cap enforced whether the length is declared or not, kept-alive connections, timeouts, refused, dropped and
/// truncated connections told apart and marked retryable, redirects never followed, cancellation before and during
/// a request, plain `http://` refused off loopback, and as many requests in flight as the pipeline asks for.
/// `URLSessionTransport` and FerryIntegrations' `AsyncHTTPClientTransport` both run through it.
///
/// With Swift Testing, one test per check:
///
/// ```swift
/// @Test(arguments: TransportConformance.checks)
/// func conforms(_ check: TransportConformance.Check) async throws {
///     let conformance = TransportConformance { settings in
///         MyTransport(timeout: settings.requestTimeout, bodyLimit: settings.maximumResponseBodySize,
///                     connections: settings.concurrency)
///     }
///     try await conformance.run(check)
/// }
/// ```
///
/// A check throws ``TransportConformanceFailure`` saying what was expected and what happened. The suite needs no
/// test framework, so XCTest or a plain executable can run it too.
public struct TransportConformance: Sendable {
    /// What a check asks of the transport it makes: the factory must honour each field.
    public struct Settings: Sendable, Hashable {
        /// The transport's overall timeout for a request (a request's own `timeout` overrides it).
        public var requestTimeout: Duration
        /// The largest response body the transport accepts, in bytes.
        public var maximumResponseBodySize: Int
        /// How many requests the transport must keep in flight at once (its connections per host).
        public var concurrency: Int

        /// Creates settings.
        /// - Parameters:
        ///   - requestTimeout: The overall request timeout (default 10 s).
        ///   - maximumResponseBodySize: The response body cap in bytes (default 16 MiB).
        ///   - concurrency: Requests in flight at once (default 8).
        public init(
            requestTimeout: Duration = .seconds(10), maximumResponseBodySize: Int = 16 * 1024 * 1024,
            concurrency: Int = 8
        ) {
            self.requestTimeout = requestTimeout
            self.maximumResponseBodySize = maximumResponseBodySize
            self.concurrency = concurrency
        }
    }

    /// One named check. Its description is its name, so test runners list each check by name.
    public struct Check: Sendable, CustomStringConvertible {
        /// What the check proves, in a sentence.
        public let name: String
        let body: @Sendable (Run) async throws -> Void

        /// The check's name.
        public var description: String { name }
    }

    /// Makes a transport with the given settings.
    public typealias Factory = @Sendable (Settings) async throws -> any HTTPTransport
    /// Releases a transport a check made (shuts down a client it owns); called even when the check fails.
    public typealias Shutdown = @Sendable (any HTTPTransport) async throws -> Void

    private let makeTransport: Factory
    private let shutdown: Shutdown

    /// Creates a suite for one kind of transport.
    /// - Parameters:
    ///   - shutdown: Called with every transport the factory made once its check is over (default: nothing).
    ///   - makeTransport: Makes a transport honouring the ``Settings``; each check makes the ones it needs.
    public init(shutdown: @escaping Shutdown = { _ in }, makeTransport: @escaping Factory) {
        self.makeTransport = makeTransport
        self.shutdown = shutdown
    }

    /// Runs one check.
    /// - Parameter check: A member of ``checks``.
    /// - Throws: ``TransportConformanceFailure`` when the transport does not behave as the check requires, or an
    ///   error from the factory or the loopback server.
    public func run(_ check: Check) async throws {
        let run = Run(check: check.name, makeTransport: makeTransport)
        do {
            try await check.body(run)
        } catch {
            await run.shutDown(with: shutdown)
            throw error
        }
        await run.shutDown(with: shutdown)
    }

    /// Runs every check and returns the failures (empty when the transport conforms).
    /// - Returns: One failure per failing check, in order.
    public func runAll() async -> [TransportConformanceFailure] {
        var failures: [TransportConformanceFailure] = []
        for check in Self.checks {
            do {
                try await run(check)
            } catch let failure as TransportConformanceFailure {
                failures.append(failure)
            } catch {
                failures.append(TransportConformanceFailure(check: check.name, message: "threw \(error)"))
            }
        }
        return failures
    }
}

extension TransportConformance {
    /// What a check works with: transports made through the factory, and a way to fail with a clear message.
    final class Run: Sendable {
        let check: String
        private let makeTransport: Factory
        private let made = FerryMutex<[any HTTPTransport]>([])

        init(check: String, makeTransport: @escaping Factory) {
            self.check = check
            self.makeTransport = makeTransport
        }

        /// A transport with `settings`, shut down when the check ends.
        func transport(_ settings: Settings = Settings()) async throws -> any HTTPTransport {
            let transport = try await makeTransport(settings)
            made.withLock { $0.append(transport) }
            return transport
        }

        func shutDown(with shutdown: Shutdown) async {
            for transport in made.withLock({ $0 }) { try? await shutdown(transport) }
        }

        /// Fails the check with `message` unless `condition` holds.
        func require(_ condition: Bool, _ message: @autoclosure () -> String) throws {
            if !condition { throw TransportConformanceFailure(check: check, message: message()) }
        }

        /// Runs `body`, which must throw a ``/FerryCore/TransportError``; returns it. A `CancellationError` counts as a
        /// ``/FerryCore/TransportError/Kind/cancelled`` error, as ``/FerryCore/HTTPTransport`` allows.
        func transportError(
            _ what: String, _ body: () async throws -> HTTPResponse
        ) async throws -> TransportError {
            do {
                let response = try await body()
                throw TransportConformanceFailure(
                    check: check, message: "\(what): expected a TransportError, got a \(response.status) response")
            } catch let error as TransportError {
                return error
            } catch is CancellationError {
                return TransportError(.cancelled, url: "")
            } catch let failure as TransportConformanceFailure {
                throw failure
            } catch {
                throw TransportConformanceFailure(
                    check: check, message: "\(what): expected a TransportError, got \(type(of: error)): \(error)")
            }
        }
    }
}
