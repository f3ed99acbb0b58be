#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// The POSIX calls the journal makes, each turning a failure into a ``FileOutboxError`` that names the path.
enum JournalFileSystem {
    /// The name of segment `number`: `segment-00000000000000000001.journal` (sorts by name).
    static func segmentName(_ number: UInt64) -> String {
        let digits = String(number)
        return "segment-" + String(repeating: "0", count: max(0, 20 - digits.count)) + digits + ".journal"
    }

    /// The segment number in a file name, or `nil` for other files.
    static func segmentNumber(_ name: String) -> UInt64? {
        guard name.hasPrefix("segment-"), name.hasSuffix(".journal") else { return nil }
        return UInt64(name.dropFirst("segment-".count).dropLast(".journal".count))
    }

    static func errorText(_ code: Int32) -> String {
        String(cString: strerror(code))
    }

    /// Opens a file, retrying on `EINTR`.
    static func openFile(_ path: String, _ flags: Int32, operation: String) throws(FileOutboxError) -> Int32 {
        while true {
            let fd = open(path, flags | O_CLOEXEC, 0o644)
            if fd >= 0 { return fd }
            if errno == EINTR { continue }
            throw FileOutboxError.io(operation, path: path, errno: errno)
        }
    }

    /// Writes every byte, retrying short writes and `EINTR`.
    static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(FileOutboxError) {
        let result: Int32? = bytes.withUnsafeBytes { buffer -> Int32? in
            var offset = 0
            while offset < buffer.count {
                // The loop runs only for a non-empty buffer, whose base address is never nil.
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    return errno
                }
                offset += written
            }
            return nil
        }
        if let code = result { throw FileOutboxError.io("write the journal segment", path: path, errno: code) }
    }

    static func sync(_ fd: Int32, path: String) throws(FileOutboxError) {
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            throw FileOutboxError.io("flush the journal segment to disk (fsync)", path: path, errno: errno)
        }
    }

    /// Makes a directory's entries (created or deleted files) durable.
    static func syncDirectory(_ path: String) throws(FileOutboxError) {
        let fd = try openFile(path, O_RDONLY, operation: "open the outbox directory to flush it")
        defer { closeFile(fd) }
        while fsync(fd) != 0 {
            if errno == EINTR { continue }
            // Some file systems refuse fsync on directories; the data files themselves are synced.
            if errno == EINVAL || errno == EBADF { return }
            throw FileOutboxError.io("flush the outbox directory to disk (fsync)", path: path, errno: errno)
        }
    }

    /// Reads a whole file.
    static func readAll(_ path: String) throws(FileOutboxError) -> [UInt8] {
        let fd = try openFile(path, O_RDONLY, operation: "open the journal segment for recovery")
        defer { closeFile(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw FileOutboxError.io("read the size of the journal segment", path: path, errno: errno) }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            throw FileOutboxError.io("read the journal segment", path: path, errno: EISDIR)
        }
        let size = Int(info.st_size)
        var failure: Int32?
        let bytes = [UInt8](unsafeUninitializedCapacity: size) { buffer, initialized in
            var offset = 0
            while offset < size {
                // The loop runs only when size > 0, so the buffer has a base address.
                let count = pread(fd, buffer.baseAddress! + offset, size - offset, off_t(offset))
                if count < 0 {
                    if errno == EINTR { continue }
                    failure = errno
                    break
                }
                if count == 0 { break }  // the file shrank meanwhile: read what is there
                offset += count
            }
            initialized = offset
        }
        if let failure { throw FileOutboxError.io("read the journal segment", path: path, errno: failure) }
        return bytes
    }

    /// Cuts a file at `length` and makes that durable.
    static func truncate(_ path: String, to length: Int) throws(FileOutboxError) {
        let fd = try openFile(path, O_WRONLY, operation: "open the journal segment to cut its torn tail")
        defer { closeFile(fd) }
        guard ftruncate(fd, off_t(length)) == 0 else {
            throw FileOutboxError.io("cut the torn tail of the journal segment", path: path, errno: errno)
        }
        try sync(fd, path: path)
    }

    static func remove(_ path: String) throws(FileOutboxError) {
        guard unlink(path) == 0 || errno == ENOENT else {
            throw FileOutboxError.io("delete the fully acknowledged journal segment", path: path, errno: errno)
        }
    }

    static func closeFile(_ fd: Int32) {
        _ = close(fd)
    }
}
