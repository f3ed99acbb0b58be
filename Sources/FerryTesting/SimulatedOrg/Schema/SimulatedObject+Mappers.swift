import SalesforceModels

// Objects shaped as the ready record mappers expect them, so a test can run each of the seed's use cases
// through a mapper into a simulated org. Field names are built as the mappers build them (namespace prefix
// included); every name below comes from a validated APIName or a literal, so the initialisers cannot fail.
extension SimulatedObject {
    /// The NPS object ``/SalesforceModels/NPSResponseMapper`` writes, with the mapper's names: `Name` (Text 80,
    /// required; an auto-number when the mapper's `writesName` is `false`), the identity field (Text), the score
    /// (Number), the timestamp (Date/Time), and the comment (Long Text) and survey (Text) fields when the mapper has
    /// them.
    /// - Parameter mapper: The mapper.
    public init(for mapper: NPSResponseMapper) {
        let name = mapper.writesName
            ? try? SimulatedField.text("Name", length: 80, required: true)
            : try? SimulatedField("Name", type: .autoNumber, label: "NPS Name")
        self.init(checked: mapper.object, fields: [
            name, try? .text(mapper.userIDField.fullName), try? .number(mapper.scoreField.fullName),
            try? .dateTime(mapper.timestampField.fullName),
            mapper.commentField.flatMap { try? SimulatedField($0.fullName, type: .textArea) },
            mapper.surveyField.flatMap { try? .text($0.fullName) },
        ])
    }

    /// The `Lead` object ``/SalesforceModels/CampaignLeadMapper`` upserts: `FirstName` (40), `LastName` (80, required),
    /// `Company` (255, required), `Email`, `Phone` (40), `LeadSource`, the identity field (external ID, unique) and the
    /// campaign field.
    /// - Parameter mapper: The mapper.
    public init(for mapper: CampaignLeadMapper) {
        self.init(checked: mapper.object, fields: [
            try? .text("FirstName", length: 40), try? .text("LastName", length: 80, required: true),
            try? .text("Company", length: 255, required: true), try? .email("Email"),
            try? SimulatedField("Phone", type: .phone, length: 40), try? .text("LeadSource", length: 255),
            try? .text(mapper.identityField.fullName, externalID: true, unique: true),
            try? .text(mapper.campaignField.fullName),
        ])
    }

    /// The object ``/SalesforceModels/EventFeedbackMapper`` writes: an auto-number `Name`, `User_Id__c`,
    /// `Event_Name__c`, `Rating__c` (Number), `Feedback__c` (Long Text), `Occurred_At__c` (Date/Time).
    /// - Parameter mapper: The mapper.
    public init(for mapper: EventFeedbackMapper) {
        let prefix = SimulatedObject.prefix(of: mapper.object)
        self.init(checked: mapper.object, fields: [
            try? SimulatedField("Name", type: .autoNumber, label: "Feedback Name"), try? .text(prefix + "User_Id__c"),
            try? .text(prefix + "Event_Name__c"), try? .number(prefix + "Rating__c"),
            try? SimulatedField(prefix + "Feedback__c", type: .textArea), try? .dateTime(prefix + "Occurred_At__c"),
        ])
    }

    /// The object ``/SalesforceModels/BehaviouralEnrichmentMapper`` upserts: its key field (external ID, unique;
    /// `Email` on a `Contact` or `Lead`, which Salesforce upserts on as an `idLookup` field) and one field per metric,
    /// plus an auto-number `Name` on the custom object, or `LastName` (and `Company` on a `Lead`) on the standard ones.
    /// - Parameters:
    ///   - mapper: The mapper.
    ///   - metricTypes: The type of each metric's field, by profile property name (default Number).
    public init(for mapper: BehaviouralEnrichmentMapper, metricTypes: [String: SimulatedFieldType] = [:]) {
        var fields: [SimulatedField?]
        if mapper.object.isCustom {
            fields = [try? SimulatedField("Name", type: .autoNumber, label: "Profile Name")]
        } else {
            fields = [try? .text("LastName", length: 80, required: true)]
            if mapper.object.fullName == "Lead" { fields.append(try? .text("Company", length: 255, required: true)) }
        }
        if mapper.identityField.fullName == "Email" {
            fields.append(try? SimulatedField("Email", type: .email, label: "Email", length: 80, externalID: true))
        } else {
            fields.append(try? .text(mapper.identityField.fullName, externalID: true, unique: true))
        }
        for (property, field) in mapper.fieldNames {
            fields.append(try? SimulatedField(field.fullName, type: metricTypes[property] ?? .double, label: property))
        }
        self.init(checked: mapper.object, fields: fields)
    }

    private init(checked name: APIName, fields: [SimulatedField?]) {
        self.name = name
        self.label = name.name.replacingOccurrences(of: "_", with: " ")
        self.fields = fields.compactMap { $0 }
    }

    private static func prefix(of object: APIName) -> String {
        object.namespace.map { $0 + "__" } ?? ""
    }
}
