/// Whether sending an item again can succeed, as judged from one failed attempt.
public struct Retryability: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case final, transient, rateLimited
    }

    let code: Code

    /// Sending again cannot help until something is changed (a missing required field, a wrong Apex path, an
    /// Apex `"Error: ..."` reply): the item fails after this attempt.
    public static let final = Retryability(code: .final)
    /// A passing fault (a 5xx, a timeout, `UNABLE_TO_LOCK_ROW`, `SERVER_UNAVAILABLE`): retry with backoff.
    public static let transient = Retryability(code: .transient)
    /// An API limit was hit (`REQUEST_LIMIT_EXCEEDED`): retry after a longer pause.
    public static let rateLimited = Retryability(code: .rateLimited)

    /// Whether another attempt may succeed.
    public var canRetry: Bool { code != .final }

    /// `"final"`, `"transient"` or `"rateLimited"`.
    public var description: String { code.rawValue }
}
