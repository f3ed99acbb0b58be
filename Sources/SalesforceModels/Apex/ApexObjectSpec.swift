/// What `ferry apex` generates code and metadata from: a custom object, its fields, the namespace the class
/// will live in, and the Apex REST URL mapping.
///
/// ```swift
/// let spec = try ApexObjectSpec(
///     object: "Feedback__c",
///     fields: [try ApexFieldSpec(parsing: "Score:Number"), try ApexFieldSpec(parsing: "Comment:Text")],
///     namespace: "CleverTap", mapping: "/InsertNPSFeedback")
/// spec.className   // "InsertNPSFeedback"
/// ```
public struct ApexObjectSpec: Sendable, Hashable {
    /// The custom object with the namespace prefix when there is a namespace, e.g.
    /// `CleverTap__CleverTap_NPS__c`: the generated Apex uses full names, which compile both inside the
    /// namespace and in an org that installs it as a package.
    public let object: APIName
    /// The fields, in order, each with the namespace prefix when there is a namespace (`CleverTap__userId__c`).
    public let fields: [ApexFieldSpec]
    /// The namespace the class is deployed in, or `nil`: it prefixes the object and field names in the Apex
    /// code and the endpoint URL (`/services/apexrest/<namespace>/<mapping>`).
    public let namespace: ApexNamespace?
    /// The `urlMapping` of the REST class.
    public let mapping: ApexURLMapping
    /// The REST class's name; the test class is this plus `Test`.
    public let className: String
    /// The API version written into the `-meta.xml` files.
    public let apiVersion: APIVersion
    /// The external-ID field the generator adds for the `Idempotency-Key` header.
    public let idempotencyField: APIName
    /// How the record's `Name` is filled (by default as the seed's class: a prefix plus a payload value).
    public let recordName: ApexRecordName
    /// What a Date/Time field gets when its key is missing (by default the time of receipt, as the seed's class).
    public let missingDateTime: ApexMissingDateTime

    /// The payload key that marks a test ping (`{"is_test": true}`), never a field.
    public static let testPingKey = "is_test"

    /// Checks and builds a spec.
    /// - Parameters:
    ///   - object: The custom object's API name, ending in `__c`: short (`CleverTap_NPS__c`) or full, as the
    ///     object's details page shows it (`CleverTap__CleverTap_NPS__c`); a prefix must match `namespace`.
    ///   - fields: At least one field; API names unique without regard to case; a field's prefix must match
    ///     `namespace`.
    ///   - namespace: The namespace prefix, or `nil`.
    ///   - mapping: The URL mapping; `nil` gives `/<ObjectName>` without underscores (`Feedback__c` → `/Feedback`).
    ///   - className: The class name; `nil` derives it from the mapping's last segment.
    ///   - apiVersion: The API version of the metadata (default ``APIVersion/default``).
    ///   - recordName: How `Name` is filled; `nil` follows the seed: the object's name after its last underscore,
    ///     a hyphen, and the first text field's value (`CleverTap_NPS__c` with `userId` → `NPS-{userId}`).
    ///   - missingDateTime: What a Date/Time field gets when its key is missing (default the time of receipt).
    /// - Throws: ``ApexSpecError`` naming the broken rule.
    public init(
        object: String, fields: [ApexFieldSpec], namespace: String? = nil, mapping: String? = nil,
        className: String? = nil, apiVersion: APIVersion = .default, recordName: ApexRecordName? = nil,
        missingDateTime: ApexMissingDateTime = .receiptTime
    ) throws(ApexSpecError) {
        var parsedNamespace: ApexNamespace?
        if let namespace {
            do {
                parsedNamespace = try ApexNamespace(namespace)
            } catch {
                throw ApexSpecError(.invalidNamespace, error.message)
            }
        }
        let given: APIName
        do {
            given = try APIName(object)
        } catch {
            throw ApexSpecError(.invalidObject, "object '\(object)': \(error.message)")
        }
        guard given.suffix == .custom else {
            throw ApexSpecError(
                .invalidObject,
                "object '\(object)' must be a custom object ending in __c (e.g. \(given.name)__c): Ferry generates a new object's metadata")
        }
        try ApexObjectSpec.checkPrefix(of: given, named: "object", against: parsedNamespace)
        // Renaming a checked name into a checked namespace cannot fail; the fallback keeps the checked name.
        let parsedObject = (try? given.inNamespace(parsedNamespace?.prefix)) ?? given
        for field in fields {
            try ApexObjectSpec.checkPrefix(of: field.apiName, named: "field", against: parsedNamespace)
        }
        let fields = fields.map { $0.inNamespace(parsedNamespace) }
        guard !fields.isEmpty else {
            throw ApexSpecError(.noFields, "give at least one field, e.g. --field Score:Number")
        }
        let idempotency: APIName
        do {
            idempotency = try APIName(name: "Idempotency_Key", suffix: .custom, namespace: parsedNamespace?.prefix)
        } catch {
            throw ApexSpecError(.reservedField, error.message)
        }
        var seen: Set<String> = []
        for field in fields {
            let key = field.apiName.fullName.lowercased()
            guard !seen.contains(key) else {
                throw ApexSpecError(
                    .duplicateField, "field \(field.apiName.fullName) is given twice (API names ignore case); give each field once")
            }
            seen.insert(key)
            if field.apiName.matches(idempotency) {
                throw ApexSpecError(
                    .reservedField,
                    "field \(field.apiName.fullName) is reserved: the generated class fills it from the Idempotency-Key header")
            }
            if field.payloadKey.lowercased() == ApexObjectSpec.testPingKey {
                throw ApexSpecError(
                    .reservedField, "field '\(field.payloadKey)' is reserved: {\"is_test\": true} marks a CleverTap test ping")
            }
        }
        let mappingText = mapping ?? "/" + parsedObject.name.replacingOccurrences(of: "_", with: "")
        let parsedMapping: ApexURLMapping
        do {
            parsedMapping = try ApexURLMapping(mappingText)
        } catch {
            throw ApexSpecError(.invalidMapping, error.message)
        }
        let name = className ?? ApexObjectSpec.className(from: parsedMapping, object: parsedObject)
        try ApexObjectSpec.checkClassName(name)
        self.object = parsedObject
        self.fields = fields
        self.namespace = parsedNamespace
        self.mapping = parsedMapping
        self.className = name
        self.apiVersion = apiVersion
        self.idempotencyField = idempotency
        let nameRule = recordName ?? ApexRecordName.seedDefault(object: parsedObject, fields: fields)
        try nameRule.check(fields: fields)
        self.recordName = nameRule
        self.missingDateTime = missingDateTime
    }

    /// The object's API name without the namespace prefix (`CleverTap_NPS__c`), as Salesforce DX source files
    /// inside the namespace name it.
    public var localObjectName: String { object.name + "__c" }

    /// The idempotency field's API name without the namespace prefix.
    public var localIdempotencyFieldName: String { idempotencyField.name + "__c" }

    /// Refuses a name whose namespace prefix is not the spec's (a prefixed name without `--namespace`
    /// included), naming both.
    static func checkPrefix(of name: APIName, named what: String, against namespace: ApexNamespace?) throws(ApexSpecError) {
        guard let prefix = name.namespace else { return }
        guard let namespace else {
            throw ApexSpecError(
                what == "object" ? .invalidObject : .invalidField,
                "\(what) '\(name.fullName)' carries the namespace prefix '\(prefix)' but no namespace was given: add --namespace \(prefix) (the org's prefix), or write \(name.name)__c")
        }
        guard prefix.lowercased() == namespace.prefix.lowercased() else {
            throw ApexSpecError(
                .namespaceMismatch,
                "\(what) '\(name.fullName)' carries the namespace prefix '\(prefix)', but --namespace is '\(namespace.prefix)': a class in namespace \(namespace.prefix) writes \(namespace.prefix)__\(name.name)__c. Copy both from the same org (Setup > Object Manager and Setup > Package Manager)")
        }
    }

    /// The test class's name.
    public var testClassName: String { className + "Test" }

    /// The endpoint path: `/services/apexrest[/<namespace>]<mapping>`.
    public var endpointPath: String { "/services/apexrest" + (namespace.map { "/\($0.prefix)" } ?? "") + mapping.path }

    /// The object's label: its name with underscores as spaces.
    public var objectLabel: String { object.name.replacingOccurrences(of: "_", with: " ") }

    static func className(from mapping: ApexURLMapping, object: APIName) -> String {
        let segment = mapping.segments.last { $0 != "*" } ?? object.name
        var name = FieldNameSanitizer.cleanedName(segment).replacingOccurrences(of: "_", with: "")
        if name.isEmpty || name == "Field" { name = object.name.replacingOccurrences(of: "_", with: "") + "Endpoint" }
        if let first = name.first, first.isLowercase { name = first.uppercased() + name.dropFirst() }
        return String(name.prefix(36))
    }

    /// Apex keywords and the system classes the generated code calls: a class of that name would shadow them.
    static let reservedClassNames: Set<String> = [
        "abstract", "activate", "and", "any", "array", "as", "asc", "assert", "autonomous", "begin", "bigdecimal",
        "blob", "boolean", "break", "bulk", "by", "byte", "case", "cast", "catch", "char", "class", "collect",
        "commit", "const", "continue", "database", "date", "datetime", "decimal", "default", "delete", "desc", "do",
        "double", "else", "end", "enum", "exception", "exit", "export", "extends", "false", "final", "finally",
        "float", "for", "from", "global", "goto", "group", "having", "hint", "id", "if", "implements", "import", "in",
        "inner", "insert", "instanceof", "int", "integer", "interface", "into", "join", "json", "like", "limit",
        "list", "long", "loop", "map", "math", "merge", "new", "not", "null", "nulls", "number", "object", "of",
        "on", "or", "outer", "override", "package", "parallel", "pattern", "pragma", "private", "protected",
        "public", "restcontext", "restrequest", "restresponse", "retrieve", "return", "rollback", "schema",
        "select", "set", "short", "sobject", "sort", "static", "string", "super", "switch", "synchronized",
        "system", "test", "testmethod", "then", "this", "throw", "time", "transaction", "trigger", "true", "try",
        "type", "undelete", "update", "upsert", "using", "virtual", "void", "webservice", "when", "where", "while",
    ]

    static func checkClassName(_ name: String) throws(ApexSpecError) {
        do {
            _ = try APIName(name: name, suffix: nil)
        } catch {
            throw ApexSpecError(.invalidClassName, "class name '\(name)': \(error.message)")
        }
        if ApexObjectSpec.reservedClassNames.contains(name.lowercased()) {
            throw ApexSpecError(
                .invalidClassName,
                "class name '\(name)' is an Apex keyword or a system class the generated code uses; choose another --mapping (or class name), e.g. /\(name)Endpoint")
        }
        guard name.count <= 36 else {
            throw ApexSpecError(
                .invalidClassName,
                "class name '\(name)' has \(name.count) characters; at most 36, so that the test class (\(name)Test) fits Apex's 40")
        }
    }
}
