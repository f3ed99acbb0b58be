/// Why a template could not be parsed or rendered, and where.
///
/// Every error names the template (when it has a name), the line and column of the offending tag or expression,
/// the source line it sits on, and, for an undefined variable, the full path that was looked up
/// (`Profile.Emial`). The ``description`` follows the compiler convention `NAME:LINE:COLUMN: error: MESSAGE`.
///
/// ```swift
/// do {
///     _ = try Template("{{ Profile.Emial }}", environment: .init(mode: .strict)).render(context)
/// } catch {
///     error.kind == .undefinedVariable   // true
///     error.variablePath                 // "Profile.Emial"
/// }
/// ```
public struct TemplateError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The kind of failure, for code that reacts to some kinds (compare with the static members).
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case syntax, unknownTag, unclosedBlock, unexpectedTag
            case undefinedVariable, undefinedFilter, filterFailed, invalidOperands, invalidArgument
            case partialNotFound
            case outputTooLarge, tooManyIterations, tooDeep, templateTooLarge
            case ambiguousJSONContext, invalidJSONOutput
        }

        let code: Code

        /// The template text breaks Liquid's grammar (a malformed expression or tag argument).
        public static let syntax = Kind(code: .syntax)
        /// A tag name the environment does not know.
        public static let unknownTag = Kind(code: .unknownTag)
        /// A block tag (`if`, `for`, `comment`, ...) is never closed.
        public static let unclosedBlock = Kind(code: .unclosedBlock)
        /// A closing or branch tag (`endif`, `else`, ...) where none is expected.
        public static let unexpectedTag = Kind(code: .unexpectedTag)
        /// Strict mode: a variable the context does not define.
        public static let undefinedVariable = Kind(code: .undefinedVariable)
        /// Strict mode: a filter the environment does not define.
        public static let undefinedFilter = Kind(code: .undefinedFilter)
        /// A filter rejected its input or arguments.
        public static let filterFailed = Kind(code: .filterFailed)
        /// An operator was given values it cannot compare (`'2' > 1`).
        public static let invalidOperands = Kind(code: .invalidOperands)
        /// A tag argument has a value the tag cannot use (`limit: 'ten'`).
        public static let invalidArgument = Kind(code: .invalidArgument)
        /// `include` or `render` named a partial the loader does not have (or no loader is configured).
        public static let partialNotFound = Kind(code: .partialNotFound)
        /// The rendered output grew past ``TemplateLimits/maximumOutputBytes``.
        public static let outputTooLarge = Kind(code: .outputTooLarge)
        /// Loops ran more iterations than ``TemplateLimits/maximumLoopIterations``.
        public static let tooManyIterations = Kind(code: .tooManyIterations)
        /// Blocks, expressions or partials nest deeper than the limits allow.
        public static let tooDeep = Kind(code: .tooDeep)
        /// The template source is larger than ``TemplateLimits/maximumTemplateBytes``.
        public static let templateTooLarge = Kind(code: .templateTooLarge)
        /// JSON payload mode: a tag whose JSON context cannot be known, or that no JSON value can fill.
        public static let ambiguousJSONContext = Kind(code: .ambiguousJSONContext)
        /// JSON payload mode: the rendered text is not one valid JSON value.
        public static let invalidJSONOutput = Kind(code: .invalidJSONOutput)

        /// A stable, short name of the kind (safe for metrics labels).
        public var description: String { code.rawValue }
    }

    /// The kind of failure.
    public let kind: Kind
    /// What went wrong, why, and what to do, in words.
    public let message: String
    /// The template's name (a file or partial name), when it has one.
    public let templateName: String?
    /// The 1-based line of the offending tag or expression (0 when unknown).
    public let line: Int
    /// The 1-based column, in characters (0 when unknown).
    public let column: Int
    /// The source line holding the offending text (empty when unknown).
    public let excerpt: String
    /// For undefined variables: the full path that was looked up, e.g. `Profile.Emial`.
    public let variablePath: String?

    init(_ kind: Kind, _ message: String, location: SourceLocation?, variablePath: String? = nil) {
        self.kind = kind
        self.message = message
        self.templateName = location?.templateName
        self.line = location?.line ?? 0
        self.column = location?.column ?? 0
        self.excerpt = location?.excerpt ?? ""
        self.variablePath = variablePath
    }

    /// `NAME:LINE:COLUMN: error: MESSAGE`, then the source line and a caret under the column.
    public var description: String {
        var text = "\(templateName ?? "template"):\(line):\(column): error: \(message)"
        if !excerpt.isEmpty {
            text += "\n  " + excerpt + "\n  " + String(repeating: " ", count: max(0, column - 1)) + "^"
        }
        return text
    }

    /// The first line of ``description``: `NAME:LINE:COLUMN: error: MESSAGE`.
    public var summary: String { "\(templateName ?? "template"):\(line):\(column): error: \(message)" }
}
