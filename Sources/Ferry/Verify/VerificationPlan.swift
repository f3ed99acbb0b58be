import Foundation

/// What ``IntegrationVerifier`` sends one test record through, and where it reads it back: the seed's
/// "Verify Integration" step ("click any record to verify that field values match the payload"), done by the
/// machine.
///
/// ```swift
/// // The seed's class answers "Success" without an id: look the record up by its userId.
/// let plan = try VerificationPlan.apexREST(
///     url: endpoints.apexREST(mapping: try ApexURLMapping("/InsertNPSFeedback"), namespace: try ApexNamespace("CleverTap")),
///     object: try APIName("CleverTap__CleverTap_NPS__c"), keyField: try APIName("CleverTap__userId__c"),
///     payloadKeys: ["userId", "npsScore", "timestamp"], namespace: "CleverTap")
/// ```
public struct VerificationPlan: Sendable, Hashable {
    /// Where the test record is sent.
    public struct Destination: Sendable, Hashable {
        enum Code: Sendable, Hashable {
            case apexREST(URL)
            case sObject
        }
        let code: Code

        /// `POST` to an Apex REST class, with an `Idempotency-Key` header.
        /// - Parameter url: The class's URL.
        /// - Returns: The destination.
        public static func apexREST(_ url: URL) -> Destination { Destination(code: .apexREST(url)) }

        /// `POST /sobjects/<object>/` (the plan's ``VerificationPlan/object``).
        public static let sObject = Destination(code: .sObject)
    }

    /// Where the test record is sent.
    public var destination: Destination
    /// The object the record is stored in.
    public var object: APIName
    /// The field to find the record by when the reply carries no id (the seed's class answers `"Success"`):
    /// `SELECT ... WHERE <keyField> = '<value>'`. The verifier marks its value (`ferry-verify-<random>`) when the
    /// payload holds text there, so the query finds the test record and nothing else.
    public var keyField: APIName?
    /// Which payload key is stored in which field; every pair is compared.
    public var fieldMap: [FieldMapping]
    /// Whether to keep the test record instead of deleting it.
    public var keep = false

    /// One payload key and the field it is stored in.
    public struct FieldMapping: Sendable, Hashable {
        /// The payload key, e.g. `userId`.
        public var key: String
        /// The field, e.g. `CleverTap__userId__c`.
        public var field: APIName

        /// Creates a mapping.
        /// - Parameters:
        ///   - key: The payload key.
        ///   - field: The field.
        public init(key: String, field: APIName) {
            self.key = key
            self.field = field
        }
    }

    /// Creates a plan.
    /// - Parameters:
    ///   - destination: Where the record is sent.
    ///   - object: Where it is stored.
    ///   - keyField: The lookup field when replies carry no id, or `nil`.
    ///   - fieldMap: The payload keys and their fields.
    public init(destination: Destination, object: APIName, keyField: APIName?, fieldMap: [FieldMapping]) {
        self.destination = destination
        self.object = object
        self.keyField = keyField
        self.fieldMap = fieldMap
    }

    /// The convention the seed's class and `ferry apex` share: payload key `userId` is field `userId__c`, with the
    /// namespace prefix when there is one (`CleverTap__userId__c`); `overrides` replace single keys.
    /// - Parameters:
    ///   - payloadKeys: The keys of the payload, in order.
    ///   - namespace: The namespace prefix, or `nil`.
    ///   - overrides: Fields for keys that do not follow the convention (`--map KEY=FIELD`).
    /// - Returns: The mapping, and the keys that have no field name (not a valid name part and not overridden).
    public static func conventionalFieldMap(payloadKeys: [String], namespace: String?, overrides: [String: APIName] = [:])
        -> (mapping: [FieldMapping], unmapped: [String])
    {
        var mapping: [FieldMapping] = []
        var unmapped: [String] = []
        for key in payloadKeys {
            if let field = overrides[key] {
                mapping.append(FieldMapping(key: key, field: field))
            } else if let field = try? APIName(name: key, suffix: .custom, namespace: namespace) {
                mapping.append(FieldMapping(key: key, field: field))
            } else {
                unmapped.append(key)
            }
        }
        return (mapping, unmapped)
    }
}
