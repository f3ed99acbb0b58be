import FerryCore
import FerryDelivery
import SalesforceModels

/// How sObject destinations write a record: create a new one, or upsert by an external ID field so a repeat
/// updates instead of duplicating.
public struct SObjectWriteMode: Sendable, Hashable {
    enum Code: Sendable, Hashable {
        case create
        case upsert(APIName)
    }

    let code: Code

    /// Insert a new record each time (`POST .../sobjects/<Object>/`).
    public static let create = SObjectWriteMode(code: .create)

    /// Insert or update the record whose `field` equals the payload's value for it
    /// (`PATCH .../sobjects/<Object>/<field>/<value>`). Retries and replays never duplicate a record.
    /// - Parameter field: The external ID field, e.g. `Delivery_Key__c`.
    /// - Returns: The mode.
    public static func upsert(externalIDField field: APIName) -> SObjectWriteMode {
        SObjectWriteMode(code: .upsert(field))
    }

    /// The external ID field, for upserts.
    public var externalIDField: APIName? {
        if case .upsert(let field) = code { return field }
        return nil
    }

    /// The ordering key of an upsert: the record it writes (object, external ID field, value), so two updates of
    /// one record are delivered one at a time, in order. `nil` for creates and payloads without the value.
    /// A create's payload is not parsed here: only an upsert needs the value.
    func orderingKey(for payload: RawJSON, object: APIName) -> String? {
        guard let field = externalIDField, let fields = (try? payload.value)?.objectValue,
            let key = fields.keys.first(where: { $0.lowercased() == field.fullName.lowercased() }),
            let value = fields[key], let text = SObjectDestination.externalIDText(value)
        else { return nil }
        // External ID matching is case-insensitive in Salesforce: so is the key.
        return "\(object.fullName.lowercased())/\(field.fullName.lowercased())/\(text.lowercased())"
    }
}
