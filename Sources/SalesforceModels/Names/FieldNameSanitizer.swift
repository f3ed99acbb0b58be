import Foundation

/// Turns CleverTap property names (spaces, punctuation, accents, up to 120 characters) into valid, unique
/// Salesforce field API names.
///
/// The rules, applied in order: accents are dropped (`Café` → `Cafe`); every run of characters other than ASCII
/// letters and digits becomes one `_`; leading and trailing underscores go; a name starting with a digit gets an
/// `X` in front (as Salesforce's own Setup does); an empty result becomes `Field`; the name is cut to 40
/// characters (without leaving a trailing `_`); `__c` (and the namespace, if any) is added.
///
/// Names are unique without regard to case, as Salesforce compares them: when a name is taken, `_2`, `_3`, ...
/// is appended (cutting the name further so it still fits in 40 characters). The result depends only on the
/// order properties are asked for, so the same list always gives the same names, and asking for a property
/// again returns the name it got the first time.
///
/// ```swift
/// var sanitizer = FieldNameSanitizer()
/// sanitizer.fieldName(for: "User Rating").fullName   // "User_Rating__c"
/// sanitizer.fieldName(for: "user-rating").fullName   // "user_rating_2__c"
/// ```
public struct FieldNameSanitizer: Sendable {
    /// The namespace prefix put on every name, or `nil`.
    public let namespace: String?
    private var taken: Set<String>
    private var assigned: [String: APIName] = [:]

    /// Creates a sanitizer.
    /// - Parameters:
    ///   - namespace: A namespace prefix for every name (`CleverTap` gives `CleverTap__User_Rating__c`). An
    ///     invalid prefix is ignored, since the names must stay valid.
    ///   - reserved: Full API names already in use on the object (e.g. `Idempotency_Key__c`); never handed out.
    public init(namespace: String? = nil, reserved: [String] = []) {
        if let namespace, (try? APIName.checkNamespace(namespace, in: namespace)) != nil {
            self.namespace = namespace
        } else {
            self.namespace = nil
        }
        self.taken = Set(reserved.map { $0.lowercased() })
    }

    /// The field name for one property: the same property always gets the same name, different properties
    /// always get different names.
    /// - Parameter property: The CleverTap property name, e.g. `User Rating`.
    /// - Returns: A valid custom field API name.
    public mutating func fieldName(for property: String) -> APIName {
        if let known = assigned[property] { return known }
        let base = FieldNameSanitizer.cleanedName(property)
        var candidate = base
        var counter = 1
        while true {
            if let name = try? APIName(name: candidate, suffix: .custom, namespace: namespace),
                !taken.contains(name.fullName.lowercased())
            {
                taken.insert(name.fullName.lowercased())
                assigned[property] = name
                return name
            }
            counter += 1
            let tail = "_\(counter)"
            var head = String(base.prefix(APIName.maximumNameLength - tail.count))
            while head.hasSuffix("_") { head.removeLast() }
            candidate = head + tail
        }
    }

    /// Names for a list of properties, in order (see ``fieldName(for:)``).
    /// - Parameters:
    ///   - properties: The property names.
    ///   - namespace: A namespace prefix for every name, or `nil`.
    ///   - reserved: Full API names already in use.
    /// - Returns: Each property with its field name, in the order given (repeats included).
    public static func fieldNames(for properties: [String], namespace: String? = nil, reserved: [String] = [])
        -> [(property: String, field: APIName)]
    {
        var sanitizer = FieldNameSanitizer(namespace: namespace, reserved: reserved)
        return properties.map { ($0, sanitizer.fieldName(for: $0)) }
    }

    /// The cleaned name part (no suffix) for a text; always a valid name part.
    /// - Parameter text: Any text.
    /// - Returns: Letters, digits and single underscores, starting with a letter, at most 40 characters.
    public static func cleanedName(_ text: String) -> String {
        var output = ""
        var pendingSeparator = false
        for scalar in text.decomposedStringWithCanonicalMapping.unicodeScalars {
            if scalar.isASCII, (scalar.properties.isAlphabetic || ("0"..."9").contains(scalar)) {
                if pendingSeparator && !output.isEmpty { output.append("_") }
                pendingSeparator = false
                output.unicodeScalars.append(scalar)
            } else if scalar.properties.generalCategory == .nonspacingMark {
                continue  // an accent of the previous letter
            } else {
                pendingSeparator = true
            }
        }
        if output.isEmpty { output = "Field" }
        if let first = output.unicodeScalars.first, ("0"..."9").contains(first) { output = "X" + output }
        if output.count > APIName.maximumNameLength { output = String(output.prefix(APIName.maximumNameLength)) }
        while output.hasSuffix("_") { output.removeLast() }
        return output
    }

    /// A valid spelling of a full name that may be broken: a valid namespace prefix is kept
    /// (`CleverTap__User Rating__c` → `CleverTap__User_Rating__c`, not `CleverTap_User_Rating__c`), the name part
    /// is cleaned and a known suffix kept.
    /// - Parameter text: A full name such as `User Rating__c`.
    /// - Returns: E.g. `User_Rating__c`.
    static func suggestion(for text: String) -> String {
        var prefix = ""
        var rest = Substring(text)
        if let marker = rest.range(of: "__") {
            let candidate = String(rest[..<marker.lowerBound])
            let remainder = rest[marker.upperBound...]
            let isOnlySuffix = APIName.Suffix.all.contains { $0.rawValue == remainder.lowercased() }
            if !isOnlySuffix, !remainder.isEmpty, (try? APIName.checkNamespace(candidate, in: text)) != nil {
                prefix = candidate + "__"
                rest = remainder
            }
        }
        for suffix in APIName.Suffix.all where rest.lowercased().hasSuffix(suffix.description) {
            return prefix + cleanedName(String(rest.dropLast(suffix.description.count))) + suffix.description
        }
        return prefix + cleanedName(String(rest))
    }
}
