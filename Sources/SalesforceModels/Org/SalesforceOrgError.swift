/// Why a Salesforce org URL, API version, namespace, Apex URL mapping or URL path component was refused.
///
/// Compare ``kind`` with the static members to react to one problem (`error.kind == .loginHost`). The
/// description says what was wrong and what to use instead, e.g. `login.salesforce.com does not serve the client
/// credentials flow: use your My Domain host, https://<MyDomain>.my.salesforce.com`.
public struct SalesforceOrgError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the problem.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case invalidURL, insecureScheme, loginHost, lightningHost, setupHost, notMyDomain, hasPath
            case invalidVersion, invalidNamespace, invalidMapping, invalidPathComponent
        }

        let code: Code

        /// The text is not an absolute URL with a host.
        public static let invalidURL = Kind(code: .invalidURL)
        /// `http://` to a host that is not loopback, or a scheme other than http(s).
        public static let insecureScheme = Kind(code: .insecureScheme)
        /// `login.salesforce.com` or `test.salesforce.com`, which refuse the client credentials flow.
        public static let loginHost = Kind(code: .loginHost)
        /// A Lightning Experience host (`*.lightning.force.com`).
        public static let lightningHost = Kind(code: .lightningHost)
        /// A Setup host (`*.salesforce-setup.com`).
        public static let setupHost = Kind(code: .setupHost)
        /// Any other host that is not a My Domain host.
        public static let notMyDomain = Kind(code: .notMyDomain)
        /// The URL has a path, query or fragment where only the org's origin belongs.
        public static let hasPath = Kind(code: .hasPath)
        /// An API version that is not `vNN.N` or `NN.N`.
        public static let invalidVersion = Kind(code: .invalidVersion)
        /// A namespace prefix that is not 1-15 letters and digits starting with a letter.
        public static let invalidNamespace = Kind(code: .invalidNamespace)
        /// An Apex REST URL mapping that breaks Salesforce's rules.
        public static let invalidMapping = Kind(code: .invalidMapping)
        /// An object, field, job id or external-ID value that cannot be put in a URL path.
        public static let invalidPathComponent = Kind(code: .invalidPathComponent)

        /// A short, stable name (`"loginHost"`, ...), safe as a metrics label.
        public var description: String { code.rawValue }
    }

    /// What kind of problem this is.
    public let kind: Kind
    /// What was wrong and what to do, in words.
    public let message: String

    init(_ code: Kind.Code, _ message: String) {
        self.kind = Kind(code: code)
        self.message = message
    }

    /// What was wrong and what to do.
    public var description: String { message }
}
