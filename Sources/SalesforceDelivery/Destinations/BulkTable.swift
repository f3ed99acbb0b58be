import FerryCore
import FerryDelivery
import SalesforceModels

/// A batch of items laid out as one Bulk API CSV, and the means to find an item again from a result row.
struct BulkTable {
    /// Column names in first-seen order.
    private(set) var header: [String] = []
    /// One row per accepted item.
    private(set) var rows: [[String]] = []
    /// The item index of each row.
    private(set) var itemIndices: [Int] = []
    /// Items that cannot go into the CSV, with why.
    private(set) var rejected: [(Int, DeliveryFailure)] = []
    let externalIDField: APIName?

    init(_ batch: [DeliveryItem], externalIDField: APIName?) {
        self.externalIDField = externalIDField
        var columns: [String: Int] = [:]
        var objects: [(Int, JSONObject)] = []
        for (index, item) in batch.enumerated() {
            let fields: JSONObject
            switch item.recordFields("", "a Bulk API row needs", advice: "") {
            case .success(let object): fields = object
            case .failure(let failure):
                rejected.append((index, failure))
                continue
            }
            if let field = externalIDField,
                !fields.keys.contains(where: { $0.lowercased() == field.fullName.lowercased() })
            {
                rejected.append((index, DeliveryFailure(
                    status: nil, errorCode: .externalIDMissing,
                    message: "the payload has no value for the external ID field \(field.fullName); add it to the template or mapper",
                    retryability: .final)))
                continue
            }
            for key in fields.keys where key != "attributes" && columns[key.lowercased()] == nil {
                columns[key.lowercased()] = header.count
                header.append(key)
            }
            objects.append((index, fields))
        }
        for (index, fields) in objects {
            var row = [String](repeating: "", count: header.count)
            for (key, value) in fields where key != "attributes" {
                if let column = columns[key.lowercased()] { row[column] = BulkTable.cell(value) }
            }
            rows.append(row)
            itemIndices.append(index)
        }
    }

    /// The table as uploads of at most `maximumBytes` of CSV each: every job's rows (in order, with their item
    /// indices) beside its CSV text, and the rows too large to fit in any upload, with their size in bytes (header
    /// included). Each row is encoded once; the common case is one job holding the whole table.
    func uploads(
        maximumBytes: Int
    ) -> (jobs: [(table: BulkTable, csv: String)], oversized: [(index: Int, bytes: Int)]) {
        let encoder = CSVEncoder(lineEnding: .lf)
        var headerLine = ""
        encoder.appendRecord(header, to: &headerLine)
        var jobs: [(table: BulkTable, csv: String)] = []
        var oversized: [(index: Int, bytes: Int)] = []
        var current = BulkTable(header: header, externalIDField: externalIDField)
        var currentCSV = headerLine
        for (row, index) in zip(rows, itemIndices) {
            var line = ""
            encoder.appendRecord(row, to: &line)
            if headerLine.utf8.count + line.utf8.count > maximumBytes {
                oversized.append((index, headerLine.utf8.count + line.utf8.count))
                continue
            }
            if currentCSV.utf8.count + line.utf8.count > maximumBytes {
                jobs.append((current, currentCSV))
                current = BulkTable(header: header, externalIDField: externalIDField)
                currentCSV = headerLine
            }
            current.rows.append(row)
            current.itemIndices.append(index)
            currentCSV += line
        }
        if !current.rows.isEmpty { jobs.append((current, currentCSV)) }
        return (jobs, oversized)
    }

    /// An empty table with `header`, for ``uploads(maximumBytes:)``.
    private init(header: [String], externalIDField: APIName?) {
        self.header = header
        self.externalIDField = externalIDField
    }

    /// A cell: text as is, numbers as their JSON text, `#N/A` for null (the Bulk API's "clear this field").
    static func cell(_ value: JSONValue) -> String {
        switch value {
        case .null: "#N/A"
        case .string(let text): text
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): number.text
        case .array, .object: value.jsonString()
        }
    }

    /// Matches result rows back to items.
    struct Matcher {
        var byKey: [String: [Int]]
        let columns: [String]
        let keyColumn: String?

        /// The item of a result row (removed, so identical rows map to distinct items), or `nil`.
        mutating func take(_ fields: [String: String]) -> Int? {
            let lowered = Dictionary(fields.map { ($0.key.lowercased(), $0.value) }, uniquingKeysWith: { first, _ in first })
            let key = Matcher.key(lowered, columns: columns, keyColumn: keyColumn)
            guard var indices = byKey[key], !indices.isEmpty else { return nil }
            let index = indices.removeFirst()
            byKey[key] = indices
            return index
        }

        static func key(_ fields: [String: String], columns: [String], keyColumn: String?) -> String {
            if let keyColumn { return (fields[keyColumn] ?? "").lowercased() }
            return columns.map { fields[$0] ?? "" }.joined(separator: "\u{1F}")
        }
    }

    func matcher() -> Matcher {
        let columns = header.map { $0.lowercased() }
        let keyColumn = externalIDField.map { $0.fullName.lowercased() }
        var byKey: [String: [Int]] = [:]
        for (row, index) in zip(rows, itemIndices) {
            let fields = Dictionary(zip(columns, row), uniquingKeysWith: { first, _ in first })
            byKey[Matcher.key(fields, columns: columns, keyColumn: keyColumn), default: []].append(index)
        }
        return Matcher(byKey: byKey, columns: columns, keyColumn: keyColumn)
    }
}
