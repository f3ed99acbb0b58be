import Foundation

/// A calendar date as Salesforce Date fields take it: `yyyy-MM-dd`, no time, no zone.
public struct SalesforceDate: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The year, 1700 to 4000 (the range Salesforce accepts).
    public let year: Int
    /// The month, 1 to 12.
    public let month: Int
    /// The day of the month, 1 to 31.
    public let day: Int

    /// Creates a date from its parts.
    /// - Parameters:
    ///   - year: 1700 to 4000.
    ///   - month: 1 to 12.
    ///   - day: A day that exists in that month.
    /// - Returns: `nil` when the date does not exist or is outside Salesforce's range.
    public init?(year: Int, month: Int, day: Int) {
        guard (1700...4000).contains(year), (1...12).contains(month),
            (1...CivilDate.daysInMonth(year: year, month: month)).contains(day)
        else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// Parses `yyyy-MM-dd`.
    /// - Parameter text: The text, e.g. `2026-11-29`.
    /// - Returns: `nil` for any other form or a date that does not exist.
    public init?(_ text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 10, bytes[4] == UInt8(ascii: "-"), bytes[7] == UInt8(ascii: "-"),
            let year = CivilDate.readDigits(bytes, at: 0, count: 4),
            let month = CivilDate.readDigits(bytes, at: 5, count: 2),
            let day = CivilDate.readDigits(bytes, at: 8, count: 2)
        else { return nil }
        self.init(year: year, month: month, day: day)
    }

    /// The UTC calendar date of an instant.
    /// - Parameter date: The instant.
    /// - Returns: `nil` when it falls outside Salesforce's years 1700 to 4000.
    public init?(utc date: Date) {
        let seconds = date.timeIntervalSince1970.rounded(.down)
        guard seconds.isFinite, abs(seconds) < 1e12 else { return nil }
        let days = Int(seconds) >= 0 ? Int(seconds) / 86_400 : (Int(seconds) - 86_399) / 86_400
        let civil = CivilDate.civilFromDays(days)
        self.init(year: civil.year, month: civil.month, day: civil.day)
    }

    /// `yyyy-MM-dd`.
    public var description: String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(10)
        CivilDate.appendDigits(year, width: 4, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        CivilDate.appendDigits(month, width: 2, to: &bytes)
        bytes.append(UInt8(ascii: "-"))
        CivilDate.appendDigits(day, width: 2, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Calendar order.
    /// - Parameters:
    ///   - lhs: A date.
    ///   - rhs: Another date.
    /// - Returns: `true` when `lhs` is earlier.
    public static func < (lhs: SalesforceDate, rhs: SalesforceDate) -> Bool {
        (lhs.year, lhs.month, lhs.day) < (rhs.year, rhs.month, rhs.day)
    }
}
