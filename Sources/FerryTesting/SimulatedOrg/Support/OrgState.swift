import FerryCore
import Foundation
import SalesforceModels

/// Everything a simulated org holds, guarded by one `Mutex` in ``SimulatedSalesforceOrg``.
struct OrgState {
    /// Requests received whose answer is not ready yet.
    var requestsInFlight = 0
    struct Session {
        let clientID: String
        let expiresAt: Date
        var revoked = false
    }

    struct ObjectStore {
        var schema: SimulatedObject
        let keyPrefix: String
        var records: [SimulatedRecord] = []
    }

    struct FaultState {
        let rule: SimulatedFaultRule
        var calls = 0
    }

    struct ApexRoute {
        let segments: [String]
        let method: HTTPMethod
        let apexClass: SimulatedApexClass
    }

    enum UpsertResult {
        case created(SimulatedRecord)
        case updated(SimulatedRecord)
        case several([String])
        case notFound
    }

    var clients: [String: SimulatedClient] = [:]
    var sessions: [String: Session] = [:]
    var objects: [String: ObjectStore] = [:]
    var apexRoutes: [ApexRoute] = []
    var faults: [FaultState] = []
    var tokenFailures: (remaining: Int, status: Int) = (0, 503)
    var counters = SimulatedOrgCounters()
    var requests: [SimulatedOrgRequest] = []
    /// Requests dropped from the front of `requests` to keep it within its limit.
    var requestsDropped = 0
    var jobs: [String: BulkJob] = [:]
    var nextSequence = 1

    mutating func nextID(prefix: String) -> String {
        defer { nextSequence += 1 }
        return SalesforceIDs.make(prefix: prefix, sequence: nextSequence)
    }

    /// Inserts one record (already normalised), enforcing required fields and uniqueness.
    mutating func insert(_ key: String, _ fields: JSONObject, validator: RecordValidator, now: Date)
        throws(SimulatedDMLError) -> SimulatedRecord
    {
        guard var store = objects[key] else {
            throw SimulatedDMLError(.invalidType, "sObject type '\(key)' is not supported.")
        }
        try validator.checkRequired(fields)
        try OrgState.checkUnique(fields, in: store, excluding: nil)
        var stored = fields
        for field in store.schema.fields where field.type == .autoNumber {
            let number = String(store.records.count + 1)
            let padded = String(repeating: "0", count: max(0, 5 - number.count)) + number
            stored[field.name.fullName] = .string("\(field.label.prefix(3).uppercased())-\(padded)")
        }
        let record = SimulatedRecord(
            id: nextID(prefix: store.keyPrefix), object: store.schema.name.fullName, fields: stored, createdDate: now,
            lastModifiedDate: now, updateCount: 0)
        store.records.append(record)
        objects[key] = store
        return record
    }

    /// Creates or updates the record whose `field` equals `value` (ignoring case).
    mutating func upsert(
        _ key: String, field: SimulatedField, value: String, _ fields: JSONObject, validator: RecordValidator, now: Date,
        updateOnly: Bool = false
    ) throws(SimulatedDMLError) -> UpsertResult {
        guard var store = objects[key] else {
            throw SimulatedDMLError(.invalidType, "sObject type '\(key)' is not supported.")
        }
        var fields = fields
        fields[field.name.fullName] = .string(value)
        let lowered = value.lowercased()
        let matches = store.records.indices.filter {
            store.records[$0][field.name.fullName]?.stringValue?.lowercased() == lowered
        }
        if matches.count > 1 { return .several(matches.map { store.records[$0].id }) }
        guard let index = matches.first else {
            if updateOnly { return .notFound }
            return .created(try insert(key, fields, validator: validator, now: now))
        }
        var record = store.records[index]
        var merged = record.fields
        for (name, newValue) in fields { merged[name] = newValue }
        try validator.checkRequired(merged)
        try OrgState.checkUnique(merged, in: store, excluding: record.id)
        record.fields = merged
        record.lastModifiedDate = now
        record.updateCount += 1
        store.records[index] = record
        objects[key] = store
        return .updated(record)
    }

    static func checkUnique(_ fields: JSONObject, in store: ObjectStore, excluding id: String?) throws(SimulatedDMLError) {
        for field in store.schema.fields where field.unique {
            guard let text = fields[field.name.fullName]?.stringValue?.lowercased(), !text.isEmpty else { continue }
            if let other = store.records.first(where: {
                $0.id != id && $0[field.name.fullName]?.stringValue?.lowercased() == text
            }) {
                throw SimulatedDMLError(
                    .duplicateValue,
                    "duplicate value found: \(field.name.fullName) duplicates value on record with id: \(other.id)",
                    fields: [field.name.fullName])
            }
        }
    }
}
