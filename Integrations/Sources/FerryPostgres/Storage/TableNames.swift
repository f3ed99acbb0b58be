/// The quoted SQL names of an outbox's tables and indexes, checked to be plain identifiers so they can be spliced
/// into statements (PostgreSQL cannot bind identifiers as parameters).
struct TableNames: Sendable, Hashable {
    /// The items table, quoted and schema-qualified when a schema is configured.
    let items: String
    /// The schema version table.
    let version: String
    /// The name used in messages: `schema.table` or `table`.
    let display: String
    /// The unqualified table name, for index names.
    let table: String
    /// The quoted schema prefix (`"schema".`), or empty.
    let schemaPrefix: String

    /// The longest table name: 63 bytes less the longest suffix the migration appends (`_available`).
    static let maximumTableLength = 63 - 10

    init(table: String, schema: String?) throws(PostgresOutboxError) {
        let display = schema.map { "\($0).\(table)" } ?? table
        guard Self.isPlainIdentifier(table, maximumLength: Self.maximumTableLength),
            schema.map({ Self.isPlainIdentifier($0, maximumLength: 63) }) ?? true
        else {
            throw PostgresOutboxError(.invalidTableName, operation: "init", table: display)
        }
        self.display = display
        self.table = table
        schemaPrefix = schema.map { "\"\($0)\"." } ?? ""
        items = "\(schemaPrefix)\"\(table)\""
        version = "\(schemaPrefix)\"\(table)_schema\""
    }

    /// Letters, digits and underscores, not starting with a digit, at most `maximumLength` bytes.
    static func isPlainIdentifier(_ name: String, maximumLength: Int) -> Bool {
        guard let first = name.utf8.first, !(UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first),
            name.utf8.count <= maximumLength
        else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                true
            default:
                false
            }
        }
    }
}
