import FerryCore
import Foundation
import SalesforceModels
import Testing

/// Inputs the `fuzz-bulkcsv` and `fuzz-salesforce` targets reported (Fuzz/), kept so that they keep ending well.
@Suite("Fuzz regressions: Salesforce replies and CSV")
struct SalesforceFuzzRegressionTests {
    @Test("fuzz-bulkcsv crash report: a table whose fields hold quotes before combining marks survives encode and parse")
    func quoteBeforeCombiningMark() throws {
        // crash-b9854999bdc2730dfcab6896b49cd241490b4d61: the encoder doubled quotes with replacingOccurrences,
        // which compares Characters; a quote followed by U+061A is one Character, so it stayed single and the
        // encoded CSV did not parse ("text after a closing quote").
        let data = try #require(Data(base64Encoded: "RAoKCgoKCgoKDQ0NDQ0NDA0iIiIiIiIiIiIiIiIiIiIiIiIiIiIiItiaMV9EZXJ5XyIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiIiMiDQ0iIiINDQ0NDQ0NDQ0NDQ0NDSIiIiIiIg0NDQ0NDQ0NDQ0NDQ0NDQ0NDSIiIiIiIiIiIiIiIiIiYU8NDQoxLCIKPwoKCgoKCgoK/////////8kKCgpbCgoKCgoKCgoKCi8KKA=="))
        let table = try CSVTable(parsing: data)
        for ending in [CSVEncoder.LineEnding.lf, .crlf] {
            let encoded = CSVEncoder(lineEnding: ending).encode(header: table.header, rows: table.rows)
            #expect(try CSVTable(parsing: encoded) == table)
        }
    }

    @Test("a value cannot break out of its quoted field with a quote and a combining mark", arguments: [
        "\"\u{301},Injected__c", "\"\u{61A}", "a\"\u{20DD}\"\u{301}b", "\u{301}\"",
    ])
    func noInjection(_ value: String) throws {
        let encoded = CSVEncoder().encode(header: ["Name", "Score__c"], rows: [[value, "9"]])
        let table = try CSVTable(parsing: encoded)
        #expect(table.header == ["Name", "Score__c"])
        #expect(table.rows == [[value, "9"]])
        #expect(CSVEncoder.escape(value).utf8.filter { $0 == UInt8(ascii: "\"") }.count
                == 2 + 2 * value.utf8.filter { $0 == UInt8(ascii: "\"") }.count)
    }
}
