import FerryCore
import Foundation
import Testing

/// Hostile replies to the JSON parser: deep nesting and huge bodies end in a clear error or a bounded parse, never a
/// stack overflow.
@Suite("Resource limits against hostile JSON")
struct ResourceLimitTests {
    @Test("100,000 nested brackets are refused at the depth limit with the offset, from Data and from String",
          arguments: ["[", "{\"a\":", "[{\"a\":"])
    func deepNesting(_ opener: String) throws {
        let text = String(repeating: opener, count: 100_000)
        for fromData in [true, false] {
            do {
                _ = fromData ? try JSONValue(parsing: Data(text.utf8)) : try JSONValue(parsing: text)
                Issue.record("a 100,000-deep document parsed")
            } catch {
                #expect(error.kind == .tooDeep)
                #expect(error.description.contains("512"))
            }
        }
    }

    @Test("nesting at the depth limit parses, and the value compares, hashes, prints and is freed without recursion trouble")
    func deepestAccepted() throws {
        let text = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        let value = try JSONValue(parsing: text)
        #expect(value.jsonString() == text)
        #expect(value == (try JSONValue(parsing: text)))
        #expect(Set([value, value]).count == 1)
        #expect(throws: JSONParseError.self) { try JSONValue(parsing: "[" + text + "]") }
    }

    @Test("a 20 MB string value parses once, without copies of itself in the error paths")
    func hugeString() throws {
        let body = Data(("\"" + String(repeating: "x", count: 20_000_000) + "\"").utf8)
        let value = try JSONValue(parsing: body)
        #expect(value.stringValue?.utf8.count == 20_000_000)
        // The same body cut short is an error that does not quote the body.
        do {
            _ = try JSONValue(parsing: body.dropLast())
            Issue.record("an unterminated string parsed")
        } catch {
            #expect(error.kind == .unexpectedEnd)
            #expect(error.description.utf8.count < 1_000)
        }
    }
}
