import FerryCore
import Foundation

/// The value of one field of an ``SObjectRecord``, encoded the way Salesforce reads it.
///
/// | case | JSON sent |
/// |---|---|
/// | `.text("a")` | `"a"` |
/// | `.number(9)` | `9` (exact decimal text kept: `12345678901234567890.25` is never rounded) |
/// | `.bool(true)` | `true` |
/// | `.date(...)` | `"2026-11-29"` |
/// | `.dateTime(...)` | `"2026-11-29T18:52:51.000Z"` (never the `+0000` form Salesforce rejects) |
/// | `.null` | `null` (clears the field) |
public enum SObjectFieldValue: Sendable, Hashable {
    /// Text, Long Text, Email, Phone, URL, Picklist and Id fields.
    case text(String)
    /// Number, Currency and Percent fields. ``/FerryCore/JSONNumber`` keeps integers as integers and exact decimal
    /// text.
    case number(JSONNumber)
    /// Checkbox fields.
    case bool(Bool)
    /// Date fields.
    case date(SalesforceDate)
    /// Date/Time fields.
    case dateTime(SalesforceDateTime)
    /// Clears the field.
    case null

    /// A number from decimal text, kept exactly.
    /// - Parameter text: Decimal text such as `9`, `-0.5`, `12345678901234567890.25`.
    /// - Returns: `.number`, or `nil` when the text is not a JSON number (`1,5`, `NaN`, `0x1F`).
    public static func decimal(_ text: String) -> SObjectFieldValue? {
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        guard !trimmed.isEmpty else { return nil }  // JSONNumber(text: "") is not nil in FerryCore
        return JSONNumber(text: trimmed).map { .number($0) }
    }

    /// An integer.
    /// - Parameter value: The integer.
    /// - Returns: `.number`.
    public static func int(_ value: Int) -> SObjectFieldValue { .number(JSONNumber(value)) }

    /// An instant, sent as `yyyy-MM-ddTHH:mm:ss.SSSZ`.
    /// - Parameter date: The instant.
    /// - Returns: `.dateTime`.
    public static func dateTime(_ date: Date) -> SObjectFieldValue { .dateTime(SalesforceDateTime(date)) }

    /// The value as Salesforce JSON.
    public var jsonValue: JSONValue {
        switch self {
        case .text(let text): .string(text)
        case .number(let number): .number(number)
        case .bool(let flag): .bool(flag)
        case .date(let date): .string(date.description)
        case .dateTime(let dateTime): .string(dateTime.description)
        case .null: .null
        }
    }
}
