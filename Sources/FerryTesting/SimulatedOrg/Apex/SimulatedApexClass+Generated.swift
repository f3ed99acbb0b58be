import FerryCore
import Foundation
import SalesforceModels

extension SimulatedApexClass {
    /// The class `ferry apex` generates for `spec` (see `ApexGenerator.restClass`), behaving as it does:
    ///
    /// - a body that is empty, not JSON or not an object: 400 `JSON_PARSER_ERROR`;
    /// - `{"is_test": true}`: 200 `{"success":true,"test":true}`, nothing stored;
    /// - each field read by its type's reader (text, number, Boolean, `yyyy-MM-dd` date, ISO 8601 / `$D_` / epoch
    ///   date-time); a value that does not fit: 400 `INVALID_INPUT` naming the payload key;
    /// - without an `Idempotency-Key` header: insert, 201 `{"success":true,"id":"...","created":true}`;
    /// - `Name` set to the spec's prefix and payload value (`NPS-<userId>`, `null` when missing) unless it is an
    ///   auto-number; a missing Date/Time set to the time of receipt (the org's clock) when the spec says so;
    /// - with one: upsert on `Idempotency_Key__c`, 201 when created, 200 `"created":false` on a repeat, and 200
    ///   when a concurrent first request with the same key inserted first (`DUPLICATE_VALUE`, retried as an update);
    /// - a DML error: 400 with its code (503 for `UNABLE_TO_LOCK_ROW`); anything else: 500 `APEX_ERROR`.
    ///
    /// - Parameter spec: The spec given to `ferry apex`.
    /// - Returns: The class, writing to `SimulatedObject(spec:)`.
    public static func generated(_ spec: ApexObjectSpec) -> SimulatedApexClass {
        let object = spec.object.fullName
        return SimulatedApexClass(name: spec.className, objects: [SimulatedObject(spec: spec)]) { call in
            do {
                let payload = try GeneratedClassReader.parsePayload(call.body)
                if payload[ApexObjectSpec.testPingKey]?.boolValue == true {
                    return respond(200, ["success": true, "test": true])
                }
                var fields = JSONObject()
                for field in spec.fields {
                    if let value = try GeneratedClassReader.read(field, from: payload) {
                        fields[field.apiName.fullName] = value
                    } else if field.type == .dateTime && spec.missingDateTime == .receiptTime {
                        fields[field.apiName.fullName] = .string(SalesforceDateTime(call.now).description)
                    }
                }
                if let (prefix, key) = spec.recordName.prefixAndKey {
                    fields["Name"] = .string(String((prefix + GeneratedClassReader.apexValueOf(payload[key])).prefix(80)))
                }
                let key = call.header("Idempotency-Key")?.trimmingCharacters(in: .whitespaces) ?? ""
                let record: SimulatedRecord
                let created: Bool
                if key.isEmpty {
                    record = try call.insert(object, fields)
                    created = true
                } else {
                    guard key.count <= 255 else {
                        throw GeneratedClassReader.InputError(
                            field: "Idempotency-Key", message: "The Idempotency-Key header is longer than 255 characters.")
                    }
                    do {
                        (record, created) = try call.upsert(
                            object, externalIDField: spec.idempotencyField.fullName, value: key, fields)
                    } catch let error as SimulatedDMLError where error.code == .duplicateValue {
                        // upsertByKey: a concurrent first request with the same key inserted first; update it.
                        (record, created) = try call.upsert(
                            object, externalIDField: spec.idempotencyField.fullName, value: key, fields)
                    }
                }
                return respond(created ? 201 : 200, ["success": true, "id": .string(record.id), "created": .bool(created)])
            } catch let error as GeneratedClassReader.InputError {
                return errorReply(
                    400, error.field == nil ? "JSON_PARSER_ERROR" : "INVALID_INPUT", error.message,
                    error.field.map { [$0] } ?? [])
            } catch let error as SimulatedDMLError {
                return errorReply(
                    error.code == .unableToLockRow ? 503 : 400, error.code.rawValue, error.message, error.fields)
            }
        }
    }

    private static func respond(_ status: Int, _ body: JSONValue) -> HTTPResponse {
        HTTPResponse(status: status, json: body)
    }

    private static func errorReply(_ status: Int, _ code: String, _ message: String, _ fields: [String]) -> HTTPResponse {
        respond(status, [["errorCode": .string(code), "message": .string(message), "fields": .array(fields.map { .string($0) })]])
    }
}
