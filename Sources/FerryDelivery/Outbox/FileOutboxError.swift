#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Why a ``FileOutbox`` could not open its directory or read or write its journal.
///
/// Compare ``kind`` with the static members to react to one case (`error.kind == .locked`); the
/// ``description`` says what happened, why, and what to do, with the path involved. Item payloads never appear in
/// it.
public struct FileOutboxError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The category of the failure.
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        enum Code: String, Sendable, Hashable {
            case locked, unusableDirectory, io, closed, failed, itemTooLarge, releasePending, invalidConfiguration
        }

        let code: Code

        /// Another ``FileOutbox`` (in this process or another) holds the directory.
        public static let locked = Kind(code: .locked)
        /// The path cannot be used as an outbox directory (it is a file, or cannot be created).
        public static let unusableDirectory = Kind(code: .unusableDirectory)
        /// A read, write, flush or delete failed.
        public static let io = Kind(code: .io)
        /// The outbox was closed.
        public static let closed = Kind(code: .closed)
        /// An earlier write or flush failed, so the journal may not hold what memory holds; nothing more is
        /// accepted until the outbox is reopened.
        public static let failed = Kind(code: .failed)
        /// An item's stored form exceeds ``FileOutbox/Configuration/maximumItemSize``.
        public static let itemTooLarge = Kind(code: .itemTooLarge)
        /// A ``FileOutbox`` of this process that was dropped without `close()` still holds the directory: its
        /// writer has not released it within the wait (a stalled disk, for instance). Opening again later works
        /// once it has.
        public static let releasePending = Kind(code: .releasePending)
        /// The ``FileOutbox/Configuration`` failed ``FileOutbox/Configuration/validate()``; nothing was opened.
        public static let invalidConfiguration = Kind(code: .invalidConfiguration)

        /// A short, stable name, safe as a metrics label (`"locked"`, `"io"`, ...).
        public var description: String { code.rawValue }
    }

    /// What kind of failure this is.
    public let kind: Kind
    /// The file or directory involved.
    public let path: String
    /// What happened, why, and what to do.
    public let message: String

    /// The message.
    public var description: String { message }

    static func locked(directory: String, holder: Int32?, thisProcess: Bool) -> FileOutboxError {
        let who: String
        let what: String
        if thisProcess {
            who = "this process (pid \(getpid())) already has a FileOutbox open on it"
            what = "use that instance (share it between pipelines) or close it before opening the directory again"
        } else {
            who = "another process\(holder.map { " (pid \($0))" } ?? "") holds its lock file \(directory)/LOCK"
            what = "stop that process or wait for it to exit, or give this process its own outbox directory; two writers on one journal would corrupt it"
        }
        return FileOutboxError(
            kind: .locked, path: directory,
            message: "cannot open the outbox directory \(directory): \(who); \(what)")
    }

    static func invalidConfiguration(_ error: ConfigurationError, directory: String) -> FileOutboxError {
        FileOutboxError(
            kind: .invalidConfiguration, path: directory,
            message: "cannot open the outbox directory \(directory): its configuration is invalid: \(error.message)")
    }

    static func releasePending(directory: String, waited: Duration) -> FileOutboxError {
        FileOutboxError(
            kind: .releasePending, path: directory,
            message: "cannot open the outbox directory \(directory): a FileOutbox of this process that was dropped "
                + "without close() has not released it after \(waited) (its writer is still finishing its last "
                + "write: a stalled or very slow disk?); retry the open later, check the disk, and close() an "
                + "outbox before opening its directory again")
    }

    static func unusableDirectory(_ path: String, reason: String) -> FileOutboxError {
        FileOutboxError(
            kind: .unusableDirectory, path: path,
            message: "cannot use \(path) as an outbox directory: \(reason); pass the path of a directory (it is created if missing) that this process can write")
    }

    static func io(_ operation: String, path: String, errno code: Int32) -> FileOutboxError {
        let advice: String
        switch code {
        case ENOSPC, EDQUOT: advice = "free disk space (or raise the quota) and reopen the outbox"
        case EACCES, EPERM, EROFS: advice = "give this process write permission on the directory (and check it is not on a read-only file system)"
        case EIO: advice = "the disk reported an I/O error; check the device, then reopen the outbox (recovery skips damaged records and reports them)"
        case EISDIR: advice = "remove or rename whatever is at that path; only Ferry's segment files may use the segment-*.journal names"
        default: advice = "check the file system, then reopen the outbox"
        }
        return FileOutboxError(
            kind: .io, path: path,
            message: "could not \(operation) \(path): \(JournalFileSystem.errorText(code)) (errno \(code)); \(advice)")
    }

    static func closed(_ directory: String) -> FileOutboxError {
        FileOutboxError(
            kind: .closed, path: directory,
            message: "the outbox on \(directory) is closed; open a new FileOutbox on the directory to use it again (what it held is kept)")
    }

    static func failed(_ directory: String, cause: FileOutboxError) -> FileOutboxError {
        FileOutboxError(
            kind: .failed, path: directory,
            message: "the outbox on \(directory) stopped after an earlier journal failure (\(cause.message)); items accepted before it are safe on disk; fix the cause and open a new FileOutbox on the directory, whose recovery replays the journal")
    }

    static func itemTooLarge(id: String, size: Int, limit: Int, directory: String) -> FileOutboxError {
        FileOutboxError(
            kind: .itemTooLarge, path: directory,
            message: "item \(id) is \(size) bytes once stored, more than the outbox's limit of \(limit) bytes, so it was not accepted; send a smaller payload or raise FileOutbox.Configuration.maximumItemSize")
    }

    /// Whether two errors are of the same kind about the same path.
    /// - Parameters:
    ///   - lhs: One error.
    ///   - rhs: The other.
    /// - Returns: `true` when kind and path match.
    public static func == (lhs: FileOutboxError, rhs: FileOutboxError) -> Bool {
        lhs.kind == rhs.kind && lhs.path == rhs.path
    }

    /// Hashes the kind and path.
    /// - Parameter hasher: The hasher.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(kind)
        hasher.combine(path)
    }
}
