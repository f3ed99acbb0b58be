import Foundation

/// Reads an HTTP-date (RFC 9110 §5.6.7) in its three forms, without `DateFormatter` (whose parsing depends on
/// the locale and is slow to set up):
///
/// - IMF-fixdate, the one senders must use: `Sun, 06 Nov 1994 08:49:37 GMT`
/// - the obsolete RFC 850 form: `Sunday, 06-Nov-94 08:49:37 GMT`
/// - the obsolete asctime form: `Sun Nov  6 08:49:37 1994`
///
/// RFC 9110 says recipients must accept all three. Anything else (a wrong day name, month or zone, an impossible
/// day such as 31 Feb, extra text) is not a date.
public enum HTTPDate {
    /// The date `text` names, or `nil` when it is not an HTTP-date.
    /// - Parameters:
    ///   - text: The text, e.g. a `Retry-After` or `Date` header's value.
    ///   - now: The current time, to place the RFC 850 form's two-digit year: a year that would be more than 50
    ///     years in the future is the most recent past year with those digits (RFC 9110).
    /// - Returns: The date, or `nil`.
    public static func parse(_ text: String, now: Date) -> Date? {
        let parts = text.split(separator: " ", omittingEmptySubsequences: false)
        if parts.count == 6, parts[5] == "GMT", dayName(parts[0], long: false, comma: true) != nil {
            // IMF-fixdate: two-digit day, four-digit year, single spaces.
            guard parts[1].count == 2, parts[3].count == 4 else { return nil }
            return date(year: number(parts[3]), month: month(parts[2]), day: number(parts[1]), time: parts[4])
        }
        if parts.count == 4, parts[3] == "GMT", dayName(parts[0], long: true, comma: true) != nil {
            let dayMonthYear = parts[1].split(separator: "-", omittingEmptySubsequences: false)
            guard dayMonthYear.count == 3, dayMonthYear[0].count == 2, dayMonthYear[2].count == 2,
                let shortYear = number(dayMonthYear[2])
            else { return nil }
            return date(
                year: fullYear(shortYear, now: now), month: month(dayMonthYear[1]), day: number(dayMonthYear[0]),
                time: parts[2])
        }
        // asctime: the day is padded with a space to two characters (`Nov  6`), so it may leave an empty part.
        let asctime = parts.filter { !$0.isEmpty }
        if asctime.count == 5, dayName(asctime[0], long: false, comma: false) != nil, asctime[2].count <= 2,
            asctime[4].count == 4, text.count == 24
        {
            return date(year: number(asctime[4]), month: month(asctime[1]), day: number(asctime[2]), time: asctime[3])
        }
        return nil
    }

    private static let shortDays = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
    private static let longDays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
    private static let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]

    private static func dayName(_ part: Substring, long: Bool, comma: Bool) -> Substring? {
        var name = part
        if comma {
            guard name.last == "," else { return nil }
            name = name.dropLast()
        }
        return (long ? longDays : shortDays).contains(String(name)) ? name : nil
    }

    private static func month(_ part: Substring) -> Int? {
        months.firstIndex(of: String(part)).map { $0 + 1 }
    }

    /// A non-negative decimal number made of ASCII digits only (no sign, no spaces).
    private static func number(_ part: Substring) -> Int? {
        guard !part.isEmpty, part.count <= 4, part.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") })
        else { return nil }
        return Int(part)
    }

    private static func fullYear(_ shortYear: Int, now: Date) -> Int? {
        let currentYear = year(ofDay: Int((now.timeIntervalSince1970 / 86_400).rounded(.down)))
        var year = currentYear - currentYear % 100 + shortYear
        if year > currentYear + 50 { year -= 100 }
        return year
    }

    private static func date(year: Int?, month: Int?, day: Int?, time: Substring) -> Date? {
        let clock = time.split(separator: ":", omittingEmptySubsequences: false)
        guard let year, let month, let day, clock.count == 3, clock.allSatisfy({ $0.count == 2 }),
            let hour = number(clock[0]), let minute = number(clock[1]), let second = number(clock[2]),
            hour < 24, minute < 60, second <= 60, day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        return Date(timeIntervalSince1970: TimeInterval(days * 86_400 + hour * 3600 + minute * 60 + second))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date (Howard Hinnant's `days_from_civil`).
    private static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// The year of a day count since 1970-01-01 (Howard Hinnant's `civil_from_days`, year only).
    private static func year(ofDay days: Int) -> Int {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        return yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
    }
}
