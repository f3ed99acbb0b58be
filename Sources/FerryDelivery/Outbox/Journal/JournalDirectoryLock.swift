#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Synchronization

/// The `LOCK` file that keeps a second ``FileOutbox`` (in this process or another) out of a directory.
///
/// It is an advisory `flock` on an open file description, so a second `open` in the same process is refused as
/// well as another process, and the lock disappears with the process however it ends. The file holds the
/// holder's process id, for the error message; it is never deleted (deleting lock files races).
enum JournalDirectoryLock {
    static let fileName = "LOCK"

    /// Directories this process holds, to tell "this process" from "another process" in the error.
    private static let heldHere = Mutex<[Int32: String]>([:])

    /// Takes the lock.
    /// - Returns: The descriptor that holds it; closing it releases the lock.
    /// - Throws: ``FileOutboxError/Kind/locked`` when someone else holds it, an I/O error otherwise.
    static func acquire(directory: String) throws(FileOutboxError) -> Int32 {
        let path = directory + "/" + fileName
        let fd = try JournalFileSystem.openFile(path, O_RDWR | O_CREAT, operation: "open the outbox lock file")
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let code = errno
            let holder = readHolder(fd)
            JournalFileSystem.closeFile(fd)
            if code == EWOULDBLOCK || code == EAGAIN {
                let here = heldHere.withLock { $0.values.contains(directory) }
                throw FileOutboxError.locked(directory: directory, holder: here ? getpid() : holder, thisProcess: here)
            }
            throw FileOutboxError.io("lock the outbox directory (flock)", path: path, errno: code)
        }
        let text = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = text.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        heldHere.withLock { $0[fd] = directory }
        return fd
    }

    static func release(_ fd: Int32) {
        heldHere.withLock { $0[fd] = nil }
        JournalFileSystem.closeFile(fd)
    }

    private static func readHolder(_ fd: Int32) -> Int32? {
        var buffer = [UInt8](repeating: 0, count: 32)
        let count = buffer.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
        guard count > 0 else { return nil }
        let text = String(decoding: buffer[0..<count], as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return Int32(text)
    }
}
