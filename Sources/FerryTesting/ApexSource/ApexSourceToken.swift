/// One lexical piece of Apex source as ``ApexSourceScanner`` splits it: code, a comment or a string literal.
public struct ApexSourceToken: Sendable, Hashable {
    /// What a token is.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case code, blockComment, lineComment, stringLiteral
        }
        let code: Code

        /// Source outside comments and string literals.
        public static let code = Kind(code: .code)
        /// A `/* ... */` comment.
        public static let blockComment = Kind(code: .blockComment)
        /// A `// ...` comment, up to the end of its line.
        public static let lineComment = Kind(code: .lineComment)
        /// A `'...'` string literal.
        public static let stringLiteral = Kind(code: .stringLiteral)

        /// The kind's name, e.g. `stringLiteral`.
        public var description: String { code.rawValue }
    }

    /// What the token is.
    public let kind: Kind
    /// The token's source text, delimiters included.
    public let text: String
    /// For a string literal, the string it denotes (escapes decoded); for any other token, its text.
    public let value: String
    /// The 1-based line the token starts on.
    public let line: Int
}
