/// A transport did not behave as ``TransportConformance`` requires: which check, and what was wrong.
public struct TransportConformanceFailure: Error, Sendable, CustomStringConvertible {
    /// The name of the check that failed.
    public let check: String
    /// What was expected and what happened instead.
    public let message: String

    /// Creates a failure.
    /// - Parameters:
    ///   - check: The check's name.
    ///   - message: What was expected and what happened.
    public init(check: String, message: String) {
        self.check = check
        self.message = message
    }

    /// `check: message`.
    public var description: String { "\(check): \(message)" }
}
