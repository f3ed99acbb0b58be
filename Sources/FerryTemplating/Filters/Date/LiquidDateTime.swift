import Foundation

/// An instant plus the zone it is shown in: what `date` formats.
struct LiquidDateTime: Sendable {
    /// Where a date is shown: a named time zone, or the fixed offset written in the input.
    enum Zone: Sendable {
        case named(TimeZone)
        case offset(Int)

        /// The offset from UTC in seconds at an instant.
        func secondsFromUTC(at epochSeconds: Int64) -> Int {
            switch self {
            case .offset(let seconds):
                return seconds
            case .named(let zone):
                if zone.identifier == "GMT" || zone.identifier == "UTC" { return 0 }
                return zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
            }
        }

        /// The zone's abbreviation (`UTC`, `IST`, `EST`) as Ruby's `Time#zone` gives it: a fixed offset written in
        /// the input has none (Ruby's `Time.parse` keeps only the offset), except a zero offset, which Ruby reads
        /// as UTC (`2024-03-05T07:08:09+00:00` shows `UTC`, `...-07:00` shows nothing).
        func abbreviation(at epochSeconds: Int64, offset: Int) -> String {
            switch self {
            case .offset(let seconds):
                return seconds == 0 ? "UTC" : ""
            case .named(let zone):
                if zone.identifier == "GMT" || zone.identifier == "UTC" { return "UTC" }
                return TimeZoneCache.abbreviation(for: zone, at: Date(timeIntervalSince1970: TimeInterval(epochSeconds)))
                    ?? LiquidDateTime.formatOffset(offset, colons: 1)
            }
        }
    }

    /// Whole seconds since 1970-01-01T00:00:00Z (floored).
    var epochSeconds: Int64
    /// Nanoseconds past `epochSeconds` (0 ..< 1_000_000_000).
    var nanoseconds: Int
    /// The zone the date is shown in.
    var zone: Zone

    init(epochSeconds: Int64, nanoseconds: Int = 0, zone: Zone) {
        self.epochSeconds = epochSeconds
        self.nanoseconds = nanoseconds
        self.zone = zone
    }

    /// An instant from a (possibly fractional) number of seconds; `nil` when out of range.
    init?(seconds: Double, zone: Zone) {
        guard seconds.isFinite, abs(seconds) < 1e15 else { return nil }
        let whole = seconds.rounded(.down)
        epochSeconds = Int64(whole)
        nanoseconds = min(999_999_999, Int(((seconds - whole) * 1e9).rounded()))
        self.zone = zone
    }

    /// `+0530`, `+05:30` or `+05:30:00` for 0, 1 or 2 colons.
    static func formatOffset(_ offset: Int, colons: Int) -> String {
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        let hours = magnitude / 3600
        let minutes = magnitude / 60 % 60
        let seconds = magnitude % 60
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        switch colons {
        case 0: return "\(sign)\(two(hours))\(two(minutes))"
        case 1: return "\(sign)\(two(hours)):\(two(minutes))"
        default: return "\(sign)\(two(hours)):\(two(minutes)):\(two(seconds))"
        }
    }
}
