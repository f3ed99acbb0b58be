import FerryCore

/// Writes product-usage metrics from a CleverTap profile onto a Salesforce record, for segmentation and targeted
/// outreach: by default `CleverTap_Profile__c` upserted on `CleverTap_Identity__c` (the identity); with a
/// ``Target`` a `Contact` or `Lead` matched by its email or an external-ID field.
///
/// Expected object (default target):
///
/// | field | type | from the context |
/// |---|---|---|
/// | `CleverTap_Identity__c` | Text(255), External ID, Unique | `Profile.Identity` (required; the upsert key) |
/// | one field per metric | Number, Checkbox, Text or Date/Time, as the values are | `Profile[<metric>]` |
///
/// Metric field names come from ``FieldNameSanitizer``: `Sessions Last 30 Days` → `Sessions_Last_30_Days__c`,
/// stable and unique for a given metric list. ``fieldNames`` lists them so the fields can be created first.
/// A metric the profile lacks is left untouched (not cleared); a profile with none of the metrics is skipped.
public struct BehaviouralEnrichmentMapper: RecordMapper {
    /// The object.
    public let object: APIName
    /// The field the record is matched on (the upsert key): an external-ID field, or `Email`.
    public let identityField: APIName
    /// The profile property whose value the key field must equal (`Identity`, or `Email`).
    public let matchProperty: String
    /// Each metric's profile property and the field it is written to, in order.
    public let fieldNames: [(property: String, field: APIName)]

    /// Creates the mapper.
    /// - Parameters:
    ///   - metrics: Profile property names, e.g. `["Sessions Last 30 Days", "Last Feature Used"]`.
    ///   - namespace: The namespace prefix of the custom object and fields, or `nil`.
    ///   - target: The record enriched and how it is found (default ``Target/cleverTapProfile``).
    /// - Throws: ``RecordMappingError/Kind/invalidConfiguration`` for an invalid namespace or key field, or an empty
    ///   metric list.
    public init(metrics: [String], namespace: String? = nil, target: Target = .cleverTapProfile) throws(RecordMappingError) {
        guard !metrics.isEmpty else {
            throw RecordMappingError(.invalidConfiguration, path: nil, "behavioural enrichment needs at least one metric")
        }
        let build = MapperNames(namespace: namespace)
        object = target.isCustomObject ? try build.custom(target.object) : try build.standard(target.object)
        identityField = target.match.isStandardField ? try build.standard(target.match.field) : try build.configured(target.match.field)
        matchProperty = target.match.property
        var unique: [String] = []
        for metric in metrics where !unique.contains(metric) { unique.append(metric) }
        fieldNames = FieldNameSanitizer.fieldNames(
            for: unique, namespace: namespace, reserved: [identityField.fullName])
    }

    /// Maps one profile.
    /// - Parameter context: The render context.
    /// - Returns: `.upsert` keyed on the identity, or `.skipped` when the profile has none of the metrics.
    /// - Throws: ``RecordMappingError`` when the identity is missing or a metric is an object.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        let reader = ContextReader(context)
        let identity = try reader.requiredString("Profile", matchProperty)
        var record = SObjectRecord(type: object)
        for (property, field) in fieldNames {
            if let value = try reader.fieldValue("Profile", property) { record.set(field, to: value) }
        }
        guard !record.fields.isEmpty else {
            return .skipped(reason: "profile \(identity) has none of the \(fieldNames.count) metrics")
        }
        return .upsert(SObjectUpsert(record: record, externalIDField: identityField, externalIDValue: identity))
    }
}
