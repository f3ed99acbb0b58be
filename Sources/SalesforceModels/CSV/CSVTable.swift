import Foundation

/// A parsed CSV document: a header row and data rows, as Bulk API 2.0 writes its results.
///
/// The parser follows RFC 4180: fields separated by commas, records by CRLF or LF, fields optionally in double
/// quotes, a doubled quote (`""`) inside a quoted field standing for one quote, and quoted fields holding commas,
/// quotes and line breaks. A final line break is optional. Malformed input (an unterminated quote, text after a
/// closing quote, a quote inside an unquoted field) is an error with the line number, never a crash.
public struct CSVTable: Sendable, Hashable {
    /// The column names from the first row.
    public let header: [String]
    /// The data rows, each with exactly `header.count` values.
    public let rows: [[String]]

    /// Creates a table.
    /// - Parameters:
    ///   - header: The column names.
    ///   - rows: The rows.
    public init(header: [String], rows: [[String]]) {
        self.header = header
        self.rows = rows
    }

    /// Parses CSV text whose first row is the header.
    /// - Parameter text: The CSV text.
    /// - Throws: ``SalesforceResponseError`` of kind ``SalesforceResponseError/Kind/malformedCSV`` for malformed
    ///   quoting or a row whose field count differs from the header's.
    public init(parsing text: String) throws(SalesforceResponseError) {
        var records = try CSVTable.parseRecords(text)
        // Blank lines at the very end (an extra line break) are not rows when there are several columns.
        while records.count > 1, records.last == [""], records.first?.count ?? 0 > 1 { records.removeLast() }
        guard let header = records.first else {
            throw SalesforceResponseError(.malformedCSV, "the CSV is empty: expected at least a header row", text: text)
        }
        var rows: [[String]] = []
        rows.reserveCapacity(records.count - 1)
        for (index, record) in records.dropFirst().enumerated() {
            guard record.count == header.count else {
                throw SalesforceResponseError(
                    .malformedCSV,
                    "CSV record \(index + 2) has \(record.count) fields but the header has \(header.count)",
                    text: text)
            }
            rows.append(record)
        }
        self.header = header
        self.rows = rows
    }

    /// Parses CSV bytes (UTF-8; a leading byte-order mark is skipped).
    /// - Parameter data: The CSV bytes.
    /// - Throws: ``SalesforceResponseError`` for malformed CSV.
    public init(parsing data: Data) throws(SalesforceResponseError) {
        var text = String(decoding: data, as: UTF8.self)
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        try self.init(parsing: text)
    }

    /// The rows as dictionaries from column name to value.
    public var dictionaries: [[String: String]] {
        rows.map { row in
            var dictionary: [String: String] = [:]
            for (name, value) in zip(header, row) { dictionary[name] = value }
            return dictionary
        }
    }

    /// Splits CSV text into records of fields (RFC 4180, CRLF or LF).
    /// - Parameter text: The text.
    /// - Returns: The records; an empty text gives none.
    /// - Throws: ``SalesforceResponseError`` for malformed quoting.
    public static func parseRecords(_ text: String) throws(SalesforceResponseError) -> [[String]] {
        let bytes = Array(text.utf8)
        var records: [[String]] = []
        var record: [String] = []
        var field: [UInt8] = []
        var index = 0
        var line = 1
        let quote = UInt8(ascii: "\""), comma = UInt8(ascii: ","), cr = UInt8(ascii: "\r"), lf = UInt8(ascii: "\n")
        guard !bytes.isEmpty else { return [] }
        while index < bytes.count {
            // At the start of a field.
            if bytes[index] == quote {
                let openedOn = line
                index += 1
                var closed = false
                while index < bytes.count {
                    let byte = bytes[index]
                    if byte == quote {
                        if index + 1 < bytes.count && bytes[index + 1] == quote {
                            field.append(quote)
                            index += 2
                            continue
                        }
                        index += 1
                        closed = true
                        break
                    }
                    if byte == lf { line += 1 }
                    field.append(byte)
                    index += 1
                }
                guard closed else {
                    throw SalesforceResponseError(
                        .malformedCSV, "CSV line \(openedOn): a quoted field is never closed (missing '\"')", text: text)
                }
                if index < bytes.count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                    throw SalesforceResponseError(
                        .malformedCSV,
                        "CSV line \(line): text after a closing quote; a quote inside a quoted field must be doubled (\"\")",
                        text: text)
                }
            } else {
                while index < bytes.count, bytes[index] != comma, bytes[index] != cr, bytes[index] != lf {
                    if bytes[index] == quote {
                        throw SalesforceResponseError(
                            .malformedCSV,
                            "CSV line \(line): a quote inside an unquoted field; quote the field and double the quote (\"\")",
                            text: text)
                    }
                    field.append(bytes[index])
                    index += 1
                }
            }
            record.append(String(decoding: field, as: UTF8.self))
            field.removeAll(keepingCapacity: true)
            if index >= bytes.count {
                records.append(record)
                return records
            }
            switch bytes[index] {
            case comma:
                index += 1
                if index == bytes.count {  // a trailing comma ends the last record with an empty field
                    record.append("")
                    records.append(record)
                    return records
                }
            case cr:
                index += 1
                if index < bytes.count && bytes[index] == lf { index += 1 }
                line += 1
                records.append(record)
                record = []
                if index == bytes.count { return records }
            default:  // lf
                index += 1
                line += 1
                records.append(record)
                record = []
                if index == bytes.count { return records }
            }
        }
        return records
    }
}
