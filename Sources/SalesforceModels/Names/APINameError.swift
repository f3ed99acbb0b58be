/// Why a text is not a valid Salesforce API name; each naming rule has its own kind and message.
///
/// `error.kind == .tooLong`; the description names the rule and the fix, e.g.
/// `'User Rating__c' contains ' ' (a space): API names hold only letters, digits and underscores; use User_Rating__c`.
public struct APINameError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case empty, invalidCharacter, mustStartWithLetter, trailingUnderscore, consecutiveUnderscores
            case tooLong, unknownSuffix, invalidNamespace, namespaceWithoutSuffix, suffixRequired
        }

        let code: Code

        /// The name (or its part before the suffix) is empty.
        public static let empty = Kind(code: .empty)
        /// A character other than an ASCII letter, digit or underscore.
        public static let invalidCharacter = Kind(code: .invalidCharacter)
        /// The name does not begin with a letter.
        public static let mustStartWithLetter = Kind(code: .mustStartWithLetter)
        /// The name part ends with `_`.
        public static let trailingUnderscore = Kind(code: .trailingUnderscore)
        /// `__` inside the name part.
        public static let consecutiveUnderscores = Kind(code: .consecutiveUnderscores)
        /// More than 40 characters before the suffix.
        public static let tooLong = Kind(code: .tooLong)
        /// A `__x` ending other than `__c`, `__r`, `__e`, `__mdt`.
        public static let unknownSuffix = Kind(code: .unknownSuffix)
        /// A namespace prefix that is not 1-15 letters and digits starting with a letter.
        public static let invalidNamespace = Kind(code: .invalidNamespace)
        /// A namespace prefix on a name without a custom suffix (`ns__Name`).
        public static let namespaceWithoutSuffix = Kind(code: .namespaceWithoutSuffix)
        /// A custom suffix was required (custom objects and fields end in `__c`).
        public static let suffixRequired = Kind(code: .suffixRequired)

        /// A short, stable name of the rule (`"tooLong"`, ...).
        public var description: String { code.rawValue }
    }

    /// The rule that was broken.
    public let kind: Kind
    /// The name that was checked.
    public let name: String
    /// What is wrong and how to fix it.
    public let message: String

    init(_ code: Kind.Code, name: String, _ message: String) {
        self.kind = Kind(code: code)
        self.name = name
        self.message = message
    }

    /// What is wrong and how to fix it.
    public var description: String { message }
}
