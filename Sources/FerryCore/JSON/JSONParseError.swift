/// Why a JSON text was rejected, and where.
///
/// ``offset`` is the zero-based byte offset into the UTF-8 input at which the problem was found; the
/// description says what was found and what was expected there:
///
/// `JSON error at byte 14: trailing comma before ']'; remove the comma after the last element`
public struct JSONParseError: Error, Sendable, Hashable {
    /// The category of a parse error, for code that reacts to specific problems.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case invalidUTF8 = "invalid UTF-8"
            case unexpectedEnd = "unexpected end of input"
            case unexpectedCharacter = "unexpected character"
            case trailingComma = "trailing comma"
            case leadingZero = "leading zero"
            case invalidNumber = "invalid number"
            case invalidEscape = "invalid escape"
            case loneSurrogate = "lone surrogate"
            case controlCharacter = "unescaped control character"
            case comment = "comment"
            case tooDeep = "nesting too deep"
            case trailingData = "data after the value"
        }

        let code: Code

        /// The input is not valid UTF-8.
        public static let invalidUTF8 = Kind(code: .invalidUTF8)
        /// The input ended inside a value.
        public static let unexpectedEnd = Kind(code: .unexpectedEnd)
        /// A character that cannot start or continue a value here (including `NaN` and `Infinity`).
        public static let unexpectedCharacter = Kind(code: .unexpectedCharacter)
        /// A comma directly before `]` or `}`.
        public static let trailingComma = Kind(code: .trailingComma)
        /// A number with a leading zero, such as `012`.
        public static let leadingZero = Kind(code: .leadingZero)
        /// A malformed number, such as `1.` or `-`.
        public static let invalidNumber = Kind(code: .invalidNumber)
        /// An unknown or malformed backslash escape in a string.
        public static let invalidEscape = Kind(code: .invalidEscape)
        /// A `\u` escape of half a UTF-16 surrogate pair without its other half.
        public static let loneSurrogate = Kind(code: .loneSurrogate)
        /// A raw control character (U+0000 to U+001F) inside a string.
        public static let controlCharacter = Kind(code: .controlCharacter)
        /// A `//` or `/*` comment, which JSON does not allow.
        public static let comment = Kind(code: .comment)
        /// Arrays and objects nested deeper than the parser's limit.
        public static let tooDeep = Kind(code: .tooDeep)
        /// Something other than white space after the top-level value.
        public static let trailingData = Kind(code: .trailingData)

        /// A short, stable name of the kind.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// The zero-based byte offset in the UTF-8 input where the problem was found.
    public let offset: Int
    /// What was found and what was expected, in words.
    public let message: String

    init(_ kind: Kind, at offset: Int, _ message: String) {
        self.kind = kind
        self.offset = offset
        self.message = message
    }
}

extension JSONParseError: CustomStringConvertible {
    /// `JSON error at byte N: message`.
    public var description: String { "JSON error at byte \(offset): \(message)" }
}
