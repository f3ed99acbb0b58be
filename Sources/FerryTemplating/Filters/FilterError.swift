/// Why a filter could not produce a value. The engine adds the filter's name, line and column.
public struct FilterError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case argumentCount, invalidArgument, invalidInput, failed, resultTooLarge
    }

    let code: Code
    /// What went wrong, in words, and what to do.
    public let message: String

    private init(_ code: Code, _ message: String) {
        self.code = code
        self.message = message
    }

    /// The filter was given too few or too many arguments.
    /// - Parameter message: What was expected, e.g. "expects 1 argument (the separator), got 0".
    /// - Returns: The error.
    public static func argumentCount(_ message: String) -> FilterError { FilterError(.argumentCount, message) }

    /// An argument has a value the filter cannot use.
    /// - Parameter message: Which argument and why, e.g. "the divisor must not be 0".
    /// - Returns: The error.
    public static func invalidArgument(_ message: String) -> FilterError { FilterError(.invalidArgument, message) }

    /// The input has a value the filter cannot use.
    /// - Parameter message: What the filter needs, e.g. "expects a number, got an array".
    /// - Returns: The error.
    public static func invalidInput(_ message: String) -> FilterError { FilterError(.invalidInput, message) }

    /// Any other failure.
    /// - Parameter message: What happened.
    /// - Returns: The error.
    public static func failed(_ message: String) -> FilterError { FilterError(.failed, message) }

    /// The result would be larger than ``FilterContext/maximumResultBytes``. The render stops with a
    /// ``TemplateError`` of kind ``TemplateError/Kind/outputTooLarge``.
    /// - Parameter message: What would have grown too large, and what to do.
    /// - Returns: The error.
    public static func resultTooLarge(_ message: String) -> FilterError { FilterError(.resultTooLarge, message) }

    /// Whether this error reports a result larger than ``FilterContext/maximumResultBytes``.
    public var isResultTooLarge: Bool { code == .resultTooLarge }

    /// Whether two errors are of the same kind (ignoring the message).
    /// - Parameter other: The error to compare with.
    /// - Returns: `true` for the same kind.
    public func isSameKind(as other: FilterError) -> Bool { code == other.code }

    /// The message.
    public var description: String { message }
}
