/// How the generated class fills the record's `Name`: as the seed's class does, a fixed prefix plus one payload
/// value (`'NPS-' + userId`), or not at all, leaving it to an auto-number (`REC-0000001`).
///
/// `ferry apex --record-name 'NPS-{userId}'` or `--record-name auto`.
public struct ApexRecordName: Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable {
        case autoNumber
        case payload(prefix: String, key: String)
    }
    let code: Code

    /// An auto-number `Name` (`REC-{0000000}`); the class never sets it.
    public static let autoNumber = ApexRecordName(code: .autoNumber)

    /// A Text(80) `Name` set to `prefix` plus the payload's value at `key` (`null` when it is missing, as the
    /// seed's `'NPS-' + input.userId` gives), cut to 80 characters.
    /// - Parameters:
    ///   - prefix: Text before the value, e.g. `NPS-`.
    ///   - key: A payload key of one of the spec's fields, e.g. `userId`.
    /// - Returns: The rule (checked when the spec is built).
    public static func payload(prefix: String, key: String) -> ApexRecordName {
        ApexRecordName(code: .payload(prefix: prefix, key: key))
    }

    private init(code: Code) { self.code = code }

    /// The longest prefix accepted (half the `Name` field, so the value always shows).
    public static let maximumPrefixLength = 40

    /// Parses the CLI's form: `auto`, or `PREFIX{key}` (`NPS-{userId}`; `{userId}` alone has no prefix).
    /// - Parameter text: The text of `--record-name`.
    /// - Throws: ``ApexSpecError`` of kind ``ApexSpecError/Kind/invalidRecordName``.
    public init(parsing text: String) throws(ApexSpecError) {
        if text.lowercased() == "auto" {
            self = .autoNumber
            return
        }
        let scalars = Array(text.unicodeScalars)
        guard scalars.last == "}", let open = scalars.lastIndex(of: "{"), open < scalars.count - 2 else {
            throw ApexSpecError(
                .invalidRecordName,
                "record name '\(text)' must be 'auto' or a prefix and a payload key in braces, e.g. NPS-{userId} (as the seed's 'NPS-' + userId)")
        }
        let prefix = String(String.UnicodeScalarView(scalars[..<open]))
        let key = String(String.UnicodeScalarView(scalars[(open + 1)..<(scalars.count - 1)]))
        self = .payload(prefix: prefix, key: key)
    }

    /// `auto`, or `PREFIX{key}`.
    public var description: String {
        switch code {
        case .autoNumber: "auto"
        case .payload(let prefix, let key): "\(prefix){\(key)}"
        }
    }

    /// The prefix and key, or `nil` for an auto-number.
    public var prefixAndKey: (prefix: String, key: String)? {
        if case .payload(let prefix, let key) = code { return (prefix, key) }
        return nil
    }

    /// The seed's rule for an object: its name after the last underscore and a hyphen (`CleverTap_NPS__c` →
    /// `NPS-`), then the first text field's key (or the first field's), as `'NPS-' + input.userId`.
    static func seedDefault(object: APIName, fields: [ApexFieldSpec]) -> ApexRecordName {
        let word = object.name.split(separator: "_").last.map(String.init) ?? object.name
        let field = fields.first { $0.type == .text } ?? fields.first
        return .payload(prefix: word + "-", key: field?.payloadKey ?? "")
    }

    /// Checks the rule against the spec's fields.
    func check(fields: [ApexFieldSpec]) throws(ApexSpecError) {
        guard let (prefix, key) = prefixAndKey else { return }
        guard fields.contains(where: { $0.payloadKey == key }) else {
            let keys = fields.map(\.payloadKey)
            let likely = keys.first { $0.lowercased() == key.lowercased() } ?? keys.first ?? ""
            throw ApexSpecError(
                .invalidRecordName,
                "record name '\(self)' uses the payload key '\(key)', which no field reads; use one of \(keys.joined(separator: ", ")), e.g. \(prefix){\(likely)}")
        }
        guard prefix.count <= ApexRecordName.maximumPrefixLength else {
            throw ApexSpecError(
                .invalidRecordName,
                "record name prefix '\(prefix)' has \(prefix.count) characters; at most \(ApexRecordName.maximumPrefixLength), so the value still fits the 80-character Name")
        }
        if let bad = ApexSourceText.firstUnrepresentable(prefix) {
            throw ApexSpecError(
                .invalidRecordName,
                "record name prefix holds the control character \(ApexSourceText.codePoint(bad)); a Name cannot show it: remove it")
        }
    }
}
