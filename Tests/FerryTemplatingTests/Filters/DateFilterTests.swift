import FerryCore
import FerryTemplating
import Foundation
import Testing

/// A `date` call: input, format, the context's time zone, and the expected text (or the input back).
struct DateCase: Sendable, CustomTestStringConvertible {
    let input: JSONValue
    let format: JSONValue
    let timeZone: String
    let expected: JSONValue

    init(_ input: JSONValue, _ format: JSONValue, zone: String = "UTC", _ expected: JSONValue) {
        self.input = input
        self.format = format
        self.timeZone = zone
        self.expected = expected
    }

    var testDescription: String { "\(input) | date: \(format) in \(timeZone)" }
}

@Suite("Date filters")
struct DateFilterTests {
    static let inputs: [DateCase] = [
        // CleverTap's dialect: now/today from the injected clock, in the context's zone.
        DateCase("now", "%Y-%m-%d %H:%M:%S.%L %z %Z", "2024-03-14 10:20:30.250 +0000 UTC"),
        DateCase(" Today ", "%Y-%m-%d %H:%M", "2024-03-14 10:20"),
        DateCase("NOW", "%Y-%m-%d %H:%M %z %:z", zone: "Asia/Kolkata", "2024-03-14 15:50 +0530 +05:30"),
        DateCase("now", "%H:%M %Z", zone: "America/New_York", "06:20 EDT"),
        DateCase("$D_1700000000", "%F %T", "2023-11-14 22:13:20"),
        DateCase("$d_1700000000", "%F %T", zone: "Asia/Kolkata", "2023-11-15 03:43:20"),
        DateCase(1_700_000_000, "%F %T", "2023-11-14 22:13:20"),
        DateCase(1_700_000_000_123, "%F %T.%L", "2023-11-14 22:13:20.123"),
        DateCase("1700000000123", "%F %T.%L", "2023-11-14 22:13:20.123"),
        DateCase(1_700_000_000.5, "%T.%L", "22:13:20.500"),
        DateCase(-86_400, "%F %A", "1969-12-31 Wednesday"),
        DateCase(99_999_999_999, "%Y", "5138"),
        // ISO 8601 and written forms.
        DateCase("2024-03-14T10:20:30+05:30", "%H:%M %z %s", "10:20 +0530 1710391830"),
        DateCase("2024-03-14T10:20:30Z", "%H:%M %Z", zone: "Asia/Kolkata", "10:20 UTC"),
        DateCase("2024-03-14 10:20:30.123456", "%N %3N %6N", "123456000 123 123456"),
        DateCase("2024-03-14T10:20:30.5-08:00", "%s %L %::z", "1710440430 500 -08:00:00"),
        DateCase("2024-03-14", "%s", zone: "Asia/Kolkata", "1710354600"),
        DateCase("2024-03-14T10:20:30,5Z", "%T.%L %Z", "10:20:30.500 UTC"),
        DateCase("2024-03-14t10:20z", "%T %z", zone: "Asia/Kolkata", "10:20:00 +0000"),
        DateCase("2024-03-14T10:20:30+0530", "%s", "1710391830"),
        DateCase("2024-03-14T10:20:30-03", "%s %z", "1710422430 -0300"),
        DateCase("2024-03-14T25:00", "%F", "2024-03-14T25:00"),
        DateCase("2024-03-14T10:20:30.Z", "%F %T", "2024-03-14 10:20:30"),
        DateCase("2024-03-14T10:20:30+15:00", "%F", "2024-03-14T10:20:30+15:00"),
        DateCase("2024-03-14 10:00", "%s", zone: "America/New_York", "1710424800"),
        DateCase("March 14, 2016", "%s", "1457913600"),
        DateCase("Mon, 14 Mar 2016 10:20:30 +0000", "%F %T %z", "2016-03-14 10:20:30 +0000"),
        DateCase("14 Mar 2016 10:20 PM", "%H:%M", "22:20"),
        DateCase("12:05 am", "%F %H:%M", "2024-03-14 00:05"),
        DateCase("Monday 14 March 2016 10am", "%F %H:%M", "2016-03-14 10:00"),
        DateCase("10 PM", "%F %H:%M", "2024-03-14 22:00"),
        DateCase("13 pm", "%F", "13 pm"),
        DateCase("Tue, 14 Mar 2016", "%F %T", "2016-03-14 00:00:00"),
        DateCase("2016-3-4", "%F", "2016-03-04"),
        DateCase("03/14/2016", "%F", "2016-03-14"),
        DateCase("14/03/2016", "%F", "2016-03-14"),
        DateCase("14.03.16", "%F", "2016-03-14"),
        DateCase("2016/03/14", "%F", "2016-03-14"),
        DateCase("14-Mar-2016", "%F", "2016-03-14"),
        DateCase("Monday, 14th March 2016 at 9:30", "%F %R", "2016-03-14 09:30"),
        DateCase("Sept 1 1999", "%F", "1999-09-01"),
        DateCase("March 2016", "%F", "2016-03-01"),
        DateCase("March 14", "%F", "2024-03-14"),
        DateCase("10:20", "%F %T", "2024-03-14 10:20:00"),
        DateCase("2024-03-14 10:00 EST", "%H:%M %z", "10:00 -0500"),
        DateCase("2024-03-14 10:00 GMT+05:30", "%s %z", "1710390600 +0530"),
        // Not dates: the input comes back unchanged.
        DateCase("2024-02-30", "%F", "2024-02-30"),
        DateCase("hello", "%F", "hello"),
        DateCase("-1152098955", "%F", "-1152098955"),
        DateCase("12:61", "%F", "12:61"),
        DateCase("13/13/2016", "%F", "13/13/2016"),
        DateCase("1 2 3", "%F", "1 2 3"),
        DateCase("2024-03-14 ✓", "%F", "2024-03-14 ✓"),
        DateCase("", "%F", ""),
        DateCase(nil, "%F", nil),
        DateCase(true, "%F", true),
        DateCase(["2024-03-14"], "%F", ["2024-03-14"]),
        DateCase("now", "", "now"),
        DateCase("now", nil, "now"),
    ]

    @Test(arguments: inputs)
    func date(_ testCase: DateCase) throws {
        let result = try callFilter("date", testCase.input, [testCase.format], context: filterTestContext(timeZone: testCase.timeZone))
        #expect(result == testCase.expected)
    }

    /// Tuesday 2024-03-05 07:08:09.012345678 UTC.
    static let sample: JSONValue = "2024-03-05T07:08:09.012345678Z"

    static let formats: [(String, String)] = [
        ("%a %A %b %B %h", "Tue Tuesday Mar March Mar"),
        ("%d %-d %e %j %-j", "05 5  5 065 65"),
        ("%H %k %I %l %p %P %M %S", "07  7 07  7 AM am 08 09"),
        ("%y %C %Y %m %-m %_m %05d", "24 20 2024 03 3  3 00005"),
        ("%u %w %U %W %G %g %V", "2 2 09 10 2024 24 10"),
        ("%D|%F|%T|%R|%r", "03/05/24|2024-03-05|07:08:09|07:08|07:08:09 AM"),
        ("%c|%x|%X|%v", "Tue Mar  5 07:08:09 2024|03/05/24|07:08:09| 5-MAR-2024"),
        ("%+", "%+"),  // Ruby's Time#strftime has no %+ and copies it
        ("%^a %^B %#b %#p %10A|%-10A|%010A", "TUE MARCH MAR am    Tuesday|Tuesday|000Tuesday"),
        ("%L %N %3N %12N", "012 012345678 012 012345678000"),
        ("%s %z %:z %::z %Z", "1709622489 +0000 +00:00 +00:00:00 UTC"),
        ("%n%t%%|%Q|%E|100%", "\n\t%|%Q|%E|100%"),
        ("%-", "%-"),
        ("plain text", "plain text"),
    ]

    @Test(arguments: formats)
    func strftime(_ format: String, _ expected: String) throws {
        #expect(try callFilter("date", DateFilterTests.sample, [.string(format)]) == .string(expected))
    }

    static let isoWeeks: [(String, String)] = [
        ("2021-01-01", "2020-W53-5"),
        ("2024-12-30", "2025-W01-1"),
        ("2020-12-31", "2020-W53-4"),
        ("2019-12-29", "2019-W52-7"),
        ("2026-01-04", "2026-W01-7"),
        ("0001-01-01", "0001-W01-1"),
        ("1500-03-01", "1500-W09-4"),
    ]

    @Test(arguments: isoWeeks)
    func isoWeek(_ day: String, _ expected: String) throws {
        #expect(try callFilter("date", .string(day), ["%G-W%V-%u"]) == .string(expected))
    }

    @Test func dateTZShowsTheSameInstantInAnotherZone() throws {
        let instant: JSONValue = 1_710_411_630
        #expect(try callFilter("date_tz", instant, ["%Y-%m-%d %H:%M %Z", "Asia/Kolkata"]) == "2024-03-14 15:50 IST")
        #expect(try callFilter("date_tz", instant, ["%H:%M %z", "+05:30"]) == "15:50 +0530")
        #expect(try callFilter("date_tz", instant, ["%H:%M %z", "UTC-0800"]) == "02:20 -0800")
        #expect(try callFilter("date_tz", instant, ["%H:%M %Z", " utc "]) == "10:20 UTC")
        #expect(try callFilter("date_tz", "2024-07-04T12:00:00Z", ["%H:%M %Z", "America/New_York"]) == "08:00 EDT")
        #expect(try callFilter("date_tz", "now", ["%H:%M", "Asia/Tokyo"], context: filterTestContext(timeZone: "Asia/Kolkata"))
            == "19:20")
        // A text without a zone is read in the context's zone, then shown in the given one.
        #expect(try callFilter("date_tz", "2024-03-14 10:00", ["%H:%M", "UTC"], context: filterTestContext(timeZone: "Asia/Kolkata"))
            == "04:30")
        #expect(try callFilter("date_tz", "not a date", ["%H:%M", "UTC"]) == "not a date")
    }

    @Test func nowFollowsTheInjectedClock() throws {
        let clock = ManualClock(now: filterTestNow)
        let context = FilterContext(clock: clock, timeZone: TimeZone(identifier: "UTC")!)
        #expect(try callFilter("date", "now", ["%H:%M:%S"], context: context) == "10:20:30")
        clock.advance(by: .seconds(90))
        #expect(try callFilter("date", "now", ["%H:%M:%S"], context: context) == "10:22:00")
    }

    static let errors: [FilterErrorCase] = [
        FilterErrorCase("date", "now", [], .argumentCount(""), "expects 1 argument, got 0"),
        FilterErrorCase("date", "now", ["%F", "UTC"], .argumentCount(""), "Write it as `date: \"%Y-%m-%d %H:%M\"`"),
        FilterErrorCase("date_tz", "now", ["%F"], .argumentCount(""), "expects 2 arguments, got 1"),
        FilterErrorCase("date_tz", "now", ["%F", "Mars/Olympus"], .invalidArgument(""), "unknown time zone 'Mars/Olympus'"),
        FilterErrorCase("date_tz", "now", ["%F", "IST"], .invalidArgument(""), "Use an IANA name such as 'Asia/Kolkata'"),
        FilterErrorCase("date_tz", "now", ["%F", nil], .invalidArgument(""), "unknown time zone (empty)"),
        FilterErrorCase("date_tz", "now", ["%F", "+25:00"], .invalidArgument(""), "unknown time zone '+25:00'"),
    ]

    @Test(arguments: errors)
    func dateError(_ testCase: FilterErrorCase) {
        checkFilterError(testCase)
    }
}

/// `%Z` and flags as Ruby's `Time#strftime` gives them through Ruby Liquid 5.4 (each expectation rendered by Ruby
/// 3.1 with `TZ=UTC`): a date written with a numeric offset has no zone name, except a zero offset, which Ruby reads
/// as UTC.
@Suite("date as Ruby's strftime")
struct RubyStrftimeTests {
    static let cases: [(JSONValue, String, String)] = [
        ("2024-03-05T07:08:09-07:00", "%Z|%z|%:z", "|-0700|-07:00"),
        ("2024-03-05T07:08:09+05:30", "%Z|%z", "|+0530"),
        ("2024-03-05T07:08:09+00:00", "%Z", "UTC"),
        ("2024-03-05T07:08:09-00:00", "%Z", "UTC"),
        ("2024-03-05T07:08:09Z", "%Z", "UTC"),
        ("2024-03-05 07:08:09 UTC", "%Z", "UTC"),
        ("2024-03-05 07:08:09 GMT", "%Z %z", "UTC +0000"),
        ("2024-03-05 07:08:09 EST", "%Z %z", " -0500"),
        ("2024-03-05 07:08:09 PST", "%Z %z", " -0800"),
        ("2024-03-05 07:08:09", "%Z %z", "UTC +0000"),
        (1_700_000_000, "%Z %z %+", "UTC +0000 %+"),
        ("2024-03-05T07:08:09.123456+02:00", "%-d %^a %010N %3N %_m %e %j %U %W %G %V %s %L %#b %P %p %I %l",
         "5 TUE 1234560000 123  3  5 065 09 10 2024 10 1709615289 123 MAR am AM 07  7"),
    ]

    @Test("zone names and flags match Ruby", arguments: cases)
    func matchesRuby(_ input: JSONValue, _ format: String, _ expected: String) throws {
        #expect(try callFilter("date", input, [.string(format)]) == .string(expected))
    }
}
