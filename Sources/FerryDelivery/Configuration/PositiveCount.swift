/// A count of at least one: concurrency, queue capacity, a failure threshold. Zero or a negative number cannot be
/// made, so a configuration cannot ask for zero deliverers (which would deliver nothing, forever).
///
/// Write a literal where the value is known (`configuration.concurrency = 16`); check a value read at run time
/// with ``init(_:for:)``, which throws a ``ConfigurationError`` that names the setting. A literal of zero or less
/// is a programming error and stops the program, like an index out of range.
public struct PositiveCount: Sendable, Hashable, Comparable, ExpressibleByIntegerLiteral, CustomStringConvertible {
    /// The count, at least 1.
    public let value: Int

    /// Checks a count read at run time.
    /// - Parameters:
    ///   - value: The count.
    ///   - setting: The setting's name, for the error (`concurrency`, `--concurrency`).
    /// - Throws: ``ConfigurationError`` when `value` is zero or negative.
    public init(_ value: Int, for setting: String) throws(ConfigurationError) {
        guard value > 0 else {
            throw ConfigurationError.notPositive(setting, value: String(value), meaning: "a count")
        }
        self.value = value
    }

    /// A count written in the code.
    /// - Parameter value: The count; zero or less stops the program.
    public init(integerLiteral value: Int) {
        precondition(value > 0, "a PositiveCount must be greater than zero, but the literal was \(value)")
        self.value = value
    }

    /// Whether `lhs` is smaller than `rhs`.
    /// - Parameters:
    ///   - lhs: One count.
    ///   - rhs: The other.
    /// - Returns: `true` when `lhs` is smaller.
    public static func < (lhs: PositiveCount, rhs: PositiveCount) -> Bool { lhs.value < rhs.value }

    /// The count in decimal.
    public var description: String { String(value) }
}
