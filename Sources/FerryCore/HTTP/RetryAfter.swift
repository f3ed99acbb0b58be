import Foundation

/// Reads a `Retry-After` header (RFC 9110 §10.2.3): how long the server asks the client to wait.
public enum RetryAfter {
    /// The pause a `Retry-After` value asks for, measured from `now`.
    ///
    /// - delta-seconds (`120`): that many seconds.
    /// - an HTTP-date (`Wed, 21 Oct 2026 07:28:00 GMT`, or the obsolete RFC 850 and asctime forms, see
    ///   ``HTTPDate``): the time from `now` until then; a date already past means no pause.
    /// - anything else (a negative or fractional number, an unreadable date): `nil`, so the caller's own retry
    ///   policy decides, as if the header were absent.
    /// - Parameters:
    ///   - value: The header's value.
    ///   - now: The current time, from the caller's (injectable) clock.
    /// - Returns: The pause, or `nil` when the value is neither form.
    public static func delay(_ value: String, now: Date) -> Duration? {
        let text = value.trimmingCharacters(in: .whitespaces)
        if !text.isEmpty, text.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) {
            // Many digits are still a (very long) pause: saturate rather than fail.
            return .seconds(Int64(text) ?? Int64(Int32.max))
        }
        guard let date = HTTPDate.parse(text, now: now) else { return nil }
        return .seconds(max(0, date.timeIntervalSince(now)))
    }
}
