import FerryCore

/// What an Apex REST reply means: the data was stored, or it was not and why.
public enum ApexReply: Sendable, Hashable {
    /// The class accepted the payload.
    case success(ApexSuccess)
    /// The class (or Salesforce in front of it) refused or failed; nothing can be assumed stored.
    case failure(ApexFailure)

    /// Whether this is a success.
    public var isSuccess: Bool {
        if case .success = self { return true }
        return false
    }

    /// The failure, when this is one.
    public var failure: ApexFailure? {
        if case .failure(let failure) = self { return failure }
        return nil
    }
}

/// A successful Apex REST reply.
public struct ApexSuccess: Sendable, Hashable {
    /// The HTTP status (2xx).
    public var status: Int
    /// The body parsed as JSON, when it is JSON (`"Success"` gives `.string("Success")`).
    public var body: JSONValue?
    /// The record id, when the body reports one (`{"id":"a01..."}`).
    public var recordID: String?
    /// Whether a record was created (`true`) or an existing one updated (`false`), when the body says so.
    public var created: Bool?

    /// Creates a success.
    /// - Parameters:
    ///   - status: The HTTP status.
    ///   - body: The parsed body.
    ///   - recordID: The record id.
    ///   - created: Whether a record was created.
    public init(status: Int, body: JSONValue? = nil, recordID: String? = nil, created: Bool? = nil) {
        self.status = status
        self.body = body
        self.recordID = recordID
        self.created = created
    }
}
