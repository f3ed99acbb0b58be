import FerryCore
import Foundation
import SalesforceModels

extension SimulatedSalesforceOrg {
    /// `POST /composite/sobjects` (create) and `PATCH /composite/sobjects/<Object>/<Field>` (upsert): per-record
    /// results in request order, HTTP 200 even when records fail. As on a real org, an upsert naming one external
    /// ID value in more than one record fails each of those records with `DUPLICATE_EXTERNAL_ID`.
    func collections(_ request: HTTPRequest, upsertOn target: (object: String, field: String)?, lockFault: Bool)
        -> HTTPResponse
    {
        guard let data = request.body, let value = try? JSONValue(parsing: data), let records = value["records"]?.arrayValue
        else {
            return Replies.error(400, .jsonParserError, "Cannot deserialize the request body: expected {\"allOrNone\":..., \"records\":[...]}")
        }
        guard records.count <= SObjectCollectionRequest.maximumRecords else {
            return Replies.error(400, "EXCEEDED_ID_LIMIT", "record limit reached. cannot submit more than 200 records into this call")
        }
        let allOrNone = value["allOrNone"]?.boolValue ?? false
        let repeated = target.map { SimulatedSalesforceOrg.repeatedExternalIDs(in: records, field: $0.field) } ?? []
        let now = clock.now
        return state.withLock { state -> HTTPResponse in
            let snapshot = state.objects
            var results: [JSONValue] = []
            var failed = false
            for element in records {
                guard let fields = element.objectValue else {
                    results.append(Replies.saveResult(id: nil, errors: [SimulatedDMLError(.invalidType, "The record is not a JSON object.")]))
                    failed = true
                    continue
                }
                let type = fields["attributes"]?["type"]?.stringValue ?? target?.object ?? ""
                if lockFault {
                    results.append(Replies.saveResult(id: nil, errors: [SimulatedSalesforceOrg.lockError], created: target.map { _ in false }))
                    failed = true
                    continue
                }
                if let target, let text = SimulatedSalesforceOrg.externalIDText(fields, field: target.field),
                    repeated.contains(text.lowercased())
                {
                    let error = SimulatedDMLError(
                        "DUPLICATE_EXTERNAL_ID", "Duplicate external id specified: \(text)", fields: [target.field])
                    results.append(Replies.saveResult(id: nil, errors: [error], created: false))
                    failed = true
                    continue
                }
                do throws(SimulatedDMLError) {
                    guard !type.isEmpty else {
                        throw SimulatedDMLError(.invalidType, "Each record must name its type in attributes.type.")
                    }
                    let (key, validator) = try SimulatedSalesforceOrg.validator(type, state, .json)
                    let normalised: JSONObject
                    do throws(SimulatedDMLError) {
                        normalised = try validator.normalise(fields)
                    } catch where error.code == .jsonParserError {
                        // A value that cannot be deserialised fails the whole request, as on a real org.
                        state.objects = snapshot
                        return Replies.error(400, error)
                    }
                    if let target {
                        guard let external = validator.schema.field(named: target.field), external.externalID else {
                            throw SimulatedDMLError(.invalidField, "Provided external ID field does not exist or is not accessible: \(target.field)")
                        }
                        guard let keyValue = normalised[external.name.fullName], let text = keyValue.stringValue ?? keyValue.jsonStringIfNumber,
                            !text.isEmpty
                        else {
                            throw SimulatedDMLError("MISSING_ARGUMENT", "\(external.name.fullName) not specified", fields: [external.name.fullName])
                        }
                        switch try state.upsert(key, field: external, value: text, normalised, validator: validator, now: now) {
                        case .created(let record): results.append(Replies.saveResult(id: record.id, created: true))
                        case .updated(let record): results.append(Replies.saveResult(id: record.id, created: false))
                        case .several(let ids):
                            throw SimulatedDMLError(
                                "DUPLICATE_EXTERNAL_ID",
                                "\(external.name.fullName): more than one record found for external id field: [\(ids.joined(separator: ", "))]",
                                fields: [external.name.fullName])
                        case .notFound:
                            throw SimulatedDMLError(.notFound, "The requested resource does not exist")
                        }
                    } else {
                        let record = try state.insert(key, normalised, validator: validator, now: now)
                        results.append(Replies.saveResult(id: record.id))
                    }
                } catch {
                    results.append(Replies.saveResult(id: nil, errors: [error], created: target.map { _ in false }))
                    failed = true
                }
            }
            if allOrNone && failed {
                state.objects = snapshot
                let rolledBack = SimulatedDMLError(
                    .allOrNoneOperationRolledBack,
                    "Record rolled back because not all records were valid and the request was using AllOrNone header")
                results = results.map { result in
                    result["success"]?.boolValue == true
                        ? Replies.saveResult(id: nil, errors: [rolledBack], created: target.map { _ in false }) : result
                }
            }
            return HTTPResponse(status: 200, json: .array(results))
        }
    }

    /// The external ID values (lowercased: matching is case-insensitive) named by more than one record.
    static func repeatedExternalIDs(in records: [JSONValue], field: String) -> Set<String> {
        var seen: Set<String> = []
        var repeated: Set<String> = []
        for record in records {
            guard let fields = record.objectValue, let text = externalIDText(fields, field: field) else { continue }
            if !seen.insert(text.lowercased()).inserted { repeated.insert(text.lowercased()) }
        }
        return repeated
    }

    /// A record's external ID value as text, before validation; `nil` when it has none.
    static func externalIDText(_ fields: JSONObject, field: String) -> String? {
        guard let key = fields.keys.first(where: { $0.lowercased() == field.lowercased() }), let value = fields[key],
            let text = value.stringValue ?? value.jsonStringIfNumber, !text.isEmpty
        else { return nil }
        return text
    }
}
