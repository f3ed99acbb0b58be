/// The state of a Bulk API 2.0 ingest job; unknown states are kept as they came.
public struct BulkJobState: Sendable, Hashable, CustomStringConvertible {
    /// The state as Salesforce writes it.
    public let rawValue: String

    /// Wraps a state.
    /// - Parameter rawValue: The state, e.g. `JobComplete`.
    public init(_ rawValue: String) { self.rawValue = rawValue }

    /// Created; data may be uploaded.
    public static let open = BulkJobState("Open")
    /// The client said the upload is complete; Salesforce queues the job.
    public static let uploadComplete = BulkJobState("UploadComplete")
    /// Salesforce is processing the job.
    public static let inProgress = BulkJobState("InProgress")
    /// Processing finished; results are ready (some rows may still have failed).
    public static let jobComplete = BulkJobState("JobComplete")
    /// The job failed as a whole; see `errorMessage`.
    public static let failed = BulkJobState("Failed")
    /// The job was aborted.
    public static let aborted = BulkJobState("Aborted")

    /// Whether polling can stop: `JobComplete`, `Failed` or `Aborted`.
    public var isTerminal: Bool { self == .jobComplete || self == .failed || self == .aborted }

    /// The state.
    public var description: String { rawValue }
}
