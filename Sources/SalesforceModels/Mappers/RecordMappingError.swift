/// Why a mapper could not turn a context into a payload.
public struct RecordMappingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable { case missingValue, invalidValue, invalidConfiguration, invalidPayload, renderFailed, other }
        let code: Code

        /// A required value is absent, `null` or empty.
        public static let missingValue = Kind(code: .missingValue)
        /// A value has a type or form the field cannot take.
        public static let invalidValue = Kind(code: .invalidValue)
        /// The mapper itself is set up wrongly (an invalid field name).
        public static let invalidConfiguration = Kind(code: .invalidConfiguration)
        /// A rendered payload is not valid JSON, or not the shape a record needs.
        public static let invalidPayload = Kind(code: .invalidPayload)
        /// The payload renderer (e.g. a Liquid template) failed.
        public static let renderFailed = Kind(code: .renderFailed)
        /// Any other problem, raised by a host's own mapper.
        public static let other = Kind(code: .other)

        /// A short, stable name of the kind.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The context path concerned, e.g. `Event.User Rating`.
    public let path: String?
    /// What is wrong and what to do.
    public let message: String

    init(_ code: Kind.Code, path: String?, _ message: String) {
        self.kind = Kind(code: code)
        self.path = path
        self.message = message
    }

    /// An error raised by a host's own mapper.
    /// - Parameters:
    ///   - message: What is wrong and what to do.
    ///   - path: The context path concerned, if any.
    /// - Returns: The error.
    public static func other(_ message: String, path: String? = nil) -> RecordMappingError {
        RecordMappingError(.other, path: path, message)
    }

    /// `path: message`.
    public var description: String { path.map { "\($0): \(message)" } ?? message }
}
