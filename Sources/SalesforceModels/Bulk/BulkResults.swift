import Foundation

/// One row of a Bulk API 2.0 `successfulResults/` CSV: `sf__Id`, `sf__Created` and the fields sent.
public struct BulkSuccessfulRow: Sendable, Hashable {
    /// The record id.
    public var id: String
    /// Whether the row created a record (`false`: it updated one).
    public var created: Bool
    /// The other columns, by name.
    public var fields: [String: String]

    /// Creates a row.
    /// - Parameters:
    ///   - id: The record id.
    ///   - created: Whether a record was created.
    ///   - fields: The other columns.
    public init(id: String, created: Bool, fields: [String: String]) {
        self.id = id
        self.created = created
        self.fields = fields
    }

    /// Parses a `successfulResults/` CSV. Rows come in no guaranteed order: match them on a field you sent.
    /// - Parameter csv: The CSV text.
    /// - Returns: The rows.
    /// - Throws: ``SalesforceResponseError`` for malformed CSV or a missing `sf__Id`/`sf__Created` column.
    public static func parse(_ csv: String) throws(SalesforceResponseError) -> [BulkSuccessfulRow] {
        let table = try CSVTable(parsing: csv)
        guard let idColumn = table.header.firstIndex(of: "sf__Id"),
            let createdColumn = table.header.firstIndex(of: "sf__Created")
        else {
            throw SalesforceResponseError(
                .unexpectedShape, "a successfulResults CSV must have sf__Id and sf__Created columns", text: csv)
        }
        return table.rows.map { row in
            var fields: [String: String] = [:]
            for (column, name) in table.header.enumerated() where column != idColumn && column != createdColumn {
                fields[name] = row[column]
            }
            return BulkSuccessfulRow(id: row[idColumn], created: row[createdColumn].lowercased() == "true", fields: fields)
        }
    }
}

/// One row of a Bulk API 2.0 `failedResults/` CSV: `sf__Id`, `sf__Error` and the fields sent.
public struct BulkFailedRow: Sendable, Hashable {
    /// The record id, when the row matched a record; `nil` otherwise.
    public var id: String?
    /// The error as Salesforce wrote it, e.g. `REQUIRED_FIELD_MISSING:Required fields are missing: [Name]:Name --`.
    public var rawError: String
    /// The error split into code, message and fields.
    public var error: SalesforceAPIError
    /// The other columns, by name.
    public var fields: [String: String]

    /// Creates a row.
    /// - Parameters:
    ///   - id: The record id, if any.
    ///   - rawError: The `sf__Error` text.
    ///   - fields: The other columns.
    public init(id: String?, rawError: String, fields: [String: String]) {
        self.id = id
        self.rawError = rawError
        self.error = BulkFailedRow.split(rawError)
        self.fields = fields
    }

    /// Parses a `failedResults/` CSV.
    /// - Parameter csv: The CSV text.
    /// - Returns: The rows.
    /// - Throws: ``SalesforceResponseError`` for malformed CSV or a missing `sf__Error` column.
    public static func parse(_ csv: String) throws(SalesforceResponseError) -> [BulkFailedRow] {
        let table = try CSVTable(parsing: csv)
        guard let errorColumn = table.header.firstIndex(of: "sf__Error") else {
            throw SalesforceResponseError(.unexpectedShape, "a failedResults CSV must have an sf__Error column", text: csv)
        }
        let idColumn = table.header.firstIndex(of: "sf__Id")
        return table.rows.map { row in
            var fields: [String: String] = [:]
            for (column, name) in table.header.enumerated() where column != errorColumn && column != idColumn {
                fields[name] = row[column]
            }
            let id = idColumn.map { row[$0] }.flatMap { $0.isEmpty ? nil : $0 }
            return BulkFailedRow(id: id, rawError: row[errorColumn], fields: fields)
        }
    }

    /// Splits `CODE:message:Field1,Field2 --` into its parts (the field list only when the text ends in `--`);
    /// text without a leading code becomes the message of an `UNKNOWN` error.
    static func split(_ raw: String) -> SalesforceAPIError {
        var text = raw.trimmingCharacters(in: .whitespaces)
        let hasFieldList = text.hasSuffix("--")  // Salesforce ends the text with ":<fields> --"
        if hasFieldList { text = String(text.dropLast(2)).trimmingCharacters(in: .whitespaces) }
        guard let colon = text.firstIndex(of: ":") else {
            return SalesforceAPIError(errorCode: "UNKNOWN", message: text)
        }
        let code = text[..<colon]
        guard !code.isEmpty, code.allSatisfy({ ($0.isASCII && $0.isUppercase) || $0 == "_" || $0.isASCIIDigitCharacter })
        else {
            return SalesforceAPIError(errorCode: "UNKNOWN", message: text)
        }
        var message = String(text[text.index(after: colon)...])
        var fields: [String] = []
        if hasFieldList, let last = message.lastIndex(of: ":") {
            let tail = message[message.index(after: last)...]
            let names = tail.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
            if names.allSatisfy({ (try? APIName($0)) != nil }) {
                fields = names
                message = String(message[..<last])
            }
        }
        return SalesforceAPIError(errorCode: SalesforceErrorCode(String(code)), message: message, fields: fields)
    }
}
