import Foundation

/// One libFuzzer input, with the ways the targets split it into parts.
public struct FuzzInput: Sendable {
    /// The raw bytes.
    public let bytes: [UInt8]

    /// Copies libFuzzer's buffer.
    /// - Parameters:
    ///   - data: The input's first byte.
    ///   - size: The input's length.
    public init(_ data: UnsafePointer<UInt8>, _ size: Int) {
        bytes = Array(UnsafeBufferPointer(start: data, count: size))
    }

    /// The bytes as `Data`.
    public var data: Data { Data(bytes) }

    /// The bytes decoded as UTF-8 (invalid sequences become U+FFFD, as a network body would).
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Splits at the first NUL byte: the bytes before it and after it, or `nil` when there is no NUL.
    /// Targets that take two inputs (a context and a template, a header and a body) use this, so a plain text
    /// file from the tests is a valid seed (no NUL: the whole file is the main input).
    public var splitAtNUL: (head: [UInt8], tail: [UInt8])? {
        guard let index = bytes.firstIndex(of: 0) else { return nil }
        return (Array(bytes[..<index]), Array(bytes[(index + 1)...]))
    }
}

/// Runs an async body to completion from libFuzzer's synchronous callback.
/// - Parameter body: The work; it must not throw (catch inside).
public func runBlocking(_ body: @escaping @Sendable () async -> Void) {
    let done = DispatchSemaphore(value: 0)
    Task {
        await body()
        done.signal()
    }
    done.wait()
}

/// Stops the fuzzer with a message when an invariant fails (libFuzzer reports the input as a crash).
/// - Parameters:
///   - condition: The invariant.
///   - message: What broke.
public func fuzzCheck(_ condition: @autoclosure () -> Bool, _ message: @autoclosure () -> String) {
    if !condition() {
        FileHandle.standardError.write(Data(("fuzz invariant failed: " + message() + "\n").utf8))
        abort()
    }
}

