import FerryCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Dispatch
import Foundation

/// The `LOCK` file that keeps a second ``FileOutbox`` (in this process or another) out of a directory.
///
/// Another process is kept out by a POSIX record lock (`fcntl(F_SETLK)`) on the whole file. Such a lock belongs to
/// the process: a child the host forks (or spawns) never inherits it, so a directory is never left locked by a
/// child after its parent ends, and the lock disappears with the process however it ends. Record locks do not
/// exclude the same process, so this process's own outboxes are kept apart by a table of held directories,
/// checked and updated together with the lock. The file holds the holder's process id for people; it is never
/// deleted (deleting lock files races). Nothing else in the process may open the `LOCK` file: closing any
/// descriptor of it would release the record lock.
///
/// An outbox dropped without `close()` releases its directory from its writer thread, a moment later. Opening the
/// directory again in between waits for that release (a handshake, not a poll: the release signals it), bounded by
/// ``releaseWait`` as a guard against a writer stuck in the kernel; a directory held by a live outbox fails at once.
enum JournalDirectoryLock {
    static let fileName = "LOCK"
    /// The longest an open waits for a dropped outbox's writer to release the directory.
    static let releaseWait: Duration = .seconds(10)

    /// A held lock. Its `id` is never reused (descriptors are), so a dropped outbox marks only its own lock.
    struct Handle: Sendable, Hashable {
        let id: UInt64
        let descriptor: Int32
    }

    private struct Holder {
        let directory: String
        let descriptor: Int32
        /// Entered while held, left on release: an open waits on it for a releasing holder.
        let released: DispatchGroup
        /// The holder's outbox is gone; its writer is stopping and will release the lock.
        var releasing = false
    }

    private struct Table {
        var held: [UInt64: Holder] = [:]
        var lastID: UInt64 = 0
    }

    /// Directories this process holds, by handle id.
    private static let heldHere = FerryMutex(Table())

    /// Takes the lock, waiting (up to `releaseWait`) for a dropped outbox of this process that is releasing it.
    /// - Parameters:
    ///   - directory: The outbox directory.
    ///   - releaseWait: The longest to wait for a releasing outbox (``releaseWait`` unless a test shortens it).
    /// - Returns: The handle of the lock; ``release(_:)`` releases it.
    /// - Throws: ``FileOutboxError/Kind/locked`` when someone else holds it,
    ///   ``FileOutboxError/Kind/releasePending`` when a dropped outbox still holds it after the wait, an I/O error
    ///   otherwise.
    static func acquire(directory: String, releaseWait: Duration = Self.releaseWait) throws(FileOutboxError) -> Handle {
        let releasing = heldHere.withLock { table in
            table.held.values.first { $0.directory == directory && $0.releasing }?.released
        }
        if let releasing {
            _ = releasing.wait(timeout: .now() + .nanoseconds(Int(releaseWait.seconds * 1e9)))
        }
        return try take(directory: directory, waited: releaseWait)
    }

    /// Marks the lock as being released by a stopping writer (its outbox was dropped).
    static func markReleasing(_ handle: Handle) {
        heldHere.withLock { table in table.held[handle.id]?.releasing = true }
    }

    private static func take(directory: String, waited: Duration) throws(FileOutboxError) -> Handle {
        let path = directory + "/" + fileName
        return try heldHere.withLock { table throws(FileOutboxError) -> Handle in
            if let holder = table.held.values.first(where: { $0.directory == directory }) {
                // A releasing holder here means the wait in `acquire` ran out: its outbox is gone, so "use or close
                // that instance" would be advice nobody can follow.
                if holder.releasing { throw FileOutboxError.releasePending(directory: directory, waited: waited) }
                throw FileOutboxError.locked(directory: directory, holder: getpid(), thisProcess: true)
            }
            let fd = try JournalFileSystem.openFile(path, O_RDWR | O_CREAT, operation: "open the outbox lock file")
            var lock = wholeFileWriteLock()
            if fcntl(fd, F_SETLK, &lock) != 0 {
                let code = errno
                var probe = wholeFileWriteLock()
                let holder: Int32? = fcntl(fd, F_GETLK, &probe) == 0 && probe.l_type != Int16(F_UNLCK) ? probe.l_pid : nil
                JournalFileSystem.closeFile(fd)
                if code == EACCES || code == EAGAIN {
                    throw FileOutboxError.locked(directory: directory, holder: holder, thisProcess: false)
                }
                throw FileOutboxError.io("lock the outbox directory (fcntl)", path: path, errno: code)
            }
            let text = Array("\(getpid())\n".utf8)
            _ = ftruncate(fd, 0)
            _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
            let released = DispatchGroup()
            released.enter()
            table.lastID += 1
            table.held[table.lastID] = Holder(directory: directory, descriptor: fd, released: released)
            return Handle(id: table.lastID, descriptor: fd)
        }
    }

    /// Releases the lock taken by ``acquire(directory:releaseWait:)``.
    static func release(_ handle: Handle) {
        let holder = heldHere.withLock { table in
            defer {
                table.held[handle.id] = nil
                JournalFileSystem.closeFile(handle.descriptor)
            }
            return table.held[handle.id]
        }
        holder?.released.leave()
    }

    private static func wholeFileWriteLock() -> flock {
        var lock = flock()
        lock.l_type = Int16(F_WRLCK)
        lock.l_whence = Int16(SEEK_SET)
        lock.l_start = 0
        lock.l_len = 0
        return lock
    }
}
