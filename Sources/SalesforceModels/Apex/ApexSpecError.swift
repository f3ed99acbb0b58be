/// Why an Apex object spec was refused; the message names the broken rule and the fix.
public struct ApexSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The rule that was broken.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case invalidObject, invalidField, invalidFieldSyntax, unknownType, duplicateField, reservedField
            case noFields, invalidNamespace, invalidMapping, invalidClassName, picklistValues, namespaceMismatch, invalidRecordName
            case invalidOption
        }
        let code: Code

        /// The object name breaks a naming rule, is not custom (`__c`), or carries a namespace prefix when no
        /// namespace was given.
        public static let invalidObject = Kind(code: .invalidObject)
        /// A field name breaks a naming rule.
        public static let invalidField = Kind(code: .invalidField)
        /// A field is not written `NAME:TYPE`.
        public static let invalidFieldSyntax = Kind(code: .invalidFieldSyntax)
        /// A type that is not one of Text, LongText, Number, Checkbox, Date, DateTime, Email, Phone, Url, Picklist.
        public static let unknownType = Kind(code: .unknownType)
        /// Two fields with the same API name (names compare without case).
        public static let duplicateField = Kind(code: .duplicateField)
        /// A field that clashes with one the generator adds (`Idempotency_Key__c`) or a standard field.
        public static let reservedField = Kind(code: .reservedField)
        /// No fields were given.
        public static let noFields = Kind(code: .noFields)
        /// An invalid namespace prefix.
        public static let invalidNamespace = Kind(code: .invalidNamespace)
        /// An invalid URL mapping.
        public static let invalidMapping = Kind(code: .invalidMapping)
        /// A class name that is not a valid Apex class name.
        public static let invalidClassName = Kind(code: .invalidClassName)
        /// A picklist without values, or with an invalid value.
        public static let picklistValues = Kind(code: .picklistValues)
        /// The object or a field carries a namespace prefix other than the spec's namespace.
        public static let namespaceMismatch = Kind(code: .namespaceMismatch)
        /// The record Name rule (`--record-name`) is invalid: an unknown payload key, or a prefix Salesforce
        /// cannot store.
        public static let invalidRecordName = Kind(code: .invalidRecordName)
        /// An option's value is not one of its choices (e.g. `--missing-datetime later`).
        public static let invalidOption = Kind(code: .invalidOption)

        /// A short, stable name of the rule.
        public var description: String { code.rawValue }
    }

    /// The rule that was broken.
    public let kind: Kind
    /// What is wrong and how to fix it.
    public let message: String

    init(_ code: Kind.Code, _ message: String) {
        self.kind = Kind(code: code)
        self.message = message
    }

    /// What is wrong and how to fix it.
    public var description: String { message }
}
