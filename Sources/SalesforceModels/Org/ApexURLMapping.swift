/// The `urlMapping` of an `@RestResource` Apex class, such as `/InsertNPSFeedback`.
///
/// Salesforce's rules: it starts with `/`, is at most 255 characters, is case-sensitive, and a `*` wildcard may
/// stand only as a whole segment between slashes or at the end (`/Feedback/*`).
public struct ApexURLMapping: Sendable, Hashable, CustomStringConvertible {
    /// The mapping, e.g. `/InsertNPSFeedback`.
    public let path: String

    /// Checks and wraps a URL mapping.
    /// - Parameter path: The mapping as written in `@RestResource(urlMapping='...')`.
    /// - Throws: ``SalesforceOrgError`` of kind ``SalesforceOrgError/Kind/invalidMapping`` naming the broken rule.
    public init(_ path: String) throws(SalesforceOrgError) {
        guard path.hasPrefix("/") else {
            throw SalesforceOrgError(.invalidMapping, "URL mapping '\(path)' must start with '/', for example /\(path)")
        }
        guard path.count > 1 else {
            throw SalesforceOrgError(.invalidMapping, "URL mapping '/' needs a name after the slash, for example /InsertNPSFeedback")
        }
        guard path.count <= 255 else {
            throw SalesforceOrgError(.invalidMapping, "URL mapping is \(path.count) characters long; Salesforce allows at most 255")
        }
        let segments = path.dropFirst().split(separator: "/", omittingEmptySubsequences: false)
        for segment in segments {
            if segment.isEmpty {
                throw SalesforceOrgError(.invalidMapping, "URL mapping '\(path)' has an empty segment ('//' or a trailing '/'); remove it")
            }
            if segment.contains("*") && segment != "*" {
                throw SalesforceOrgError(
                    .invalidMapping,
                    "URL mapping '\(path)' uses '*' inside a segment; a wildcard must be a whole segment between slashes or at the end, as in /Feedback/*"
                )
            }
            let allowed = segment.allSatisfy { character in
                character.isASCIILetterCharacter || character.isASCIIDigitCharacter || "-_.~*".contains(character)
            }
            if !allowed {
                throw SalesforceOrgError(
                    .invalidMapping,
                    "URL mapping '\(path)' may hold only letters, digits and - _ . ~ between slashes (no spaces, quotes or ?#)"
                )
            }
        }
        self.path = path
    }

    /// The segments after the leading slash.
    public var segments: [String] { path.dropFirst().split(separator: "/").map(String.init) }

    /// Whether the mapping holds a `*` wildcard.
    public var hasWildcard: Bool { segments.contains("*") }

    /// The mapping.
    public var description: String { path }
}
