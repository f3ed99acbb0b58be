/// A setting given a value it cannot take: a count of zero or less, a rate that is not above zero. Thrown where
/// the value is made (``PositiveCount/init(_:for:)``, ``RequestRate/init(_:for:)``), so a configuration never holds one, rather than found later when nothing is
/// delivered.
public struct ConfigurationError: Error, Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case notPositive
    }

    let code: Code
    /// The setting, as the caller named it (`concurrency`, `--concurrency`).
    public let setting: String
    /// What happened and what to do.
    public let message: String

    /// A value that must be positive was zero or negative (or not a finite number).
    /// - Parameters:
    ///   - setting: The setting's name.
    ///   - value: The value given, as text.
    ///   - meaning: What the setting counts, for the message.
    /// - Returns: The error.
    static func notPositive(_ setting: String, value: String, meaning: String) -> ConfigurationError {
        ConfigurationError(
            code: .notPositive, setting: setting,
            message: "\(setting) must be greater than zero (it is \(meaning)), but was \(value); pass a positive value "
                + "or leave the default")
    }

    /// The message.
    public var description: String { message }
}
