import FerryCore
import Foundation

extension StandardFilters {
    static let dateFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("date", 1...1, usage: "date: \"%Y-%m-%d %H:%M\""), { input, arguments, context in
            formatDate(input, format: arguments.value(0).liquidString, zone: nil, context: context)
        }),
        FilterDefinition(FilterSignature("date_tz", 2...2, usage: "date_tz: \"%Y-%m-%d %H:%M\", \"Asia/Kolkata\""), {
            input, arguments, context throws(FilterError) in
            let name = arguments.value(1).liquidString
            guard let zone = TimeZoneCache.zone(named: name) else {
                throw .invalidArgument("unknown time zone \(name.isEmpty ? "(empty)" : "'\(name)'"). Use an IANA "
                    + "name such as 'Asia/Kolkata' or 'America/New_York', 'UTC', or an offset such as '+05:30'.")
            }
            return formatDate(input, format: arguments.value(0).liquidString, zone: zone, context: context)
        }),
    ]

    /// Epoch values at or above this (in magnitude) are milliseconds: as seconds they would be past the year 5138.
    static let millisecondThreshold: Double = 100_000_000_000

    /// `date` and `date_tz`: the input unchanged when the format is empty or the input is not a date.
    static func formatDate(_ input: JSONValue, format: String, zone: TimeZone?, context: FilterContext) -> JSONValue {
        guard !format.isEmpty, let parsed = readDate(input, context: context) else { return input }
        var value = parsed
        if let zone { value.zone = .named(zone) }
        return .string(Strftime.format(value, format))
    }

    /// Reads a date from a Liquid value (see ``StandardFilters`` for the accepted forms).
    static func readDate(_ input: JSONValue, context: FilterContext) -> LiquidDateTime? {
        let defaultZone = LiquidDateTime.Zone.named(context.timeZone)
        switch input {
        case .number(let number):
            if number.isInteger, let seconds = number.intValue {
                return epoch(Double(seconds), exactSeconds: Int64(seconds), zone: defaultZone)
            }
            return epoch(number.doubleValue, exactSeconds: nil, zone: defaultZone)
        case .string(let text):
            return readDate(text, context: context, zone: defaultZone)
        default:
            return nil
        }
    }

    private static func epoch(_ seconds: Double, exactSeconds: Int64?, zone: LiquidDateTime.Zone) -> LiquidDateTime? {
        if abs(seconds) >= millisecondThreshold {
            if let exactSeconds {
                var whole = exactSeconds / 1000
                var milliseconds = exactSeconds % 1000
                if milliseconds < 0 {
                    milliseconds += 1000
                    whole -= 1
                }
                return LiquidDateTime(epochSeconds: whole, nanoseconds: Int(milliseconds) * 1_000_000, zone: zone)
            }
            return LiquidDateTime(seconds: seconds / 1000, zone: zone)
        }
        if let exactSeconds { return LiquidDateTime(epochSeconds: exactSeconds, zone: zone) }
        return LiquidDateTime(seconds: seconds, zone: zone)
    }

    private static func readDate(_ text: String, context: FilterContext, zone: LiquidDateTime.Zone) -> LiquidDateTime? {
        guard !text.isEmpty else { return nil }
        let lowered = UTF8Text.mapCase(strip(text, leading: true, trailing: true), upper: false)
        if lowered == "now" || lowered == "today" {
            return LiquidDateTime(seconds: context.clock.now.timeIntervalSince1970, zone: zone)
        }
        var digits = Substring(lowered)
        if digits.hasPrefix("$d_") { digits = digits.dropFirst(3) }
        if !digits.isEmpty, digits.utf8.allSatisfy(\.isASCIIDigit) {
            guard digits.utf8.count <= 18, let seconds = Int64(digits) else { return nil }
            return epoch(Double(seconds), exactSeconds: seconds, zone: zone)
        }
        guard let fields = LiquidDateParser.parse(text) else { return nil }
        let displayZone: LiquidDateTime.Zone
        if let offset = fields.offset {
            displayZone = fields.isUTC ? .named(TimeZone(identifier: "UTC") ?? context.timeZone) : .offset(offset)
        } else {
            displayZone = zone
        }
        let date: CivilDate
        if let month = fields.month, let day = fields.day {
            let year: Int
            if let given = fields.year {
                year = given
            } else {
                year = today(context: context, zone: displayZone).year
            }
            guard day <= CivilDate.daysInMonth(month, year: year) else { return nil }
            date = CivilDate(year: year, month: month, day: day)
        } else {
            date = today(context: context, zone: displayZone)
        }
        let localSeconds = Int64(date.days) * 86_400 + Int64((fields.hour ?? 0) * 3600 + fields.minute * 60
            + min(fields.second, 59))
        let offset: Int
        if let fixed = fields.offset {
            offset = fixed
        } else {
            // The offset in force at the local time: look it up at the time read as UTC, then correct once.
            let first = displayZone.secondsFromUTC(at: localSeconds)
            offset = displayZone.secondsFromUTC(at: localSeconds - Int64(first))
        }
        return LiquidDateTime(epochSeconds: localSeconds - Int64(offset), nanoseconds: fields.nanosecond, zone: displayZone)
    }

    private static func today(context: FilterContext, zone: LiquidDateTime.Zone) -> CivilDate {
        let now = Int64(context.clock.now.timeIntervalSince1970.rounded(.down))
        let local = now + Int64(zone.secondsFromUTC(at: now))
        return CivilDate(days: Int((Double(local) / 86_400).rounded(.down)))
    }
}
