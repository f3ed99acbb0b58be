extension BehaviouralEnrichmentMapper {
    /// Which record the metrics enrich and how it is found: the upsert's object, its key field, and the profile
    /// property whose value the key must equal.
    ///
    /// ```swift
    /// try BehaviouralEnrichmentMapper(metrics: ["Sessions Last 30 Days"], target: .contact(matchedBy: .email))
    /// try BehaviouralEnrichmentMapper(metrics: ["Plan"], target: .lead(matchedBy: .externalID("CleverTap_Identity__c")))
    /// ```
    public struct Target: Sendable, Hashable {
        let object: String
        let isCustomObject: Bool
        let match: Match

        /// The custom object `CleverTap_Profile__c`, keyed on `CleverTap_Identity__c` (the identity).
        public static let cleverTapProfile = Target(
            object: "CleverTap_Profile", isCustomObject: true, match: .externalID("CleverTap_Identity__c"))

        /// The standard `Contact` object.
        /// - Parameter match: How the contact is found.
        /// - Returns: The target.
        public static func contact(matchedBy match: Match) -> Target {
            Target(object: "Contact", isCustomObject: false, match: match)
        }

        /// The standard `Lead` object.
        /// - Parameter match: How the lead is found.
        /// - Returns: The target.
        public static func lead(matchedBy match: Match) -> Target {
            Target(object: "Lead", isCustomObject: false, match: match)
        }
    }

    /// How the enriched record is found.
    public struct Match: Sendable, Hashable {
        let field: String
        let isStandardField: Bool
        let property: String

        /// The standard `Email` field, equal to `Profile.Email`. Salesforce upserts on it because Contact's and
        /// Lead's `Email` are `idLookup` fields (`PATCH .../sobjects/Contact/Email/<address>`); several records with
        /// one address answer 300 and nothing is written.
        public static let email = Match(field: "Email", isStandardField: true, property: "Email")

        /// A custom external-ID field (Text, External ID, Unique), equal to a profile property.
        /// - Parameters:
        ///   - field: The field, short or with the mapper's namespace prefix, e.g. `CleverTap_Identity__c`.
        ///   - property: The profile property holding the value (default `Identity`).
        /// - Returns: The match.
        public static func externalID(_ field: String, property: String = "Identity") -> Match {
            Match(field: field, isStandardField: false, property: property)
        }
    }
}
