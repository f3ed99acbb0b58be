import Foundation

/// One row of a verification: what was sent under a payload key, what the org stored in its field, and whether
/// they are the same value once types and time zones are taken into account.
public struct FieldComparison: Sendable, Hashable {
    /// The payload key.
    public let key: String
    /// The field.
    public let field: String
    /// What was sent (`nil` when the payload lacked the key).
    public let sent: JSONValue?
    /// What the org stored (`nil` for an empty field).
    public let stored: JSONValue?
    /// Whether they match.
    public let matches: Bool
    /// Why they differ, in words (e.g. "5h30m later: the class read the time in another time zone"), or `nil`.
    public let note: String?

    /// Compares one sent value with one stored value: numbers by value (`"9"` and `9.0` match), Booleans with
    /// their text, date-times as instants whatever their offsets (`$D_<epoch s>`, epoch seconds or
    /// milliseconds, ISO 8601; a time without a zone is read as UTC), dates by day, everything else as text.
    /// - Parameters:
    ///   - key: The payload key.
    ///   - field: The field.
    ///   - sent: What was sent.
    ///   - stored: What was stored.
    public init(key: String, field: String, sent: JSONValue?, stored: JSONValue?) {
        self.key = key
        self.field = field
        self.sent = sent
        self.stored = stored
        let verdict = FieldComparison.compare(sent, stored)
        self.matches = verdict.0
        self.note = verdict.1
    }

    static func compare(_ sent: JSONValue?, _ stored: JSONValue?) -> (Bool, String?) {
        let sentText = text(sent)
        let storedText = text(stored)
        switch (sentText, storedText) {
        case (nil, nil): return (true, nil)
        case (nil, _?): return (false, "stored a value for a key that was not sent")
        case (_?, nil): return (false, "sent a value, stored nothing")
        case (let sent?, let stored?):
            if let storedInstant = instant(stored), storedText?.contains("T") == true {
                guard let sentInstant = instant(sent) else { return (false, "stored a date-time, sent \"\(sent)\"") }
                let difference = storedInstant - sentInstant
                if difference == 0 { return (true, nil) }
                return (false, "stored \(describe(difference)) \(difference > 0 ? "later" : "earlier"): a time read in another time zone?")
            }
            if let sentNumber = Decimal(string: sent, locale: Locale(identifier: "en_US_POSIX")), isNumeric(sent),
                let storedNumber = Decimal(string: stored, locale: Locale(identifier: "en_US_POSIX")), isNumeric(stored)
            {
                return sentNumber == storedNumber ? (true, nil) : (false, "a different number")
            }
            if sent == stored { return (true, nil) }
            if sent.lowercased() == stored.lowercased(), ["true", "false"].contains(sent.lowercased()) { return (true, nil) }
            return (false, "different text")
        }
    }

    /// The value as text: strings as they are, numbers and Booleans as written, `nil` for null, missing or "".
    static func text(_ value: JSONValue?) -> String? {
        switch value {
        case .string(let text)? where !text.isEmpty: text
        case .number(let number)?: number.text
        case .bool(let flag)?: flag ? "true" : "false"
        case .array?, .object?: value?.jsonString()
        default: nil
        }
    }

    private static func isNumeric(_ text: String) -> Bool {
        !text.isEmpty && text.allSatisfy { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
    }

    /// Milliseconds since 1970 of a date-time in any form CleverTap or Salesforce writes.
    static func instant(_ text: String) -> Int64? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("$D_"), let seconds = Int64(trimmed.dropFirst(3)) { return seconds * 1000 }
        if let epoch = Int64(trimmed) { return abs(epoch) >= 100_000_000_000 ? epoch : epoch * 1000 }
        if let parsed = SalesforceDateTime(trimmed) { return parsed.millisecondsSince1970 }
        // No zone (the seed's DateTime.valueOf form, with a T or a space): read as UTC.
        var normalised = trimmed.replacingOccurrences(of: " ", with: "T")
        if normalised.count >= 19 && !normalised.hasSuffix("Z") { normalised += "Z" }
        return SalesforceDateTime(normalised)?.millisecondsSince1970
    }

    private static func describe(_ milliseconds: Int64) -> String {
        let minutes = abs(milliseconds) / 60_000
        if minutes == 0 { return "\(abs(milliseconds)) ms" }
        let hours = minutes / 60
        return hours > 0 ? "\(hours)h\(minutes % 60 == 0 ? "" : "\(minutes % 60)m")" : "\(minutes)m"
    }
}
