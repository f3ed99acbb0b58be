import Ferry
import Testing

/// Verify Integration compares what was sent with what was stored by value: types and time zones included.
@Suite("Verification: field comparison")
struct FieldComparisonTests {
    @Test(
        "matching values in different forms",
        arguments: [
            (JSONValue.int(9), JSONValue.double(9.0)), ("9", 9), ("true", true), ("2026-11-29T18:52:51+05:30", "2026-11-29T13:22:51.000+0000"),
            ("$D_1764442371", "2025-11-29T18:52:51.000+0000"), (1_764_442_371_000, "2025-11-29T18:52:51.000Z"),
            ("2026-11-29 18:52:51", "2026-11-29T18:52:51.000+0000"), ("2026-11-29", "2026-11-29"), (.null, .null), ("", .null),
            ("Ada", "Ada"),
        ] as [(JSONValue, JSONValue)])
    func matches(sent: JSONValue, stored: JSONValue) {
        let row = FieldComparison(key: "k", field: "k__c", sent: sent, stored: stored)
        #expect(row.matches, "\(sent) vs \(stored): \(row.note ?? "")")
    }

    @Test(
        "values that differ, with the reason",
        arguments: [
            (JSONValue.int(9), JSONValue.int(8), "a different number"),
            ("2026-11-29T18:52:51", "2026-11-29T13:22:51.000+0000", "5h30m earlier"),
            ("Ada", "ada", "different text"), ("x", .null, "stored nothing"), (.null, "x", "not sent"),
            ("soon", "2026-11-29T13:22:51.000+0000", "stored a date-time"),
        ] as [(JSONValue, JSONValue, String)])
    func differs(sent: JSONValue, stored: JSONValue, reason: String) {
        let row = FieldComparison(key: "k", field: "k__c", sent: sent, stored: stored)
        #expect(!row.matches)
        #expect(row.note?.contains(reason) == true, "\(row.note ?? "nil")")
    }

    @Test("the report's table pads columns and marks mismatches")
    func table() throws {
        let report = VerificationReport(
            object: try APIName("NPS__c"), recordID: "a005g0000000001AAA", foundBy: "the reply's id",
            comparisons: [
                FieldComparison(key: "userId", field: "userId__c", sent: "u", stored: "u"),
                FieldComparison(key: "npsScore", field: "npsScore__c", sent: 9, stored: 8),
            ], unmappedKeys: [], deleted: true, deleteProblem: nil)
        #expect(!report.passed)
        #expect(report.table == """
            payload key  field        sent  stored  result
            userId       userId__c    "u"   "u"     ok
            npsScore     npsScore__c  9     8       MISMATCH: a different number

            """)
    }
}
