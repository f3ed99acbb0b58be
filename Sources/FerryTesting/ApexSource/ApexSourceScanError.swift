/// Why ``ApexSourceScanner`` could not split a source: an unterminated comment or literal, a line break or an
/// unknown escape inside a literal.
public struct ApexSourceScanError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What is wrong, with the 1-based line where it is.
    public let message: String
    /// The 1-based line.
    public let line: Int

    init(_ message: String, line: Int) {
        self.message = message
        self.line = line
    }

    /// `line N: message`.
    public var description: String { "line \(line): \(message)" }
}
