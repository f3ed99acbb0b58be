/// A checked Salesforce API name: an object, field, relationship, platform event or custom metadata type.
///
/// Rules (each reported by its own ``APINameError/Kind``): ASCII letters, digits and underscores only; begins
/// with a letter; no trailing underscore and no `__` in the name part; at most 40 characters before the suffix;
/// the suffix, when there is one, is `__c` (custom object or field), `__r` (relationship), `__e` (platform
/// event) or `__mdt` (custom metadata); a namespace prefix of 1 to 15 letters and digits may precede a suffixed
/// name (`CleverTap__Field__c`). Standard names (`Name`, `Account`, `LastName`) have neither.
///
/// ```swift
/// let field = try APIName("CleverTap__NPS_Score__c")
/// field.namespace   // "CleverTap"
/// field.name        // "NPS_Score"
/// field.suffix      // .custom
/// ```
public struct APIName: Sendable, Hashable, CustomStringConvertible {
    /// The ending that says what kind of custom component a name is.
    public struct Suffix: Sendable, Hashable, CustomStringConvertible {
        /// The suffix without underscores, e.g. `c`.
        public let rawValue: String

        /// `__c`: a custom object or field.
        public static let custom = Suffix(rawValue: "c")
        /// `__r`: a custom relationship.
        public static let relationship = Suffix(rawValue: "r")
        /// `__e`: a platform event.
        public static let platformEvent = Suffix(rawValue: "e")
        /// `__mdt`: a custom metadata type.
        public static let customMetadata = Suffix(rawValue: "mdt")

        static let all: [Suffix] = [.custom, .relationship, .platformEvent, .customMetadata]

        /// The suffix with its underscores, e.g. `__c`.
        public var description: String { "__" + rawValue }
    }

    /// The most characters allowed before the suffix.
    public static let maximumNameLength = 40

    /// The namespace prefix, e.g. `CleverTap`, or `nil`.
    public let namespace: String?
    /// The name part, e.g. `NPS_Score`.
    public let name: String
    /// The suffix, or `nil` for a standard name.
    public let suffix: Suffix?

    /// Checks a full API name.
    /// - Parameter text: The name, e.g. `Feedback__c`, `CleverTap__Score__c`, `LastName`.
    /// - Throws: ``APINameError`` naming the first rule the text breaks.
    public init(_ text: String) throws(APINameError) {
        guard !text.isEmpty else {
            throw APINameError(.empty, name: text, "an API name cannot be empty")
        }
        if let bad = text.first(where: { !($0.isASCIILetterCharacter || $0.isASCIIDigitCharacter || $0 == "_") }) {
            throw APINameError(
                .invalidCharacter, name: text,
                "'\(text)' contains \(APIName.describe(bad)): API names hold only letters, digits and underscores; try \(FieldNameSanitizer.suggestion(for: text))"
            )
        }
        var rest = Substring(text)
        var suffix: Suffix?
        if let marker = rest.range(of: "__", options: .backwards) {
            let ending = rest[marker.upperBound...]
            if let known = Suffix.all.first(where: { $0.rawValue == ending.lowercased() }) {
                suffix = known
                rest = rest[..<marker.lowerBound]
            } else if !ending.isEmpty, !ending.contains("_"), ending.count <= 4,
                ending.allSatisfy({ $0.isASCIILetterCharacter })
            {
                throw APINameError(
                    .unknownSuffix, name: text,
                    "'\(text)' ends in '__\(ending)': the suffixes Ferry writes to are __c (custom object or field), __r (relationship), __e (platform event) and __mdt (custom metadata)"
                )
            }
        }
        var namespace: String?
        if suffix != nil, let marker = rest.range(of: "__") {
            let prefix = String(rest[..<marker.lowerBound])
            let remainder = rest[marker.upperBound...]
            if !remainder.contains("__") && !prefix.isEmpty && !prefix.contains("_") {
                namespace = prefix
                rest = remainder
            }
        } else if suffix == nil, let marker = rest.range(of: "__") {
            let prefix = rest[..<marker.lowerBound]
            let remainder = rest[marker.upperBound...]
            if !prefix.isEmpty, !prefix.contains("_"), !remainder.isEmpty, !remainder.contains("__") {
                throw APINameError(
                    .namespaceWithoutSuffix, name: text,
                    "'\(text)' looks like a namespaced name without a suffix: custom names end in __c (object or field), __r, __e or __mdt, e.g. \(text)__c"
                )
            }
        }
        if let namespace { try APIName.checkNamespace(namespace, in: text) }
        try APIName.checkNamePart(String(rest), in: text, hasSuffix: suffix != nil)
        self.namespace = namespace
        self.name = String(rest)
        self.suffix = suffix
    }

    /// Builds and checks a name from its parts.
    /// - Parameters:
    ///   - name: The name part, e.g. `NPS_Score`.
    ///   - suffix: The suffix, or `nil` for a standard name.
    ///   - namespace: The namespace prefix, or `nil`.
    /// - Throws: ``APINameError`` naming the first rule the parts break.
    public init(name: String, suffix: Suffix?, namespace: String? = nil) throws(APINameError) {
        var full = ""
        if let namespace { full += namespace + "__" }
        full += name
        if let suffix { full += suffix.description }
        if let bad = full.first(where: { !($0.isASCIILetterCharacter || $0.isASCIIDigitCharacter || $0 == "_") }) {
            throw APINameError(
                .invalidCharacter, name: full,
                "'\(full)' contains \(APIName.describe(bad)): API names hold only letters, digits and underscores; try \(FieldNameSanitizer.suggestion(for: full))"
            )
        }
        if namespace != nil && suffix == nil {
            throw APINameError(
                .namespaceWithoutSuffix, name: full,
                "'\(full)': a namespace prefix is only used on custom names ending in __c, __r, __e or __mdt"
            )
        }
        if let namespace { try APIName.checkNamespace(namespace, in: full) }
        try APIName.checkNamePart(name, in: full, hasSuffix: suffix != nil)
        self.namespace = namespace
        self.name = name
        self.suffix = suffix
    }

    /// Checks a name that must be custom: it must end in `__c` (custom objects and fields).
    /// - Parameter text: The name.
    /// - Returns: The checked name.
    /// - Throws: ``APINameError``; ``APINameError/Kind/suffixRequired`` when it has no `__c`.
    public static func custom(_ text: String) throws(APINameError) -> APIName {
        let parsed = try APIName(text)
        guard parsed.suffix == .custom else {
            throw APINameError(
                .suffixRequired, name: text,
                "'\(text)' must be a custom name ending in __c, e.g. \(parsed.namespace.map { $0 + "__" } ?? "")\(parsed.name)__c"
            )
        }
        return parsed
    }

    /// The full API name, e.g. `CleverTap__NPS_Score__c`.
    public var fullName: String {
        var full = ""
        if let namespace { full += namespace + "__" }
        full += name
        if let suffix { full += suffix.description }
        return full
    }

    /// Whether the name has a suffix (is a custom component).
    public var isCustom: Bool { suffix != nil }

    /// The same name in another namespace (or none).
    /// - Parameter namespace: The namespace prefix, or `nil` to remove it.
    /// - Returns: The renamed name.
    /// - Throws: ``APINameError`` when the namespace is invalid or the name has no suffix.
    public func inNamespace(_ namespace: String?) throws(APINameError) -> APIName {
        try APIName(name: name, suffix: suffix, namespace: namespace)
    }

    /// Whether two names address the same component: Salesforce compares API names without regard to case.
    /// - Parameter other: Another name.
    /// - Returns: `true` when the full names are equal ignoring case.
    public func matches(_ other: APIName) -> Bool { fullName.lowercased() == other.fullName.lowercased() }

    /// The full API name.
    public var description: String { fullName }

    static func checkNamespace(_ namespace: String, in text: String) throws(APINameError) {
        guard (1...15).contains(namespace.count),
            namespace.allSatisfy({ $0.isASCIILetterCharacter || $0.isASCIIDigitCharacter }),
            let first = namespace.first, first.isASCIILetterCharacter
        else {
            throw APINameError(
                .invalidNamespace, name: text,
                "'\(text)' has namespace prefix '\(namespace)': a namespace is 1 to 15 letters and digits starting with a letter, as in CleverTap__Score__c"
            )
        }
    }

    static func checkNamePart(_ part: String, in text: String, hasSuffix: Bool) throws(APINameError) {
        guard !part.isEmpty else {
            throw APINameError(.empty, name: text, "'\(text)' has no name before its suffix; write e.g. Score\(hasSuffix ? "__c" : "")")
        }
        guard let first = part.first, first.isASCIILetterCharacter else {
            throw APINameError(
                .mustStartWithLetter, name: text,
                "'\(text)' must begin with a letter; try X\(part)\(text.hasSuffix(part) ? "" : "…")"
            )
        }
        guard !part.contains("__") else {
            throw APINameError(
                .consecutiveUnderscores, name: text,
                "'\(text)' has two underscores in a row in its name part; only the namespace and suffix separators may be '__' (try \(FieldNameSanitizer.cleanedName(part)))"
            )
        }
        guard part.last != "_" else {
            throw APINameError(
                .trailingUnderscore, name: text,
                "'\(text)' ends its name part with an underscore; remove it (\(part.dropLast())\(hasSuffix ? "__c" : ""))"
            )
        }
        guard part.count <= APIName.maximumNameLength else {
            throw APINameError(
                .tooLong, name: text,
                "'\(text)' has \(part.count) characters before its suffix; Salesforce allows at most \(APIName.maximumNameLength)"
            )
        }
    }

    static func describe(_ character: Character) -> String {
        switch character {
        case " ": "' ' (a space)"
        case "\t": "a tab"
        case "-": "'-' (a hyphen)"
        default: "'\(character)'"
        }
    }
}
