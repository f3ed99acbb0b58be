import Foundation
import Ferry
import Testing

/// Runs the `ferry` executable that `swift test` built next to the test bundle, capturing its output.
enum CLI {
    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// The directory holding the built products (the test bundle and the `ferry` executable).
    static var productsDirectory: URL {
        #if os(macOS)
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            return bundle.bundleURL.deletingLastPathComponent()
        }
        #endif
        return Bundle.main.bundleURL
    }

    /// Runs `ferry` with `arguments`, optional extra environment variables and optional standard input.
    ///
    /// Waits for the process without blocking a thread: tests run on Swift's small cooperative pool, and a
    /// blocked pool thread could starve the loopback servers whose handlers the child process is talking to.
    static func run(
        _ arguments: [String], environment: [String: String] = [:], stdin: Data? = nil,
        currentDirectory: URL? = nil
    ) async throws -> Result {
        let executable = productsDirectory.appendingPathComponent("ferry")
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("stdout")
        let errURL = scratch.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let outHandle = try FileHandle(forWritingTo: outURL)
        let errHandle = try FileHandle(forWritingTo: errURL)

        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (key, value) in environment { env[key] = value }
        process.environment = env
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        process.standardOutput = outHandle
        process.standardError = errHandle
        if let stdin {
            let inURL = scratch.appendingPathComponent("stdin")
            try stdin.write(to: inURL)
            process.standardInput = try FileHandle(forReadingFrom: inURL)
        } else {
            process.standardInput = FileHandle.nullDevice
        }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { finished in continuation.resume(returning: finished.terminationStatus) }
            do {
                try process.run()
            } catch {
                process.terminationHandler = nil
                continuation.resume(throwing: error)
            }
        }
        try outHandle.close()
        try errHandle.close()
        return Result(
            status: status,
            stdout: String(decoding: try Data(contentsOf: outURL), as: UTF8.self),
            stderr: String(decoding: try Data(contentsOf: errURL), as: UTF8.self))
    }
}

@Suite("ferry CLI")
struct CLITests {
    @Test("ferry --help lists the commands and exits 0")
    func helpListsCommands() async throws {
        let result = try await CLI.run(["--help"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("USAGE: ferry <command>"))
        #expect(result.stdout.contains("version"))
    }

    @Test("an unknown command exits 2 and says how to get help")
    func unknownCommand() async throws {
        let result = try await CLI.run(["frobnicate"])
        #expect(result.status == 2)
        #expect(result.stderr.contains("unknown command 'frobnicate'"))
        #expect(result.stderr.contains("ferry --help"))
    }

    @Test("ferry version prints the SDK version")
    func version() async throws {
        let result = try await CLI.run(["version"])
        #expect(result.status == 0)
        #expect(result.stdout == "ferry \(FerryVersion.current)\n")
    }
}
