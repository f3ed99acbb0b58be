/// Ruby-compatible `strftime` over a ``LiquidDateTime``, without `DateFormatter`.
///
/// Conversions: `%Y %C %y %m %B %b %h %d %e %j %H %k %I %l %M %S %L %N %p %P %A %a %u %w %U %W %G %g %V %z %:z
/// %::z %Z %s %c %D %F %T %R %r %x %X %v %n %t %%` (not `%+`, which Ruby's `Time#strftime` copies as
/// written). Flags: `-` no padding, `_` pad with spaces, `0` pad
/// with zeros, `^` upper case, `#` swap case; then an optional width. Unknown conversions are copied as
/// written.
struct Strftime {
    /// Month names as literals (immortal strings: no reference counting on the hot path).
    private static func monthName(_ month: Int) -> String {
        switch month {
        case 1: "January"
        case 2: "February"
        case 3: "March"
        case 4: "April"
        case 5: "May"
        case 6: "June"
        case 7: "July"
        case 8: "August"
        case 9: "September"
        case 10: "October"
        case 11: "November"
        default: "December"
        }
    }

    private static func dayName(_ weekday: Int) -> String {
        switch weekday {
        case 0: "Sunday"
        case 1: "Monday"
        case 2: "Tuesday"
        case 3: "Wednesday"
        case 4: "Thursday"
        case 5: "Friday"
        default: "Saturday"
        }
    }

    /// The broken-down local time of a date.
    private struct Parts {
        let date: CivilDate
        let hour: Int
        let minute: Int
        let second: Int
        let nanosecond: Int
        let weekday: Int  // 0 = Sunday
        let dayOfYear: Int  // 1-based
        let offset: Int
        let epochSeconds: Int64
        /// The zone's abbreviation, computed only when the format can show it (`%Z`, `%+`).
        let zoneName: String

        init(_ value: LiquidDateTime, needsZoneName: Bool) {
            offset = value.zone.secondsFromUTC(at: value.epochSeconds)
            let local = value.epochSeconds + Int64(offset)
            var days = local / 86_400
            var secondsOfDay = local % 86_400
            if secondsOfDay < 0 {
                secondsOfDay += 86_400
                days -= 1
            }
            let dayNumber = Int(days)
            date = CivilDate(days: dayNumber)
            hour = Int(secondsOfDay / 3600)
            minute = Int(secondsOfDay / 60 % 60)
            second = Int(secondsOfDay % 60)
            nanosecond = value.nanoseconds
            weekday = CivilDate.weekday(days: dayNumber)
            dayOfYear = dayNumber - CivilDate(year: date.year, month: 1, day: 1).days + 1
            epochSeconds = value.epochSeconds
            zoneName = needsZoneName ? value.zone.abbreviation(at: value.epochSeconds, offset: offset) : ""
        }

        /// ISO 8601 week-numbering year and week.
        var isoWeek: (year: Int, week: Int) {
            let isoWeekday = weekday == 0 ? 7 : weekday
            let week = (dayOfYear - isoWeekday + 10) / 7
            if week < 1 { return (date.year - 1, Parts.weeks(in: date.year - 1)) }
            if week > Parts.weeks(in: date.year) { return (date.year + 1, 1) }
            return (date.year, week)
        }

        /// 52 or 53: a year has 53 ISO weeks when it starts on a Thursday, or on a Wednesday in a leap year.
        static func weeks(in year: Int) -> Int {
            let januaryFirst = CivilDate.weekday(days: CivilDate(year: year, month: 1, day: 1).days)
            return januaryFirst == 4 || (januaryFirst == 3 && CivilDate.isLeapYear(year)) ? 53 : 52
        }
    }

    /// Formats `value` with `format`.
    static func format(_ value: LiquidDateTime, _ format: String) -> String {
        let parts = Parts(value, needsZoneName: format.utf8.contains(UInt8(ascii: "Z")))
        var output: [UInt8] = []
        output.reserveCapacity(format.utf8.count + 16)
        append(format, parts, to: &output)
        return String(decoding: output, as: UTF8.self)
    }

    private static func append(_ format: String, _ parts: Parts, to output: inout [UInt8]) {
        var format = format
        format.withUTF8 { bytes in append(bytes, parts, to: &output) }
    }

    private static func append(_ bytes: UnsafeBufferPointer<UInt8>, _ parts: Parts, to output: inout [UInt8]) {
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            guard byte == UInt8(ascii: "%"), index + 1 < bytes.count else {
                output.append(byte)
                index += 1
                continue
            }
            let start = index
            index += 1
            var padding: UInt8?  // nil: the conversion's default
            var noPadding = false
            var upper = false
            var swapCase = false
            flags: while index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "-"): noPadding = true
                case UInt8(ascii: "_"): padding = UInt8(ascii: " ")
                case UInt8(ascii: "0"): padding = UInt8(ascii: "0")
                case UInt8(ascii: "^"): upper = true
                case UInt8(ascii: "#"): swapCase = true
                default: break flags
                }
                index += 1
            }
            var width: Int?
            while index < bytes.count, bytes[index].isASCIIDigit {
                width = min((width ?? 0) * 10 + Int(bytes[index] - UInt8(ascii: "0")), 1024)
                index += 1
            }
            var colons = 0
            while index < bytes.count, bytes[index] == UInt8(ascii: ":"), colons < 2 {
                colons += 1
                index += 1
            }
            guard index < bytes.count else {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start...]))
                break
            }
            let conversion = bytes[index]
            index += 1
            let style = Style(padding: padding, noPadding: noPadding, width: width, upper: upper, swapCase: swapCase)
            if !convert(conversion, colons: colons, parts, style, to: &output) {
                output.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
            }
        }
    }

    private struct Style {
        var padding: UInt8?
        var noPadding: Bool
        var width: Int?
        var upper: Bool
        var swapCase: Bool
    }

    private static func number(_ value: Int, width defaultWidth: Int, pad defaultPad: UInt8 = UInt8(ascii: "0"),
                               _ style: Style, to output: inout [UInt8]) {
        if value < 0 { output.append(UInt8(ascii: "-")) }
        let width = style.noPadding ? 0 : (style.width ?? defaultWidth) - (value < 0 ? 1 : 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { digits in
            // Least significant digit first, into a scratch buffer; then padding and the digits in order.
            var magnitude = value.magnitude
            var count = 0
            repeat {
                digits[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
                magnitude /= 10
                count += 1
            } while magnitude > 0
            if count < width { output.append(contentsOf: repeatElement(style.padding ?? defaultPad, count: width - count)) }
            while count > 0 {
                count -= 1
                output.append(digits[count])
            }
        }
    }

    private static func text(_ value: String, _ style: Style, swapMeansLower: Bool = false,
                             to output: inout [UInt8]) {
        var value = value
        if style.upper || (style.swapCase && !swapMeansLower) { value = value.uppercased() }
        if style.swapCase && swapMeansLower { value = value.lowercased() }
        let count = value.utf8.count
        if !style.noPadding, let width = style.width, count < width {
            output.append(contentsOf: repeatElement(style.padding ?? UInt8(ascii: " "), count: width - count))
        }
        output.append(contentsOf: value.utf8)
    }

    private static func recurse(_ format: String, _ parts: Parts, _ style: Style, to output: inout [UInt8]) {
        var inner: [UInt8] = []
        append(format, parts, to: &inner)
        text(String(decoding: inner, as: UTF8.self), style, to: &output)
    }

    /// Appends one conversion; `false` when the conversion is unknown.
    private static func convert(_ conversion: UInt8, colons: Int, _ parts: Parts, _ style: Style,
                                to output: inout [UInt8]) -> Bool {
        let hour12 = parts.hour % 12 == 0 ? 12 : parts.hour % 12
        switch conversion {
        case UInt8(ascii: "Y"):
            number(parts.date.year, width: parts.date.year < 0 ? 5 : 4, style, to: &output)
        case UInt8(ascii: "C"):
            number(Int((Double(parts.date.year) / 100).rounded(.down)), width: 2, style, to: &output)
        case UInt8(ascii: "y"):
            number(((parts.date.year % 100) + 100) % 100, width: 2, style, to: &output)
        case UInt8(ascii: "m"): number(parts.date.month, width: 2, style, to: &output)
        case UInt8(ascii: "B"): text(monthName(parts.date.month), style, to: &output)
        case UInt8(ascii: "b"), UInt8(ascii: "h"):
            text(String(monthName(parts.date.month).prefix(3)), style, to: &output)
        case UInt8(ascii: "d"): number(parts.date.day, width: 2, style, to: &output)
        case UInt8(ascii: "e"): number(parts.date.day, width: 2, pad: UInt8(ascii: " "), style, to: &output)
        case UInt8(ascii: "j"): number(parts.dayOfYear, width: 3, style, to: &output)
        case UInt8(ascii: "H"): number(parts.hour, width: 2, style, to: &output)
        case UInt8(ascii: "k"): number(parts.hour, width: 2, pad: UInt8(ascii: " "), style, to: &output)
        case UInt8(ascii: "I"): number(hour12, width: 2, style, to: &output)
        case UInt8(ascii: "l"): number(hour12, width: 2, pad: UInt8(ascii: " "), style, to: &output)
        case UInt8(ascii: "M"): number(parts.minute, width: 2, style, to: &output)
        case UInt8(ascii: "S"): number(parts.second, width: 2, style, to: &output)
        case UInt8(ascii: "L"), UInt8(ascii: "N"):
            let digits = style.width ?? (conversion == UInt8(ascii: "L") ? 3 : 9)
            var fraction = Array(String(parts.nanosecond).utf8)
            fraction.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: 9 - fraction.count), at: 0)
            if digits <= 9 {
                output.append(contentsOf: fraction[0..<digits])
            } else {
                output.append(contentsOf: fraction)
                output.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits - 9))
            }
        case UInt8(ascii: "p"): text(parts.hour < 12 ? "AM" : "PM", style, swapMeansLower: true, to: &output)
        case UInt8(ascii: "P"): text(parts.hour < 12 ? "am" : "pm", style, to: &output)
        case UInt8(ascii: "A"): text(dayName(parts.weekday), style, to: &output)
        case UInt8(ascii: "a"): text(String(dayName(parts.weekday).prefix(3)), style, to: &output)
        case UInt8(ascii: "u"): number(parts.weekday == 0 ? 7 : parts.weekday, width: 1, style, to: &output)
        case UInt8(ascii: "w"): number(parts.weekday, width: 1, style, to: &output)
        case UInt8(ascii: "U"): number((parts.dayOfYear - 1 + 7 - parts.weekday) / 7, width: 2, style, to: &output)
        case UInt8(ascii: "W"):
            number((parts.dayOfYear - 1 + 7 - (parts.weekday + 6) % 7) / 7, width: 2, style, to: &output)
        case UInt8(ascii: "G"): number(parts.isoWeek.year, width: 4, style, to: &output)
        case UInt8(ascii: "g"): number(((parts.isoWeek.year % 100) + 100) % 100, width: 2, style, to: &output)
        case UInt8(ascii: "V"): number(parts.isoWeek.week, width: 2, style, to: &output)
        case UInt8(ascii: "z"):
            text(LiquidDateTime.formatOffset(parts.offset, colons: colons), style, to: &output)
        case UInt8(ascii: "Z"):
            text(parts.zoneName, style, to: &output)
        case UInt8(ascii: "s"): text(String(parts.epochSeconds), style, to: &output)
        case UInt8(ascii: "c"): recurse("%a %b %e %H:%M:%S %Y", parts, style, to: &output)
        case UInt8(ascii: "D"), UInt8(ascii: "x"): recurse("%m/%d/%y", parts, style, to: &output)
        case UInt8(ascii: "F"): recurse("%Y-%m-%d", parts, style, to: &output)
        case UInt8(ascii: "T"), UInt8(ascii: "X"): recurse("%H:%M:%S", parts, style, to: &output)
        case UInt8(ascii: "R"): recurse("%H:%M", parts, style, to: &output)
        case UInt8(ascii: "r"): recurse("%I:%M:%S %p", parts, style, to: &output)
        case UInt8(ascii: "v"): recurse("%e-%^b-%Y", parts, style, to: &output)
        case UInt8(ascii: "n"): output.append(UInt8(ascii: "\n"))
        case UInt8(ascii: "t"): output.append(UInt8(ascii: "\t"))
        case UInt8(ascii: "%"): output.append(UInt8(ascii: "%"))
        default: return false
        }
        return true
    }
}
