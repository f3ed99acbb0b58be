import FerryCore
import Foundation
import Testing

@Suite("Retry-After and HTTP-date")
struct RetryAfterTests {
    /// Tue, 14 Nov 2023 22:13:20 GMT: `ManualClock`'s default start.
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    struct Case: Sendable, CustomTestStringConvertible {
        let name: String
        let value: String
        let expected: Duration?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(name: "delta-seconds", value: "120", expected: .seconds(120)),
        Case(name: "delta-seconds with spaces around", value: " 7 ", expected: .seconds(7)),
        Case(name: "zero", value: "0", expected: .zero),
        Case(name: "IMF-fixdate 42 s ahead", value: "Tue, 14 Nov 2023 22:14:02 GMT", expected: .seconds(42)),
        Case(name: "IMF-fixdate a day ahead, across a month end",
             value: "Wed, 15 Nov 2023 22:13:20 GMT", expected: .seconds(86_400)),
        Case(name: "obsolete RFC 850 form", value: "Tuesday, 14-Nov-23 22:14:02 GMT", expected: .seconds(42)),
        Case(name: "obsolete asctime form", value: "Tue Nov 14 22:14:02 2023", expected: .seconds(42)),
        Case(name: "asctime with a one-digit day", value: "Sun Dec  3 22:13:20 2023", expected: .seconds(19 * 86_400)),
        Case(name: "a date in the past means now", value: "Tue, 14 Nov 2023 22:00:00 GMT", expected: .zero),
        Case(name: "a date long past means now", value: "Sun, 06 Nov 1994 08:49:37 GMT", expected: .zero),
        Case(name: "garbage", value: "soon", expected: nil),
        Case(name: "empty", value: "", expected: nil),
        Case(name: "negative seconds", value: "-5", expected: nil),
        Case(name: "fractional seconds", value: "1.5", expected: nil),
        Case(name: "a zone other than GMT", value: "Tue, 14 Nov 2023 22:14:02 PST", expected: nil),
        Case(name: "an impossible day", value: "Thu, 31 Feb 2024 10:00:00 GMT", expected: nil),
        Case(name: "an impossible hour", value: "Tue, 14 Nov 2023 24:14:02 GMT", expected: nil),
        Case(name: "a misspelt month", value: "Tue, 14 Nob 2023 22:14:02 GMT", expected: nil),
        Case(name: "an unknown day name", value: "Tus, 14 Nov 2023 22:14:02 GMT", expected: nil),
        Case(name: "trailing text", value: "Tue, 14 Nov 2023 22:14:02 GMT now", expected: nil),
        Case(name: "ISO 8601 is not an HTTP-date", value: "2023-11-14T22:14:02Z", expected: nil),
    ]

    @Test("a Retry-After value becomes the pause it asks for, measured from the given time", arguments: cases)
    func delay(_ testCase: Case) {
        #expect(RetryAfter.delay(testCase.value, now: Self.now) == testCase.expected)
    }

    @Test("the RFC 850 form's two-digit year is the most recent past year when 50 more would be too far")
    func twoDigitYears() {
        // RFC 9110's own example: 94 read in 2023 is 1994, not 2094.
        #expect(HTTPDate.parse("Sunday, 06-Nov-94 08:49:37 GMT", now: Self.now) == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sun, 06 Nov 1994 08:49:37 GMT", now: Self.now) == Date(timeIntervalSince1970: 784_111_777))
        #expect(HTTPDate.parse("Sun Nov  6 08:49:37 1994", now: Self.now) == Date(timeIntervalSince1970: 784_111_777))
        // 30 read in 2023 is 2030 (7 years ahead, not more than 50).
        #expect(HTTPDate.parse("Friday, 01-Jan-30 00:00:00 GMT", now: Self.now) == Date(timeIntervalSince1970: 1_893_456_000))
        // A leap day exists in a leap year only.
        #expect(HTTPDate.parse("Thu, 29 Feb 2024 00:00:00 GMT", now: Self.now) == Date(timeIntervalSince1970: 1_709_164_800))
        #expect(HTTPDate.parse("Wed, 29 Feb 2023 00:00:00 GMT", now: Self.now) == nil)
    }
}
