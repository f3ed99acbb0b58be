import FerryCore

/// Maps a lead captured by a CleverTap form or campaign to the standard `Lead` object, upserted on the
/// profile's identity so a second submission updates the lead instead of duplicating it.
///
/// Expected object: the standard `Lead`, plus two custom fields:
///
/// | field | type | from the context |
/// |---|---|---|
/// | `CleverTap_Identity__c` | Text(255), External ID, Unique | `Profile.Identity` (required; the upsert key) |
/// | `CleverTap_Campaign__c` | Text(255) | `Campaign.Name` (optional) |
/// | `LastName` | standard, required | last word of `Profile.Name`, else `Unknown` |
/// | `FirstName` | standard | the words of `Profile.Name` before the last |
/// | `Email` | standard | `Profile.Email` |
/// | `Phone` | standard | `Profile.Phone` |
/// | `Company` | standard, required | `Profile.Company`, else ``defaultCompany`` |
/// | `LeadSource` | standard picklist | ``leadSource`` (`CleverTap`) |
///
/// A context with neither an email nor a phone is skipped: a sales team cannot follow up on it.
public struct CampaignLeadMapper: RecordMapper {
    /// The object (`Lead`).
    public let object: APIName
    /// The external-ID field holding the identity.
    public let identityField: APIName
    /// The field holding the campaign name.
    public let campaignField: APIName
    /// The company written when the profile has none (Lead requires one).
    public var defaultCompany = "[not provided]"
    /// The `LeadSource` value.
    public var leadSource = "CleverTap"

    /// Creates the mapper.
    /// - Parameter namespace: The namespace prefix of the two custom fields, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidConfiguration`` for an invalid namespace.
    public init(namespace: String? = nil) throws(RecordMappingError) {
        let build = MapperNames(namespace: namespace)
        object = try build.standard("Lead")
        identityField = try build.custom("CleverTap_Identity")
        campaignField = try build.custom("CleverTap_Campaign")
    }

    /// Maps one lead.
    /// - Parameter context: The render context.
    /// - Returns: `.upsert` keyed on the identity, or `.skipped` when there is no way to contact the lead.
    /// - Throws: ``RecordMappingError`` when the identity is missing or a value has the wrong type.
    public func map(_ context: JSONValue) throws(RecordMappingError) -> MappedPayload {
        let reader = ContextReader(context)
        let identity = try reader.requiredString("Profile", "Identity")
        let email = try reader.string("Profile", "Email")
        let phone = try reader.string("Profile", "Phone")
        guard email != nil || phone != nil else {
            return .skipped(reason: "profile \(identity) has neither Email nor Phone; a lead needs a way to be contacted")
        }
        let words = (try reader.string("Profile", "Name") ?? "").split(separator: " ").map(String.init)
        var record = SObjectRecord(type: object)
        if words.count > 1 {
            try set(&record, "FirstName", .text(words.dropLast().joined(separator: " ")))
        }
        try set(&record, "LastName", .text(words.last ?? "Unknown"))
        if let email { try set(&record, "Email", .text(email)) }
        if let phone { try set(&record, "Phone", .text(phone)) }
        try set(&record, "Company", .text(try reader.string("Profile", "Company") ?? defaultCompany))
        try set(&record, "LeadSource", .text(leadSource))
        if let campaign = try reader.string("Campaign", "Name") { record.set(campaignField, to: .text(campaign)) }
        return .upsert(SObjectUpsert(record: record, externalIDField: identityField, externalIDValue: identity))
    }

    private func set(_ record: inout SObjectRecord, _ name: String, _ value: SObjectFieldValue) throws(RecordMappingError) {
        record.set(try MapperNames(namespace: nil).standard(name), to: value)
    }
}
