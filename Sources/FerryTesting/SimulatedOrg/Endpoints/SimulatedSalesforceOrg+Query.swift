import FerryCore
import Foundation
import SalesforceModels

extension SimulatedSalesforceOrg {
    /// `GET /services/data/vXX.X/query?q=SELECT f, ... FROM Object WHERE Field = 'value' [LIMIT n]`: the one SOQL
    /// shape Ferry sends (reading a record back by a key or its id). Any other query answers 400
    /// `MALFORMED_QUERY`, an unknown object 400 `INVALID_TYPE`, an unknown field 400 `INVALID_FIELD`.
    func query(_ request: HTTPRequest, version: APIVersion) -> HTTPResponse {
        let items = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.queryItems ?? []
        guard let soql = items.first(where: { $0.name == "q" })?.value, let parsed = SimpleSOQL(soql) else {
            return Replies.error(400, "MALFORMED_QUERY", "unexpected token: only SELECT ... FROM ... WHERE Field = 'value' is simulated")
        }
        guard let schema = state.withLock({ $0.objects[parsed.object.lowercased()]?.schema }) else {
            return Replies.error(400, .invalidType, "sObject type '\(parsed.object)' is not supported.")
        }
        for field in parsed.fields + [parsed.whereField] where field.lowercased() != "id" && schema.field(named: field) == nil {
            return Replies.error(400, .invalidField, "No such column '\(field)' on entity '\(schema.name.fullName)'.")
        }
        let matches = records(of: schema.name.fullName).filter { record in
            let value = parsed.whereField.lowercased() == "id" ? .string(record.id) : record[parsed.whereField]
            return SimulatedSalesforceOrg.text(of: value) == parsed.value
        }.prefix(parsed.limit ?? Int.max)
        let rows = matches.map { Self.json(of: $0, schema: schema, fields: parsed.fields, version: version) }
        return HTTPResponse(status: 200, json: ["totalSize": .int(rows.count), "done": true, "records": .array(rows)])
    }

    /// `GET /services/data/vXX.X/sobjects/<Object>/<Id>`: every field of one record, or 404 `NOT_FOUND`.
    func read(_ object: String, id: String, version: APIVersion) -> HTTPResponse {
        guard let schema = state.withLock({ $0.objects[object.lowercased()]?.schema }) else {
            return Replies.notFound
        }
        guard let record = records(of: object).first(where: { $0.id == id }) else { return Replies.notFound }
        return HTTPResponse(status: 200, json: Self.json(of: record, schema: schema, fields: schema.fields.map(\.name.fullName), version: version))
    }

    /// `DELETE /services/data/vXX.X/sobjects/<Object>/<Id>`: 204, or 404 `NOT_FOUND` when there is no such record.
    func delete(_ object: String, id: String) -> HTTPResponse {
        let removed = state.withLock { state -> Bool in
            guard var store = state.objects[object.lowercased()], let index = store.records.firstIndex(where: { $0.id == id }) else {
                return false
            }
            store.records.remove(at: index)
            state.objects[object.lowercased()] = store
            return true
        }
        return removed ? HTTPResponse(status: 204) : Replies.notFound
    }

    private static func json(of record: SimulatedRecord, schema: SimulatedObject, fields: [String], version: APIVersion) -> JSONValue {
        var object: JSONObject = [
            "attributes": [
                "type": .string(schema.name.fullName),
                "url": .string("/services/data/\(version)/sobjects/\(schema.name.fullName)/\(record.id)"),
            ],
            "Id": .string(record.id),
        ]
        for field in fields where field.lowercased() != "id" {
            let name = schema.field(named: field)?.name.fullName ?? field
            // Salesforce writes date-times back with a +0000 offset.
            var value = record[name] ?? .null
            if schema.field(named: field)?.type == .dateTime, let text = value.stringValue, text.hasSuffix("Z") {
                value = .string(String(text.dropLast()) + "+0000")
            }
            object[name] = value
        }
        return .object(object)
    }

    private static func text(of value: JSONValue?) -> String? {
        switch value {
        case .string(let text)?: text
        case .number(let number)?: number.text
        case .bool(let flag)?: flag ? "true" : "false"
        default: nil
        }
    }
}

/// `SELECT a, b FROM Object WHERE Field = 'value' [LIMIT n]`, the only query shape the simulated org answers.
struct SimpleSOQL {
    let fields: [String]
    let object: String
    let whereField: String
    let value: String
    let limit: Int?

    init?(_ soql: String) {
        let scanner = Scanner(string: soql)
        scanner.caseSensitive = false
        scanner.charactersToBeSkipped = .whitespacesAndNewlines
        guard scanner.scanString("SELECT") != nil, let list = scanner.scanUpToString(" FROM ") ?? scanner.scanUpToString(" from "),
            scanner.scanString("FROM") != nil, let object = scanner.scanCharacters(from: SimpleSOQL.nameCharacters),
            scanner.scanString("WHERE") != nil, let field = scanner.scanCharacters(from: SimpleSOQL.nameCharacters),
            scanner.scanString("=") != nil, scanner.scanString("'") != nil
        else { return nil }
        var value = ""
        scanner.charactersToBeSkipped = nil
        var closed = false
        while !scanner.isAtEnd, let character = scanner.scanCharacter() {
            if character == "\\" {
                guard let escaped = scanner.scanCharacter() else { return nil }
                switch escaped {
                case "n": value.append("\n")
                case "r": value.append("\r")
                case "t": value.append("\t")
                default: value.append(escaped)
                }
            } else if character == "'" {
                closed = true
                break
            } else {
                value.append(character)
            }
        }
        guard closed else { return nil }
        scanner.charactersToBeSkipped = .whitespacesAndNewlines
        var limit: Int?
        if scanner.scanString("LIMIT") != nil {
            guard let number = scanner.scanInt() else { return nil }
            limit = number
        }
        guard scanner.isAtEnd else { return nil }
        self.fields = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }
        self.object = object
        self.whereField = field
        self.value = value
        self.limit = limit
        guard !fields.isEmpty, !fields.contains(where: \.isEmpty) else { return nil }
    }

    private static let nameCharacters = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_")
}
