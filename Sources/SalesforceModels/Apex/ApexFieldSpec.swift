import Foundation

/// One field of an Apex object spec: the payload key, the field's API name, its type and (for picklists) values.
public struct ApexFieldSpec: Sendable, Hashable {
    /// The JSON key the generated class reads, e.g. `Score`.
    public let payloadKey: String
    /// The field's API name, e.g. `Score__c`.
    public let apiName: APIName
    /// The type.
    public let type: ApexFieldType
    /// The picklist values (picklists only).
    public let picklistValues: [String]

    /// Creates a field.
    /// - Parameters:
    ///   - name: `Score`, `Score__c`, or the full API name with the namespace prefix as Salesforce's object page
    ///     shows it (`CleverTap__userId__c`). The payload key is the name without prefix and `__c` (`userId`);
    ///   a prefix must match the spec's namespace, which ``ApexObjectSpec`` checks and puts on every field.
    ///   - type: The type.
    ///   - picklistValues: The values of a picklist (required for picklists, not allowed otherwise).
    /// - Throws: ``ApexSpecError`` naming the broken rule.
    public init(name: String, type: ApexFieldType, picklistValues: [String] = []) throws(ApexSpecError) {
        let full = name.hasSuffix("__c") ? name : name + "__c"
        let parsed: APIName
        do {
            parsed = try APIName(full)
        } catch {
            throw ApexSpecError(.invalidField, "field '\(name)': \(error.message)")
        }
        guard parsed.suffix == .custom else {
            throw ApexSpecError(.invalidField, "field '\(name)' must be a custom field ending in __c, e.g. \(parsed.name)__c")
        }
        let base = parsed.name
        if type == .picklist {
            guard !picklistValues.isEmpty else {
                throw ApexSpecError(
                    .picklistValues,
                    "picklist field '\(name)' needs its values, e.g. \(base):Picklist(Email|Push|SMS); Salesforce cannot create a picklist without values")
            }
            for value in picklistValues {
                let trimmed = value.trimmingCharacters(in: .whitespaces)
                // Scalars, not Characters: a '|' followed by a combining mark is still a '|'.
                guard !trimmed.isEmpty, trimmed.count <= 255, !trimmed.unicodeScalars.contains(where: { $0 == "|" || $0 == "," })
                else {
                    throw ApexSpecError(
                        .picklistValues,
                        "picklist field '\(name)' has the value '\(value)': values must be 1 to 255 characters without '|', ',' or line breaks")
                }
                if let bad = ApexSourceText.firstUnrepresentable(trimmed) {
                    throw ApexSpecError(
                        .picklistValues,
                        "picklist field '\(name)' has a value holding the control character \(ApexSourceText.codePoint(bad)): Salesforce metadata cannot store it; remove it from the value")
                }
            }
            guard Set(picklistValues.map { $0.lowercased() }).count == picklistValues.count else {
                throw ApexSpecError(.picklistValues, "picklist field '\(name)' lists a value twice")
            }
        } else if !picklistValues.isEmpty {
            throw ApexSpecError(.picklistValues, "field '\(name)' is \(type), not Picklist: values are only for picklists")
        }
        self.payloadKey = base
        self.apiName = parsed
        self.type = type
        self.picklistValues = picklistValues.map { $0.trimmingCharacters(in: .whitespaces) }
    }

    private init(payloadKey: String, apiName: APIName, type: ApexFieldType, picklistValues: [String]) {
        self.payloadKey = payloadKey
        self.apiName = apiName
        self.type = type
        self.picklistValues = picklistValues
    }

    /// The same field with its API name in `namespace` (or without a prefix when `nil`).
    func inNamespace(_ namespace: ApexNamespace?) -> ApexFieldSpec {
        // The name part and suffix were checked when the field was made, and the namespace when it was parsed,
        // so renaming cannot fail; the fallback keeps the checked name.
        let renamed = (try? apiName.inNamespace(namespace?.prefix)) ?? apiName
        return ApexFieldSpec(payloadKey: payloadKey, apiName: renamed, type: type, picklistValues: picklistValues)
    }

    /// The API name without the namespace prefix, as Salesforce DX source files inside the namespace name it.
    public var localName: String { apiName.name + "__c" }

    /// Parses `NAME:TYPE`, or `NAME:Picklist(A|B|C)` for a picklist, as the CLI's `--field` takes it.
    /// - Parameter text: E.g. `Score:Number`, `Channel:Picklist(Email|Push)`.
    /// - Throws: ``ApexSpecError`` naming the broken rule.
    public init(parsing text: String) throws(ApexSpecError) {
        guard let colon = text.firstIndex(of: ":") else {
            throw ApexSpecError(
                .invalidFieldSyntax, "field '\(text)' must be written NAME:TYPE, for example Score:Number")
        }
        let name = String(text[..<colon]).trimmingCharacters(in: .whitespaces)
        var typeText = String(text[text.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
        var values: [String] = []
        if let open = typeText.firstIndex(of: "(") {
            guard typeText.hasSuffix(")") else {
                throw ApexSpecError(
                    .invalidFieldSyntax, "field '\(text)': picklist values go in parentheses, e.g. \(name):Picklist(Email|Push)")
            }
            let inside = typeText[typeText.index(after: open)..<typeText.index(before: typeText.endIndex)]
            values = inside.split(separator: "|", omittingEmptySubsequences: false).map(String.init)
            typeText = String(typeText[..<open]).trimmingCharacters(in: .whitespaces)
        }
        guard !name.isEmpty else {
            throw ApexSpecError(.invalidFieldSyntax, "field '\(text)' has no name before ':'; write NAME:TYPE")
        }
        try self.init(name: name, type: try ApexFieldType(typeText), picklistValues: values)
    }

    /// The field's label: the name with underscores as spaces (`NPS_Score` → `NPS Score`).
    public var label: String { apiName.name.replacingOccurrences(of: "_", with: " ") }
}
