import FerryCore
import FerryTemplating
import Foundation
import Testing

@Suite("StandardFilters table")
struct StandardFiltersTests {
    static let expectedNames: Set<String> = [
        "abs", "append", "at_least", "at_most", "base64_decode", "base64_encode", "base64_url_safe_decode",
        "base64_url_safe_encode", "capitalize", "ceil", "compact", "concat", "date", "date_tz", "default",
        "divided_by", "downcase", "escape", "escape_once", "find", "find_index", "first", "floor", "h", "has",
        "join", "last", "lstrip", "map", "minus", "modulo", "newline_to_br", "plus", "prepend", "reject",
        "remove", "remove_first", "remove_last", "replace", "replace_first", "replace_last", "reverse", "round",
        "rstrip", "size", "slice", "sort", "sort_natural", "split", "strip", "strip_html", "strip_newlines", "sum",
        "times", "truncate", "truncatewords", "uniq", "upcase", "url_decode", "url_encode", "where",
    ]

    @Test func everyStandardFilterIsRegisteredByName() {
        #expect(Set(StandardFilters.all.keys) == StandardFiltersTests.expectedNames)
        #expect(StandardFilters.names == StandardFiltersTests.expectedNames.sorted())
    }

    /// Every filter rejects one argument too many and an unknown keyword, with a message that shows the call.
    @Test(arguments: StandardFiltersTests.expectedNames.sorted())
    func argumentChecks(_ name: String) throws {
        let filter = try #require(StandardFilters.all[name])
        let tooMany = FilterArguments(Array(repeating: "x", count: 3))
        do {
            _ = try filter("input", tooMany, filterTestContext())
            Issue.record("\(name) accepted 3 arguments")
        } catch {
            #expect(error.isSameKind(as: .argumentCount("")))
            #expect(error.message.contains("Write it as `\(name)"), "\(error.message)")
        }
        do {
            _ = try filter("input", FilterArguments(["a", "UTC"], keyword: ["bogus": true]), filterTestContext())
            Issue.record("\(name) accepted an unknown keyword")
        } catch {
            #expect(error.isSameKind(as: .argumentCount("")))
            #expect(error.message.contains("unknown keyword argument 'bogus:'"), "\(error.message)")
        }
    }

    @Test func filtersAreSafeToCallFromManyTasks() async throws {
        let zones = ["Asia/Kolkata", "America/New_York", "Europe/London", "UTC", "+05:30", "Asia/Tokyo"]
        let results = try await withThrowingTaskGroup(of: (Int, JSONValue).self) { group in
            for index in 0..<240 {
                group.addTask {
                    let zone = zones[index % zones.count]
                    let text = try callFilter("date_tz", 1_710_411_630, ["%H:%M", .string(zone)])
                    return (index % zones.count, text)
                }
            }
            var collected: [Int: Set<JSONValue>] = [:]
            for try await (zone, text) in group { collected[zone, default: []].insert(text) }
            return collected
        }
        #expect(results.count == zones.count)
        #expect(results.values.allSatisfy { $0.count == 1 })
        #expect(results[0] == ["15:50"])
        #expect(results[1] == ["06:20"])
    }
}
