/// A namespace prefix such as `CleverTap`: 1 to 15 letters and digits, starting with a letter.
///
/// A class in a namespaced org or managed package is reachable only at
/// `/services/apexrest/<namespace>/<mapping>`; without the namespace Salesforce answers 404 `NOT_FOUND`.
public struct ApexNamespace: Sendable, Hashable, CustomStringConvertible {
    /// The prefix as given, e.g. `CleverTap`.
    public let prefix: String

    /// Checks and wraps a namespace prefix.
    /// - Parameter prefix: The prefix, without underscores (`CleverTap`, not `CleverTap__`).
    /// - Throws: ``SalesforceOrgError`` of kind ``SalesforceOrgError/Kind/invalidNamespace``.
    public init(_ prefix: String) throws(SalesforceOrgError) {
        guard !prefix.isEmpty, prefix.count <= 15 else {
            throw SalesforceOrgError(
                .invalidNamespace,
                "namespace prefix '\(prefix)' must be 1 to 15 characters long (it has \(prefix.count)); copy it from Setup > Package Manager or your managed package"
            )
        }
        guard prefix.allSatisfy({ $0.isASCIILetterCharacter || $0.isASCIIDigitCharacter }) else {
            throw SalesforceOrgError(
                .invalidNamespace,
                "namespace prefix '\(prefix)' may hold only letters and digits (no underscores, spaces or punctuation): write it as in CleverTap, not CleverTap__"
            )
        }
        guard let first = prefix.first, first.isASCIILetterCharacter else {
            throw SalesforceOrgError(.invalidNamespace, "namespace prefix '\(prefix)' must start with a letter")
        }
        self.prefix = prefix
    }

    /// The prefix.
    public var description: String { prefix }
}
