/// A credential (a client secret, a subject token) that never prints.
///
/// Its `description`, `debugDescription`, reflection (`dump`, `Mirror`) and `Encodable` output are all
/// `<redacted>`, so a `Secret` can sit in a configuration struct that gets logged, dumped or encoded without
/// leaking. Read the value only where it is sent, with ``reveal()``.
///
/// ```swift
/// let secret = Secret(ProcessInfo.processInfo.environment["FERRY_CLIENT_SECRET"] ?? "")
/// print(secret)        // <redacted>
/// ```
///
/// Decoding reads a plain JSON string, so a secret can come from a configuration file; encoding writes
/// `"<redacted>"`, never the value.
public struct Secret: Sendable {
    private let storage: String

    /// Wraps `value`.
    /// - Parameter value: The secret text.
    public init(_ value: String) { storage = value }

    /// The secret text, for the one place that sends it.
    /// - Returns: The value given at creation.
    public func reveal() -> String { storage }

    /// Whether the secret is the empty string (a missing environment variable, usually).
    public var isEmpty: Bool { storage.isEmpty }

    /// The text every printed form of a secret shows.
    public static let redactedText = "<redacted>"
}

extension Secret: Equatable {
    /// Compares two secrets in time that depends only on their lengths, not on where they differ.
    public static func == (lhs: Secret, rhs: Secret) -> Bool {
        let left = Array(lhs.storage.utf8)
        let right = Array(rhs.storage.utf8)
        guard left.count == right.count else { return false }
        var difference: UInt8 = 0
        for index in left.indices { difference |= left[index] ^ right[index] }
        return difference == 0
    }
}

extension Secret: CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// Always `<redacted>`.
    public var description: String { Secret.redactedText }
    /// Always `Secret(<redacted>)`.
    public var debugDescription: String { "Secret(\(Secret.redactedText))" }
    /// A mirror with no children, so `dump` and reflection show nothing of the value.
    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }
}

extension Secret: Codable {
    /// Reads the secret from a JSON string.
    /// - Parameter decoder: The decoder.
    /// - Throws: `DecodingError` when the value is not a string.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        storage = try container.decode(String.self)
    }

    /// Writes `"<redacted>"`: a secret is never serialised.
    /// - Parameter encoder: The encoder.
    /// - Throws: Whatever the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(Secret.redactedText)
    }
}
