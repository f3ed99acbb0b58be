import FerryCore

/// What a ``RecordMapper`` produced for one context.
public enum MappedPayload: Sendable, Hashable {
    /// A JSON body sent as it is (typically to an Apex REST class).
    case json(JSONValue)
    /// A record to create (sObject create, or one element of an sObject Collections call).
    case record(SObjectRecord)
    /// A record to create or update, matched on an external ID.
    case upsert(SObjectUpsert)
    /// Send nothing for this context (the Swift counterpart of Liquid's `{% abort %}`).
    case skipped(reason: String)

    /// The body to send: the JSON, or the record with `attributes.type`; `nil` when skipped.
    public var jsonBody: JSONValue? {
        switch self {
        case .json(let value): value
        case .record(let record): record.jsonValue
        case .upsert(let upsert): upsert.record.jsonValue
        case .skipped: nil
        }
    }
}

/// A record to upsert by external ID: `PATCH .../sobjects/<Object>/<ExtIdField>/<value>`.
public struct SObjectUpsert: Sendable, Hashable {
    /// The record, without the external-ID field (the single-record upsert takes the value from the URL).
    public var record: SObjectRecord
    /// The external-ID field.
    public var externalIDField: APIName
    /// The external-ID value.
    public var externalIDValue: String

    /// Creates an upsert. The external-ID field is removed from `record` if it was set there.
    /// - Parameters:
    ///   - record: The record.
    ///   - externalIDField: The external-ID field.
    ///   - externalIDValue: The value that identifies the record.
    public init(record: SObjectRecord, externalIDField: APIName, externalIDValue: String) {
        var record = record
        record.remove(externalIDField.fullName)
        self.record = record
        self.externalIDField = externalIDField
        self.externalIDValue = externalIDValue
    }

    /// The record with the external-ID field set, as an sObject Collections upsert needs it.
    public var recordWithKey: SObjectRecord {
        var copy = record
        copy.set(externalIDField, to: .text(externalIDValue))
        return copy
    }
}
