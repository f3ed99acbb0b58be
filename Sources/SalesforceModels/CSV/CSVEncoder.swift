import Foundation

/// Writes RFC 4180 CSV: a field is quoted when it holds a comma, a quote, a CR or an LF (or starts or ends with a
/// space), and quotes inside it are doubled.
public struct CSVEncoder: Sendable, Hashable {
    /// The line ending between records.
    public struct LineEnding: Sendable, Hashable {
        /// The bytes of the ending.
        public let text: String
        /// The Bulk API 2.0 name (`LF` or `CRLF`).
        public let bulkAPIName: String

        /// `\n`, Bulk API 2.0's default.
        public static let lf = LineEnding(text: "\n", bulkAPIName: "LF")
        /// `\r\n`, as RFC 4180 writes it.
        public static let crlf = LineEnding(text: "\r\n", bulkAPIName: "CRLF")
    }

    /// The line ending.
    public var lineEnding: LineEnding

    /// Creates an encoder.
    /// - Parameter lineEnding: The line ending (default LF, matching a Bulk job's `"lineEnding":"LF"`).
    public init(lineEnding: LineEnding = .lf) {
        self.lineEnding = lineEnding
    }

    /// Encodes a header and rows; every record, the last included, ends with the line ending.
    /// - Parameters:
    ///   - header: The column names.
    ///   - rows: The rows (each should have `header.count` values).
    /// - Returns: The CSV text.
    public func encode(header: [String], rows: [[String]]) -> String {
        var output = ""
        appendRecord(header, to: &output)
        for row in rows { appendRecord(row, to: &output) }
        return output
    }

    /// Appends one record and its line ending.
    /// - Parameters:
    ///   - fields: The fields.
    ///   - output: The text to append to.
    public func appendRecord(_ fields: [String], to output: inout String) {
        for (index, field) in fields.enumerated() {
            if index > 0 { output.append(",") }
            output.append(CSVEncoder.escape(field))
        }
        output.append(lineEnding.text)
    }

    /// One field, quoted when needed.
    /// - Parameter field: The field.
    /// - Returns: The field as it goes into the CSV.
    public static func escape(_ field: String) -> String {
        let needsQuotes = field.utf8.contains { byte in
            byte == UInt8(ascii: ",") || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\r")
                || byte == UInt8(ascii: "\n")
        } || field.hasPrefix(" ") || field.hasSuffix(" ")
        guard needsQuotes else { return field }
        // Quotes are doubled byte by byte: `replacingOccurrences` compares characters, and a quote followed by a
        // combining mark (`"\u{61A}`) is one character that is not `"`, so it stayed single and ended the field
        // early (found by Fuzz/fuzz-bulkcsv).
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(field.utf8.count + 8)
        for byte in field.utf8 {
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }
            bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }
}
