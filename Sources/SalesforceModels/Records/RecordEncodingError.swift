/// Why records could not be put into a request body.
public struct RecordEncodingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable { case emptyCollection, tooManyRecords, tooManyChunks, invalidValue }
        let code: Code

        /// No records were given.
        public static let emptyCollection = Kind(code: .emptyCollection)
        /// More than 200 records in one sObject Collections call.
        public static let tooManyRecords = Kind(code: .tooManyRecords)
        /// More than 10 runs of same-type records in one call.
        public static let tooManyChunks = Kind(code: .tooManyChunks)
        /// A value that cannot be encoded (e.g. a CSV header that is not a field name).
        public static let invalidValue = Kind(code: .invalidValue)

        /// A short, stable name of the kind.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// What happened and what to do.
    public let message: String

    init(_ code: Kind.Code, _ message: String) {
        self.kind = Kind(code: code)
        self.message = message
    }

    /// What happened and what to do.
    public var description: String { message }
}
