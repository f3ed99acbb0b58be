/// Reads the date and time texts `date` accepts: ISO 8601 and common written forms.
///
/// Accepted, case-insensitively: `2016-03-14`, `2016-03-14T10:20:30.123Z`, `2016-03-14 10:20:30 +05:30`,
/// `2016/03/14`, `03/14/2016` (month first unless the first number is over 12), `14.03.2016`, `14-Mar-2016`,
/// `March 14, 2016`, `Mon, 14 Mar 2016 10:20:30 +0000`, `14th March 2016 10 pm`, `10:20` (today), with
/// an optional weekday, `T` separator, `am`/`pm`, and zone (`Z`, `UTC`, `GMT`, `+05:30`, `-0800`, `EST`…).
/// Anything else is not a date (the filter then returns its input unchanged, as Shopify does).
enum LiquidDateParser {
    /// What was read; fields not in the text are `nil`.
    struct Fields: Equatable {
        var year: Int?
        var month: Int?
        var day: Int?
        var hour: Int?
        var minute = 0
        var second = 0
        var nanosecond = 0
        var meridiem: Int?  // 0 am, 12 pm
        var offset: Int?  // seconds from UTC
        var isUTC = false
    }

    private enum Token: Equatable {
        case number(Int, digits: Int)
        case word(String)
        case symbol(UInt8)
    }

    private static let months = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"]
    private static let fullMonths = ["january", "february", "march", "april", "may", "june", "july", "august",
                                     "september", "october", "november", "december", "sept"]
    private static let weekdays = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sunday", "monday", "tuesday",
                                   "wednesday", "thursday", "friday", "saturday", "tues", "thur", "thurs"]
    private static let zoneOffsets: [String: Int] = [
        "utc": 0, "gmt": 0, "z": 0, "ut": 0,
        "est": -5 * 3600, "edt": -4 * 3600, "cst": -6 * 3600, "cdt": -5 * 3600,
        "mst": -7 * 3600, "mdt": -6 * 3600, "pst": -8 * 3600, "pdt": -7 * 3600,
    ]
    private static let fillers: Set<String> = ["at", "on", "of", "the", "t"]

    /// Parses `text`; `nil` when it is not a date this parser understands.
    static func parse(_ text: String) -> Fields? {
        var copy = text
        if let fields = copy.withUTF8({ parseISO($0) }) { return validated(fields) }
        guard let tokens = tokenize(text), !tokens.isEmpty else { return nil }
        var fields = Fields()
        var bareNumbers: [(value: Int, digits: Int)] = []
        var index = 0
        func peek(_ offset: Int = 0) -> Token? {
            index + offset < tokens.count ? tokens[index + offset] : nil
        }
        while index < tokens.count {
            switch tokens[index] {
            case .number(let value, let digits):
                // A time: H:MM[:SS[.fraction]]
                if peek(1) == .symbol(UInt8(ascii: ":")), case .number(let minute, _)? = peek(2) {
                    guard fields.hour == nil else { return nil }
                    fields.hour = value
                    fields.minute = minute
                    index += 3
                    if peek() == .symbol(UInt8(ascii: ":")), case .number(let second, _)? = peek(1) {
                        fields.second = second
                        index += 2
                        if peek() == .symbol(UInt8(ascii: ".")) || peek() == .symbol(UInt8(ascii: ",")),
                           case .number(let fraction, let fractionDigits)? = peek(1) {
                            fields.nanosecond = nanoseconds(fraction, digits: fractionDigits)
                            index += 2
                        }
                    }
                    continue
                }
                // A numeric date: A/B/C, A-B-C, A.B.C (B may be a month name).
                if let separator = peek(1), case .symbol(let symbol) = separator,
                   symbol == UInt8(ascii: "/") || symbol == UInt8(ascii: "-") || symbol == UInt8(ascii: "."),
                   peek(3) == separator, let middle = peek(2), case .number(let last, let lastDigits)? = peek(4) {
                    guard fields.day == nil, fields.month == nil else { return nil }
                    switch middle {
                    case .number(let second, _):
                        if digits >= 3 {
                            (fields.year, fields.month, fields.day) = (value, second, last)
                        } else if value > 12 {
                            (fields.day, fields.month, fields.year) = (value, second, expandYear(last, digits: lastDigits))
                        } else {
                            (fields.month, fields.day, fields.year) = (value, second, expandYear(last, digits: lastDigits))
                        }
                    case .word(let word):
                        guard let month = monthNumber(word) else { return nil }
                        if digits >= 3 {
                            (fields.year, fields.month, fields.day) = (value, month, last)
                        } else {
                            (fields.day, fields.month, fields.year) = (value, month, expandYear(last, digits: lastDigits))
                        }
                    default:
                        return nil
                    }
                    index += 5
                    continue
                }
                // An hour with only a meridiem: 10am, 10 pm.
                if case .word(let word)? = peek(1), word == "am" || word == "pm", fields.hour == nil {
                    fields.hour = value
                    index += 1
                    continue
                }
                // An ordinal day: 14th.
                if case .word(let suffix)? = peek(1), ["st", "nd", "rd", "th"].contains(suffix) {
                    guard fields.day == nil else { return nil }
                    fields.day = value
                    index += 2
                    continue
                }
                bareNumbers.append((value, digits))
                index += 1
            case .word(let word):
                if let month = monthNumber(word) {
                    guard fields.month == nil else { return nil }
                    fields.month = month
                } else if word == "am" || word == "pm" {
                    guard fields.meridiem == nil else { return nil }
                    fields.meridiem = word == "am" ? 0 : 12
                } else if let offset = zoneOffsets[word] {
                    guard fields.offset == nil else { return nil }
                    fields.offset = offset
                    fields.isUTC = offset == 0
                    // GMT+05:30
                    if case .symbol(let sign)? = peek(1), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
                       let (extra, used) = offsetTokens(tokens, from: index + 1) {
                        fields.offset = extra
                        fields.isUTC = false
                        index += used
                    }
                } else if !weekdays.contains(word), !fillers.contains(word) {
                    return nil
                }
                index += 1
            case .symbol(let symbol):
                if (symbol == UInt8(ascii: "+") || symbol == UInt8(ascii: "-")), fields.hour != nil, fields.offset == nil,
                   let (offset, used) = offsetTokens(tokens, from: index) {
                    fields.offset = offset
                    index += used
                    continue
                }
                guard symbol == UInt8(ascii: ",") || symbol == UInt8(ascii: ".") else { return nil }
                index += 1
            }
        }
        // Bare numbers: day and year around a month name ("March 14, 2016", "14 March 2016", "March 2016").
        for (value, digits) in bareNumbers {
            if digits >= 3 || value > 31 {
                guard fields.year == nil else { return nil }
                fields.year = value
            } else if fields.day == nil, fields.month != nil {
                fields.day = value
            } else if fields.year == nil, fields.month != nil {
                fields.year = expandYear(value, digits: digits)
            } else {
                return nil
            }
        }
        if fields.month != nil, fields.day == nil, fields.year != nil { fields.day = 1 }
        guard (fields.month != nil && fields.day != nil) || (fields.month == nil && fields.day == nil && fields.year == nil
            && fields.hour != nil) else { return nil }
        if let meridiem = fields.meridiem {
            guard let hour = fields.hour, (1...12).contains(hour) else { return nil }
            fields.hour = hour % 12 + meridiem
        }
        return validated(fields)
    }

    /// The common ISO 8601 forms without allocating: `YYYY-MM-DD`, then optionally `T` or a space and
    /// `hh:mm[:ss[.fraction]]`, then optionally `Z` or `±hh[:mm]`. `nil` hands the text to the general parser.
    private static func parseISO(_ bytes: UnsafeBufferPointer<UInt8>) -> Fields? {
        var index = 0
        func digits(_ count: Int) -> Int? {
            guard index + count <= bytes.count else { return nil }
            var value = 0
            for offset in 0..<count {
                let byte = bytes[index + offset]
                guard byte.isASCIIDigit else { return nil }
                value = value * 10 + Int(byte - UInt8(ascii: "0"))
            }
            index += count
            return value
        }
        func expect(_ byte: UInt8) -> Bool {
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }
        var fields = Fields()
        guard let year = digits(4), expect(UInt8(ascii: "-")), let month = digits(2), expect(UInt8(ascii: "-")),
              let day = digits(2) else { return nil }
        (fields.year, fields.month, fields.day) = (year, month, day)
        guard index < bytes.count else { return fields }
        guard bytes[index] == UInt8(ascii: "T") || bytes[index] == UInt8(ascii: "t") || bytes[index] == UInt8(ascii: " ")
        else { return nil }
        index += 1
        guard let hour = digits(2), expect(UInt8(ascii: ":")), let minute = digits(2) else { return nil }
        (fields.hour, fields.minute) = (hour, minute)
        if expect(UInt8(ascii: ":")) {
            guard let second = digits(2) else { return nil }
            fields.second = second
            if index < bytes.count, bytes[index] == UInt8(ascii: ".") || bytes[index] == UInt8(ascii: ",") {
                index += 1
                var fraction = 0
                var count = 0
                while index < bytes.count, bytes[index].isASCIIDigit {
                    if count < 9 {
                        fraction = fraction * 10 + Int(bytes[index] - UInt8(ascii: "0"))
                        count += 1
                    }
                    index += 1
                }
                guard count > 0 else { return nil }
                fields.nanosecond = nanoseconds(fraction, digits: count)
            }
        }
        guard index < bytes.count else { return fields }
        if bytes[index] == UInt8(ascii: "Z") || bytes[index] == UInt8(ascii: "z") {
            index += 1
            fields.offset = 0
            fields.isUTC = true
        } else if bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") {
            let negative = bytes[index] == UInt8(ascii: "-")
            index += 1
            guard let hours = digits(2), hours <= 14 else { return nil }
            var minutes = 0
            if index < bytes.count {
                _ = expect(UInt8(ascii: ":"))
                guard let value = digits(2), value < 60 else { return nil }
                minutes = value
            }
            fields.offset = (negative ? -1 : 1) * (hours * 3600 + minutes * 60)
        }
        return index == bytes.count ? fields : nil
    }

    private static func validated(_ fields: Fields) -> Fields? {
        if let month = fields.month {
            guard (1...12).contains(month), let day = fields.day, day >= 1 else { return nil }
            let year = fields.year ?? 2000  // A leap year, so "Feb 29" without a year is accepted here.
            guard day <= CivilDate.daysInMonth(month, year: year) else { return nil }
        }
        if let hour = fields.hour {
            guard (0...23).contains(hour), (0...59).contains(fields.minute), (0...60).contains(fields.second) else {
                return nil
            }
        }
        return fields
    }

    static func expandYear(_ value: Int, digits: Int) -> Int {
        guard digits <= 2 else { return value }
        return value >= 69 ? 1900 + value : 2000 + value
    }

    private static func monthNumber(_ word: String) -> Int? {
        if let index = months.firstIndex(of: word) { return index + 1 }
        if let index = fullMonths.firstIndex(of: word) { return index == 12 ? 9 : index + 1 }
        return nil
    }

    private static func nanoseconds(_ fraction: Int, digits: Int) -> Int {
        var value = fraction
        var count = digits
        while count > 9 {
            value /= 10
            count -= 1
        }
        while count < 9 {
            value *= 10
            count += 1
        }
        return value
    }

    /// `+05:30`, `+0530` or `+05` starting at a sign token: the offset and how many tokens it used.
    private static func offsetTokens(_ tokens: [Token], from start: Int) -> (Int, Int)? {
        guard case .symbol(let sign) = tokens[start], start + 1 < tokens.count,
              case .number(let first, let digits) = tokens[start + 1] else { return nil }
        let direction = sign == UInt8(ascii: "-") ? -1 : 1
        if digits == 4 { return (direction * ((first / 100) * 3600 + (first % 100) * 60), 2) }
        guard digits <= 2, first <= 14 else { return nil }
        if start + 3 < tokens.count, tokens[start + 2] == .symbol(UInt8(ascii: ":")),
           case .number(let minutes, 2) = tokens[start + 3], minutes < 60 {
            return (direction * (first * 3600 + minutes * 60), 4)
        }
        return (direction * first * 3600, 2)
    }

    /// `+05:30`, `-0800`, `+05` as seconds from UTC.
    static func parseOffset(_ bytes: [UInt8]) -> Int? {
        guard let first = bytes.first, first == UInt8(ascii: "+") || first == UInt8(ascii: "-") else { return nil }
        let digits = bytes.dropFirst().filter { $0 != UInt8(ascii: ":") }
        guard digits.allSatisfy(\.isASCIIDigit), digits.count == 2 || digits.count == 4,
              bytes.dropFirst().filter({ $0 == UInt8(ascii: ":") }).count <= (digits.count == 4 ? 1 : 0) else { return nil }
        let values = digits.map { Int($0 - UInt8(ascii: "0")) }
        let hours = values[0] * 10 + values[1]
        let minutes = values.count == 4 ? values[2] * 10 + values[3] : 0
        guard hours <= 14, minutes < 60 else { return nil }
        return (first == UInt8(ascii: "-") ? -1 : 1) * (hours * 3600 + minutes * 60)
    }

    /// Splits into numbers, lower-cased words and punctuation; white space separates. `T` between a date and
    /// a time (`2016-03-14T10:20`) becomes a separate word. `nil` for characters outside ASCII.
    private static func tokenize(_ text: String) -> [Token]? {
        var tokens: [Token] = []
        let bytes = Array(text.utf8)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte.isASCIIWhitespace {
                index += 1
            } else if byte.isASCIIDigit {
                var value = 0
                var digits = 0
                while index < bytes.count, bytes[index].isASCIIDigit {
                    if digits < 18 { value = value * 10 + Int(bytes[index] - UInt8(ascii: "0")) }
                    digits += 1
                    index += 1
                }
                tokens.append(.number(value, digits: digits))
            } else if byte.isASCIILetter {
                var word: [UInt8] = []
                while index < bytes.count, bytes[index].isASCIILetter {
                    word.append(bytes[index] | 0x20)
                    index += 1
                }
                tokens.append(.word(String(decoding: word, as: UTF8.self)))
            } else if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                        || byte == UInt8(ascii: ":") || byte == UInt8(ascii: ",") || byte == UInt8(ascii: "+") {
                tokens.append(.symbol(byte))
                index += 1
            } else {
                return nil
            }
        }
        return tokens
    }
}
