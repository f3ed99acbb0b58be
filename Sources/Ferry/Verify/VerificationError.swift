/// Why ``IntegrationVerifier`` could not compare anything: the test record was refused, or could not be found or
/// read back. (Fields that differ are not an error: they are the report's mismatches.)
public struct VerificationError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What went wrong.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case refused, noRecordID, notFound, severalFound, unreadable, invalidPlan
        }
        let code: Code

        /// The destination did not store the test record (its answer is in the message).
        public static let refused = Kind(code: .refused)
        /// The reply carried no id and the plan has no key field to look the record up by.
        public static let noRecordID = Kind(code: .noRecordID)
        /// Nothing matched the lookup.
        public static let notFound = Kind(code: .notFound)
        /// Several records matched the lookup.
        public static let severalFound = Kind(code: .severalFound)
        /// The record could not be read back.
        public static let unreadable = Kind(code: .unreadable)
        /// The plan cannot work (e.g. its key field is not one of the mapped fields).
        public static let invalidPlan = Kind(code: .invalidPlan)

        /// A short, stable name.
        public var description: String { code.rawValue }
    }

    /// What went wrong.
    public let kind: Kind
    /// What happened and what to do.
    public let message: String

    init(_ code: Kind.Code, _ message: String) {
        self.kind = Kind(code: code)
        self.message = message
    }

    /// The message.
    public var description: String { message }
}
