import Foundation

/// Why a Salesforce response body could not be read: it is not the JSON or CSV it should be, or it has the
/// wrong shape. Carries an excerpt of the body so the cause can be seen; never crashes on any input.
public struct SalesforceResponseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable { case emptyBody, malformedJSON, unexpectedShape, malformedCSV, countMismatch }
        let code: Code

        /// The body is empty where content was expected.
        public static let emptyBody = Kind(code: .emptyBody)
        /// The body is not valid JSON (often an HTML error page from a proxy or Salesforce's edge).
        public static let malformedJSON = Kind(code: .malformedJSON)
        /// Valid JSON of the wrong shape (a missing or mistyped member).
        public static let unexpectedShape = Kind(code: .unexpectedShape)
        /// A CSV body that breaks RFC 4180 (an unterminated quote, text after a closing quote).
        public static let malformedCSV = Kind(code: .malformedCSV)
        /// A results list whose length differs from the number of records sent.
        public static let countMismatch = Kind(code: .countMismatch)

        /// A short, stable name of the kind.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// What was expected and what was found.
    public let message: String
    /// The first 200 characters of the body, on one line.
    public let excerpt: String

    init(_ code: Kind.Code, _ message: String, body: Data) {
        self.kind = Kind(code: code)
        self.message = message
        self.excerpt = SalesforceResponseError.excerpt(of: body)
    }

    init(_ code: Kind.Code, _ message: String, text: String) {
        self.init(code, message, body: Data(text.utf8))
    }

    static func excerpt(of body: Data, limit: Int = 200) -> String {
        let text = String(decoding: body.prefix(limit * 4), as: UTF8.self)
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        return text.count > limit ? String(text.prefix(limit)) + "…" : text
    }

    /// What was expected, what was found, and the body's beginning.
    public var description: String {
        excerpt.isEmpty ? "\(message) (empty body)" : "\(message); the body begins: \(excerpt)"
    }
}
