import FerryCore
import FerryTemplating
import Foundation
import Testing

/// A filter call and the value it must return.
struct FilterCase: Sendable, CustomTestStringConvertible {
    let filter: String
    let input: JSONValue
    let arguments: [JSONValue]
    let keywords: JSONObject
    let expected: JSONValue

    init(_ filter: String, _ input: JSONValue, _ expected: JSONValue) {
        self.init(filter, input, [], expected)
    }

    init(_ filter: String, _ input: JSONValue, _ arguments: [JSONValue], keywords: JSONObject = [:],
         _ expected: JSONValue) {
        self.filter = filter
        self.input = input
        self.arguments = arguments
        self.keywords = keywords
        self.expected = expected
    }

    var testDescription: String { "\(input) | \(filter): \(arguments)\(keywords.isEmpty ? "" : " \(keywords)")" }
}

/// A filter call that must fail, and the kind of error.
struct FilterErrorCase: Sendable, CustomTestStringConvertible {
    let filter: String
    let input: JSONValue
    let arguments: [JSONValue]
    let keywords: JSONObject
    let kind: FilterError
    let messageContains: String

    init(_ filter: String, _ input: JSONValue, _ arguments: [JSONValue], keywords: JSONObject = [:],
         _ kind: FilterError, _ messageContains: String) {
        self.filter = filter
        self.input = input
        self.arguments = arguments
        self.keywords = keywords
        self.kind = kind
        self.messageContains = messageContains
    }

    var testDescription: String { "\(input) | \(filter): \(arguments) fails" }
}

/// A fixed clock time: 2024-03-14T10:20:30.250Z.
let filterTestNow = Date(timeIntervalSince1970: 1_710_411_630.25)

func filterTestContext(timeZone: String = "UTC") -> FilterContext {
    FilterContext(clock: ManualClock(now: filterTestNow), timeZone: TimeZone(identifier: timeZone)!)
}

/// Calls a standard filter by name.
func callFilter(_ name: String, _ input: JSONValue, _ arguments: [JSONValue] = [], keywords: JSONObject = [:],
          context: FilterContext = filterTestContext()) throws -> JSONValue {
    let filter = try #require(StandardFilters.all[name], "no standard filter named \(name)")
    return try filter(input, FilterArguments(arguments, keyword: keywords), context)
}

func checkFilterCase(_ testCase: FilterCase) throws {
    let result = try callFilter(testCase.filter, testCase.input, testCase.arguments, keywords: testCase.keywords)
    #expect(result == testCase.expected)
    // Equality is numeric (1 == 1.0); integers and floats must also come out as the same kind.
    if case .number(let expected) = testCase.expected, case .number(let actual) = result {
        #expect(expected.isInteger == actual.isInteger, "int/float kind of \(actual)")
        #expect(expected.text == actual.text)
    }
}

func checkFilterError(_ testCase: FilterErrorCase) {
    do {
        let result = try callFilter(testCase.filter, testCase.input, testCase.arguments, keywords: testCase.keywords)
        Issue.record("expected an error, got \(result)")
    } catch let error as FilterError {
        #expect(error.isSameKind(as: testCase.kind), "\(error)")
        #expect(error.message.contains(testCase.messageContains), "\(error.message)")
    } catch {
        Issue.record("expected a FilterError, got \(error)")
    }
}

/// An integer kept as exact text (beyond 64 bits), or `null` (which no expectation matches) when `text` is not a
/// JSON number.
func exact(_ text: String) -> JSONValue {
    JSONNumber(text: text).map(JSONValue.number) ?? .null
}
