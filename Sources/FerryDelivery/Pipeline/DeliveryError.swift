/// Why the pipeline refused an item.
public struct DeliveryError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case shutDown, outboxFailed, invalidConfiguration
    }

    let code: Code
    /// What happened and what to do.
    public let message: String
    /// The error underneath, as a value: what the outbox threw for ``outboxFailed(_:)`` (inspect it with `as?`,
    /// e.g. a `FileOutboxError`'s kind), the ``ConfigurationError`` for ``invalidConfiguration(_:)``; `nil` for
    /// ``shutDown``.
    public let underlyingError: (any Error)?

    init(code: Code, message: String, underlyingError: (any Error)? = nil) {
        self.code = code
        self.message = message
        self.underlyingError = underlyingError
    }

    /// The pipeline is shutting down or shut down and accepts nothing more.
    public static let shutDown = DeliveryError(
        code: .shutDown,
        message: "the delivery pipeline is shut down and accepts no more items; create a new pipeline to send more")

    /// The outbox could not store the item, so it was not accepted.
    /// - Parameter error: What the outbox threw; kept as ``underlyingError``.
    /// - Returns: The error.
    public static func outboxFailed(_ error: any Error) -> DeliveryError {
        DeliveryError(
            code: .outboxFailed,
            message: "the outbox could not store the item, so it was not accepted (\(error)); send it again once the outbox is writable",
            underlyingError: error)
    }

    /// The pipeline's configuration failed ``DeliveryPipeline/Configuration/validate()``, so it starts no
    /// deliverer and accepts nothing.
    /// - Parameter error: What is wrong; kept as ``underlyingError``.
    /// - Returns: The error.
    public static func invalidConfiguration(_ error: ConfigurationError) -> DeliveryError {
        DeliveryError(
            code: .invalidConfiguration,
            message: "the delivery pipeline's configuration is invalid, so it accepts nothing and delivers nothing: "
                + "\(error.message)",
            underlyingError: error)
    }

    /// Whether two errors are of the same kind.
    /// - Parameters:
    ///   - lhs: One error.
    ///   - rhs: The other.
    /// - Returns: `true` for the same kind.
    public static func == (lhs: DeliveryError, rhs: DeliveryError) -> Bool { lhs.code == rhs.code }

    /// Hashes the kind.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) { hasher.combine(code) }

    /// The message.
    public var description: String { message }
}
