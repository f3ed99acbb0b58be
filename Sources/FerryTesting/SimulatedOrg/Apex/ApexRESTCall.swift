import FerryCore
import Foundation

/// One call to an Apex REST class registered in a ``SimulatedSalesforceOrg``: what `RestContext.request` gives a
/// real class, plus the DML statements it may run against the org's objects.
public struct ApexRESTCall: Sendable {
    /// The request (its `Authorization` header redacted).
    public let request: HTTPRequest
    /// The part of the path after `/services/apexrest`, e.g. `/CleverTap/InsertNPSFeedback`.
    public let requestURI: String
    /// The org, for reading records.
    public let org: SimulatedSalesforceOrg
    let lockFault: Bool
    /// ``SimulatedFault/concurrentFirstInsert``: another request with the same external-ID value inserts first.
    var racingInsert = false

    /// The body (`RestContext.request.requestBody`).
    public var body: Data { request.body ?? Data() }

    /// The body as text (`requestBody.toString()`).
    public var bodyText: String { String(decoding: body, as: UTF8.self) }

    /// A request header, ignoring case.
    /// - Parameter name: The header name.
    /// - Returns: Its value, or `nil`.
    public func header(_ name: String) -> String? { request.headers[name] }

    /// The org's current time (its clock).
    public var now: Date { org.clock.now }

    /// `insert record;`: validates and stores a record.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - fields: The field values.
    /// - Returns: The stored record.
    /// - Throws: ``SimulatedDMLError`` as a `DmlException` would carry it (and `UNABLE_TO_LOCK_ROW` when a lock fault
    ///   was injected into this call).
    public func insert(_ object: String, _ fields: JSONObject) throws(SimulatedDMLError) -> SimulatedRecord {
        if lockFault { throw SimulatedSalesforceOrg.lockError }
        return try org.insert(object, fields)
    }

    /// `Database.upsert(record, Object.Field, true)`: creates or updates the record whose external-ID field has
    /// `value`.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: The external-ID field.
    ///   - value: Its value.
    ///   - fields: The other field values.
    /// - Returns: The record, and whether it was created.
    /// - Throws: ``SimulatedDMLError`` (`DUPLICATE_EXTERNAL_ID` when several records match; `DUPLICATE_VALUE` when
    ///   ``SimulatedFault/concurrentFirstInsert`` makes a concurrent request create the record first).
    public func upsert(_ object: String, externalIDField: String, value: String, _ fields: JSONObject)
        throws(SimulatedDMLError) -> (record: SimulatedRecord, created: Bool)
    {
        if lockFault { throw SimulatedSalesforceOrg.lockError }
        if racingInsert {
            // The other request looked up the key a moment earlier, found nothing and inserted: this statement's
            // own insert then meets the unique key. Once that record exists, an upsert simply updates it.
            let other = try org.upsert(object, externalIDField: externalIDField, value: value, fields)
            if other.created {
                throw SimulatedDMLError(
                    .duplicateValue,
                    "duplicate value found: \(externalIDField) duplicates value on record with id: \(other.record.id)",
                    fields: [externalIDField])
            }
        }
        return try org.upsert(object, externalIDField: externalIDField, value: value, fields)
    }
}
