/// What ``IntegrationVerifier/verify(payload:plan:)`` found: the test record, every compared field, and whether
/// the record was deleted again.
public struct VerificationReport: Sendable, Hashable {
    /// The object the record was read from.
    public let object: APIName
    /// The test record's id.
    public let recordID: String
    /// How the record was found: `"the reply's id"` or the SOQL query run.
    public let foundBy: String
    /// One row per mapped field, in the plan's order.
    public let comparisons: [FieldComparison]
    /// Payload keys that were not compared (no field name follows from them; map them with `--map KEY=FIELD`).
    public let unmappedKeys: [String]
    /// Whether the test record was deleted (`false` with ``VerificationPlan/keep`` or when the delete failed).
    public let deleted: Bool
    /// Why the delete failed, or `nil`.
    public let deleteProblem: String?

    /// Creates a report (``IntegrationVerifier`` makes them; hosts may build one to render a table).
    /// - Parameters:
    ///   - object: The object read from.
    ///   - recordID: The test record's id.
    ///   - foundBy: How it was found.
    ///   - comparisons: The rows.
    ///   - unmappedKeys: Keys not compared.
    ///   - deleted: Whether it was deleted.
    ///   - deleteProblem: Why the delete failed, or `nil`.
    public init(
        object: APIName, recordID: String, foundBy: String, comparisons: [FieldComparison], unmappedKeys: [String],
        deleted: Bool, deleteProblem: String?
    ) {
        self.object = object
        self.recordID = recordID
        self.foundBy = foundBy
        self.comparisons = comparisons
        self.unmappedKeys = unmappedKeys
        self.deleted = deleted
        self.deleteProblem = deleteProblem
    }

    /// Whether every compared field matches and the clean-up (if asked for) worked.
    public var passed: Bool { comparisons.allSatisfy(\.matches) && deleteProblem == nil }

    /// The fields that differ.
    public var mismatches: [FieldComparison] { comparisons.filter { !$0.matches } }

    /// A field-by-field table: `key | field | sent | stored | result`, columns padded, values cut to 40 characters.
    public var table: String {
        let header = ["payload key", "field", "sent", "stored", "result"]
        let rows = comparisons.map { row in
            [row.key, row.field, VerificationReport.cell(row.sent), VerificationReport.cell(row.stored),
             row.matches ? "ok" : "MISMATCH" + (row.note.map { ": \($0)" } ?? "")]
        }
        let widths = header.indices.map { column in
            ([header] + rows).map { $0[column].count }.max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { index, cell in
                index == cells.count - 1 ? cell : cell.padding(toLength: widths[index], withPad: " ", startingAt: 0)
            }.joined(separator: "  ")
        }
        return ([line(header)] + rows.map(line)).joined(separator: "\n") + "\n"
    }

    static func cell(_ value: JSONValue?) -> String {
        guard let value, value != .null else { return "(empty)" }
        let text = value.jsonString()
        return text.count <= 40 ? text : String(text.prefix(37)) + "..."
    }
}
