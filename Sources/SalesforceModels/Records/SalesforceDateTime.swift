import Foundation

/// An instant as Salesforce DateTime fields take it, always written `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC.
///
/// Salesforce itself emits `+0000` (no colon) but rejects that form on input with `JSON_PARSER_ERROR`; Ferry
/// therefore never writes it, and reads every form (`Z`, `+0000`, `+05:30`, with or without milliseconds).
/// Formatting is arithmetic (no `DateFormatter`), so it is cheap on hot paths. Precision is milliseconds.
public struct SalesforceDateTime: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Milliseconds since 1970-01-01T00:00:00Z.
    public let millisecondsSince1970: Int64

    /// Creates an instant from milliseconds since the epoch.
    /// - Parameter millisecondsSince1970: Milliseconds since 1970-01-01T00:00:00Z.
    public init(millisecondsSince1970: Int64) {
        self.millisecondsSince1970 = millisecondsSince1970
    }

    /// Creates an instant from a `Date`, rounded down to the millisecond.
    /// - Parameter date: The instant.
    public init(_ date: Date) {
        let milliseconds = (date.timeIntervalSince1970 * 1000).rounded(.down)
        let bound = 1e15  // about 31,000 years: beyond anything Salesforce stores
        self.millisecondsSince1970 = Int64(milliseconds.isFinite ? min(max(milliseconds, -bound), bound) : 0)
    }

    /// Parses ISO 8601 as Salesforce writes and reads it: `yyyy-MM-ddTHH:mm:ss[.SSS](Z|+HH:mm|+HHmm)`.
    /// - Parameter text: The text, e.g. `2026-11-29T18:52:51.000+0000`.
    /// - Returns: `nil` for any other form or an impossible date or time.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count >= 20, bytes[10] == UInt8(ascii: "T") || bytes[10] == UInt8(ascii: "t"),
            bytes[13] == UInt8(ascii: ":"), bytes[16] == UInt8(ascii: ":"),
            let date = SalesforceDate(String(decoding: bytes[0..<10], as: UTF8.self)),
            let hour = CivilDate.readDigits(bytes, at: 11, count: 2), hour < 24,
            let minute = CivilDate.readDigits(bytes, at: 14, count: 2), minute < 60,
            let second = CivilDate.readDigits(bytes, at: 17, count: 2), second < 60
        else { return nil }
        var index = 19
        var millisecond = 0
        if bytes[index] == UInt8(ascii: ".") {
            index += 1
            var digits = 0
            while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
                if digits < 3 { millisecond = millisecond * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                digits += 1
                index += 1
            }
            guard digits > 0 else { return nil }
            if digits < 3 { for _ in digits..<3 { millisecond *= 10 } }
        }
        guard index < bytes.count else { return nil }
        var offsetMinutes = 0
        switch bytes[index] {
        case UInt8(ascii: "Z"), UInt8(ascii: "z"):
            guard index + 1 == bytes.count else { return nil }
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            let sign = bytes[index] == UInt8(ascii: "-") ? -1 : 1
            let rest = bytes.count - index - 1
            guard let hours = CivilDate.readDigits(bytes, at: index + 1, count: 2), hours < 24 else { return nil }
            let minutes: Int?
            if rest == 5, bytes[index + 3] == UInt8(ascii: ":") {
                minutes = CivilDate.readDigits(bytes, at: index + 4, count: 2)
            } else if rest == 4 {
                minutes = CivilDate.readDigits(bytes, at: index + 3, count: 2)
            } else {
                minutes = nil
            }
            guard let minutes, minutes < 60 else { return nil }
            offsetMinutes = sign * (hours * 60 + minutes)
        default:
            return nil
        }
        let days = CivilDate.daysFromCivil(year: date.year, month: date.month, day: date.day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offsetMinutes * 60)
        self.millisecondsSince1970 = seconds * 1000 + Int64(millisecond)
    }

    /// The instant as a `Date`.
    public var date: Date { Date(timeIntervalSince1970: Double(millisecondsSince1970) / 1000) }

    /// `yyyy-MM-ddTHH:mm:ss.SSSZ` in UTC, the form Salesforce accepts.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(24)
        append(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Appends `yyyy-MM-ddTHH:mm:ss.SSSZ` to a byte buffer.
    /// - Parameter bytes: The buffer.
    public func append(to bytes: inout [UInt8]) {
        let milliseconds = millisecondsSince1970
        var days = milliseconds / 86_400_000
        var rest = milliseconds % 86_400_000
        if rest < 0 {
            rest += 86_400_000
            days -= 1
        }
        let civil = CivilDate.civilFromDays(Int(days))
        let millisOfDay = Int(rest)
        CivilDate.appendDigits(civil.year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        CivilDate.appendDigits(civil.month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        CivilDate.appendDigits(civil.day, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "T"))
        CivilDate.appendDigits(millisOfDay / 3_600_000, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CivilDate.appendDigits(millisOfDay / 60_000 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: ":"))
        CivilDate.appendDigits(millisOfDay / 1000 % 60, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "."))
        CivilDate.appendDigits(millisOfDay % 1000, width: 3, to: &bytes)
        bytes.append(UInt8(ascii: "Z"))
    }

    /// Chronological order.
    /// - Parameters:
    ///   - lhs: An instant.
    ///   - rhs: Another instant.
    /// - Returns: `true` when `lhs` is earlier.
    public static func < (lhs: SalesforceDateTime, rhs: SalesforceDateTime) -> Bool {
        lhs.millisecondsSince1970 < rhs.millisecondsSince1970
    }
}
