import FerryCore
import FerryTesting
import Foundation
import Testing
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `kill(2)`, under a name that does not clash with ``SendCLI/Running/kill()``.
private func sendSignal(_ pid: Int32, _ signal: Int32) -> Int32 { kill(pid, signal) }

/// Runs `ferry` (or another executable) without blocking a thread while it runs.
///
/// `ferry send` tests talk to a `LoopbackHTTPServer` in the test process, whose handlers run as tasks on the
/// cooperative thread pool. `CLI.run` waits with `waitUntilExit()`, holding one of those few threads for the whole
/// run; two such waits at once can leave no thread to answer the child's requests. These helpers suspend instead.
enum SendCLI {
    /// A started process and its captured output.
    struct Running: Sendable {
        let pid: Int32
        let scratch: URL
        fileprivate let exit: AsyncStream<Int32>
        fileprivate let exited: Latch

        /// Whether the process has ended.
        var hasExited: Bool { exited.isOpen }

        /// Suspends until the process has ended (or the waiting task is cancelled); does not take its status.
        func waitForExit() async { await exited.wait() }

        /// Waits (suspending) for the process to end; returns its exit status. Call it from one task at a time.
        func status() async -> Int32 {
            for await status in exit { return status }
            return -1
        }

        /// Kills the process with SIGKILL (no chance to flush or clean up) and waits for it to end.
        func kill() async {
            if !hasExited { _ = sendSignal(pid, SIGKILL) }
            _ = await status()
        }

        var stdout: String { text("stdout") }
        var stderr: String { text("stderr") }

        private func text(_ name: String) -> String {
            String(decoding: (try? Data(contentsOf: scratch.appendingPathComponent(name))) ?? Data(), as: UTF8.self)
        }

        func cleanUp() { try? FileManager.default.removeItem(at: scratch) }
    }

    /// Starts `executable` (default: the `ferry` built next to the tests) with `arguments`.
    static func start(
        _ arguments: [String], environment: [String: String] = [:], executable: URL? = nil
    ) throws -> Running {
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        let process = Process()
        process.executableURL = executable ?? CLI.productsDirectory.appendingPathComponent("ferry")
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        for name in ["stdout", "stderr"] {
            _ = FileManager.default.createFile(atPath: scratch.appendingPathComponent(name).path, contents: nil)
        }
        process.standardOutput = try FileHandle(forWritingTo: scratch.appendingPathComponent("stdout"))
        process.standardError = try FileHandle(forWritingTo: scratch.appendingPathComponent("stderr"))
        process.standardInput = FileHandle.nullDevice
        let (exit, continuation) = AsyncStream<Int32>.makeStream(bufferingPolicy: .bufferingNewest(1))
        let exited = Latch()
        process.terminationHandler = { process in
            exited.open()
            continuation.yield(process.terminationStatus)
            continuation.finish()
        }
        try process.run()
        return Running(pid: process.processIdentifier, scratch: scratch, exit: exit, exited: exited)
    }
}
