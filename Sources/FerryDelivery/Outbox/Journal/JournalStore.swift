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

/// The shared state of a ``FileOutbox`` and its dedicated writer thread.
///
/// Callers change the index and append the matching journal frames in one critical section, so the journal's
/// order is the order of the changes; then they wait (without holding the lock) until the writer reports their
/// frames written and flushed. The writer takes everything queued at once, writes it, and flushes once for all of
/// it: that is the group commit. Blocking `write`/`fsync` calls run on the writer's own thread, never on the
/// Swift concurrency pool.
final class JournalStore: Sendable {
    enum Stop: Equatable {
        /// Write what is queued, flush, then stop.
        case close
        /// Stop without writing more (the outbox was dropped without `close`, as a crash would).
        case abandon
    }

    struct Shared {
        var index: JournalIndex
        var queue: JournalQueue
        let directory: String
        let compactionThreshold: Double
        let acknowledgedIDMemory: Int
        var waiters: [(sequence: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
        /// Segment files to delete once everything queued before them is flushed.
        var deletions: [[UInt64]] = []
        var durableSequence: UInt64 = 0
        var writerIdle = false
        var stop: Stop?
        var closed = false
        var writerExited = false
        var closeWaiters: [CheckedContinuation<Void, Never>] = []
        var failure: FileOutboxError?
        var compactionDue = true
        var statistics = FileOutbox.Statistics(writes: 0, flushes: 0, bytesWritten: 0, segmentsDeleted: 0)

        /// Throws when the outbox no longer accepts changes.
        func checkUsable() throws(FileOutboxError) {
            if let failure { throw FileOutboxError.failed(directory, cause: failure) }
            if closed { throw FileOutboxError.closed(directory) }
        }

        /// Appends frames to the journal queue.
        /// - Returns: The segment they went to and the sequence number to wait for.
        mutating func append(_ frames: [UInt8]) -> (segment: UInt64, sequence: UInt64) {
            let (segment, added, rolled) = queue.append(frames)
            index.recordBytes(added, in: segment)
            if rolled { compactionDue = true }
            return (segment, queue.appendedSequence)
        }

        /// Whether the caller must wake the writer (it was idle).
        mutating func takeWakeup() -> Bool {
            guard writerIdle else { return false }
            writerIdle = false
            return true
        }

        /// Deletes closed segments that hold nothing live, first copying forward the few live items (and
        /// remembered acknowledged ids) of closed segments that are mostly acknowledged. Deletion runs in the
        /// writer after the copies are flushed, and only ever removes the oldest segments: a kept enqueue must never
        /// lose the later acknowledgement that cancels it.
        mutating func compactIfDue() {
            guard compactionDue || index.compactionHint else { return }
            compactionDue = false
            index.clearCompactionHint()
            let active = queue.activeSegment
            let sealed = index.usage.keys.filter { $0 < active }.sorted()
            guard !sealed.isEmpty else { return }
            var total = 0
            var live = 0
            var through: UInt64?
            var rewrite = false
            for segment in sealed {
                let usage = index.usage[segment] ?? JournalIndex.SegmentUsage()
                total += usage.totalBytes
                live += usage.liveBytes
                if live == 0 || Double(live) <= Double(total) * compactionThreshold {
                    through = segment
                    rewrite = live > 0
                }
            }
            guard let through else { return }
            if rewrite {
                for (id, entry, state) in index.liveItems(homedThrough: through) {
                    var frame: [UInt8] = []
                    frame.reserveCapacity(entry.bytes.count + 64)
                    JournalFrame.append(to: &frame) { body in
                        body.append(JournalRecordKind.rewrite.rawValue)
                        body.appendUInt64(entry.ordinal)
                        switch state {
                        case .pending(let date):
                            body.append(0)
                            body.appendDate(date ?? .distantPast)
                        case .leased:
                            // Leases do not survive a restart: the copy is pending.
                            body.append(0)
                            body.appendDate(.distantPast)
                        case .dead:
                            body.append(1)
                            JournalItemCodec.append(
                                index.failure(of: id)
                                    ?? DeliveryFailure(status: nil, errorCode: .unknown, message: "", retryability: .final),
                                to: &body)
                        }
                        body.append(contentsOf: entry.bytes)
                    }
                    let (segment, _) = append(frame)
                    index.rehome(id, to: segment)
                }
                let ids = index.remembered(through: through)
                var start = 0
                while start < ids.count {
                    let slice = ids[start..<min(start + 1000, ids.count)]
                    start += slice.count
                    var frame: [UInt8] = []
                    JournalFrame.append(to: &frame) { body in
                        body.append(JournalRecordKind.remember.rawValue)
                        body.appendUInt32(UInt32(slice.count))
                        for id in slice { body.appendString(id) }
                    }
                    let (segment, _) = append(frame)
                    for id in slice { index.rehomeRemembered(id, to: segment) }
                }
                compactionDue = false
            }
            index.forgetSegments(through: through)
            deletions.append(sealed.filter { $0 <= through })
        }
    }

    let shared: FerryMutex<Shared>
    let directory: String
    private let durability: FileOutbox.Durability
    private let lockDescriptor: Int32
    private let wake = DispatchSemaphore(value: 0)
    private let exited = DispatchSemaphore(value: 0)

    init(directory: String, configuration: FileOutbox.Configuration, recovered: JournalRecovery.Result, lockDescriptor: Int32) {
        self.directory = directory
        durability = configuration.durability
        self.lockDescriptor = lockDescriptor
        shared = FerryMutex(Shared(
            index: recovered.index,
            queue: JournalQueue(
                activeSegment: recovered.activeSegment, activeSize: recovered.activeSize,
                segmentSize: configuration.segmentSize),
            directory: directory,
            compactionThreshold: configuration.compactionThreshold,
            acknowledgedIDMemory: configuration.acknowledgedIDMemory))
    }

    func startWriter() {
        let thread = Thread { [self] in runWriter() }
        thread.name = "ferry-outbox-writer"
        thread.start()
    }

    func wakeWriter() { wake.signal() }

    /// Waits until the frames up to `sequence` are as durable as the configuration promises.
    func waitDurable(_ sequence: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
            let outcome: FileOutboxError?? = shared.withLock { shared in
                if shared.durableSequence >= sequence { return .some(nil) }
                if let failure = shared.failure { return .some(failure) }
                shared.waiters.append((sequence, continuation))
                return .none
            }
            switch outcome {
            case .none: break
            case .some(nil): continuation.resume()
            case .some(let failure?): continuation.resume(throwing: failure)
            }
        }
    }

    /// Writes what is queued, flushes, stops the writer and releases the directory lock.
    func close() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let done = shared.withLock { shared -> Bool in
                shared.closed = true
                if shared.writerExited { return true }
                if shared.stop == nil { shared.stop = .close }
                shared.closeWaiters.append(continuation)
                return false
            }
            if done { continuation.resume() } else { wake.signal() }
        }
    }

    /// Stops the writer without writing what is queued, and waits for it (the outbox is being deallocated).
    func abandon() {
        let wait = shared.withLock { shared -> Bool in
            shared.closed = true
            if shared.writerExited { return false }
            if shared.stop == nil { shared.stop = .abandon }
            return true
        }
        if wait {
            wake.signal()
            exited.wait()
        }
    }

    // MARK: - The writer

    private enum Step {
        case exit
        case idle
        case work(chunks: [JournalQueue.Chunk], deletions: [[UInt64]], closing: Bool)
    }

    private func runWriter() {
        let clock = ContinuousClock()
        var file: (segment: UInt64, descriptor: Int32, path: String)?
        var written: UInt64 = 0
        var synced: UInt64 = 0
        var lastSync = clock.now - .seconds(3600)
        let noSync = durability.mode == .noSync

        func syncFile() throws(FileOutboxError) {
            if let file {
                try JournalFileSystem.sync(file.descriptor, path: file.path)
                shared.withLock { $0.statistics.flushes += 1 }
            }
            synced = written
            lastSync = clock.now
        }

        loop: while true {
            let step = shared.withLock { shared -> Step in
                if shared.failure != nil || shared.stop == .abandon { return .exit }
                let chunks = shared.queue.takeChunks()
                let deletions = shared.deletions
                shared.deletions = []
                let closing = shared.stop == .close
                if chunks.isEmpty, deletions.isEmpty, !closing, noSync || written == synced {
                    shared.writerIdle = true
                    return .idle
                }
                return .work(chunks: chunks, deletions: deletions, closing: closing)
            }
            guard case .work(let chunks, let deletions, let closing) = step else {
                if case .exit = step { break loop }
                wake.wait()
                continue loop
            }
            do throws(FileOutboxError) {
                for chunk in chunks {
                    if file?.segment != chunk.segment {
                        if let open = file {
                            try JournalFileSystem.sync(open.descriptor, path: open.path)
                            JournalFileSystem.closeFile(open.descriptor)
                            file = nil
                        }
                        let path = directory + "/" + JournalFileSystem.segmentName(chunk.segment)
                        let descriptor = try JournalFileSystem.openFile(
                            path, O_WRONLY | O_CREAT | O_APPEND, operation: "open the journal segment for writing")
                        file = (chunk.segment, descriptor, path)
                        if !noSync { try JournalFileSystem.syncDirectory(directory) }
                    }
                    if let open = file { try JournalFileSystem.writeAll(open.descriptor, chunk.bytes, path: open.path) }
                    written = chunk.endSequence
                }
                if !chunks.isEmpty {
                    let bytes = chunks.reduce(0) { $0 + $1.bytes.count }
                    shared.withLock { shared in
                        shared.statistics.writes += chunks.count
                        shared.statistics.bytesWritten += bytes
                    }
                }
                let mustSync = !deletions.isEmpty || closing
                switch durability.mode {
                case .noSync:
                    if mustSync { try syncFile() }
                    synced = written
                    publish(written)
                case .everyRecord:
                    if written > synced { try syncFile() }
                    publish(synced)
                case .interval(let interval):
                    if written > synced {
                        let elapsed = clock.now - lastSync
                        if mustSync || elapsed >= interval {
                            try syncFile()
                            publish(synced)
                        } else {
                            let pause = interval - elapsed
                            usleep(UInt32(max(1, min(pause.seconds * 1e6, 1e6))))
                            continue loop
                        }
                    }
                }
                if !deletions.isEmpty {
                    // Oldest first, each deletion durable before the next: a crash in between never leaves an
                    // older segment (an enqueue) without the newer one (its acknowledgement).
                    for segment in deletions.joined() {
                        try JournalFileSystem.remove(directory + "/" + JournalFileSystem.segmentName(segment))
                        try JournalFileSystem.syncDirectory(directory)
                        shared.withLock { $0.statistics.segmentsDeleted += 1 }
                    }
                }
                if closing { break loop }
            } catch {
                poison(error)
                break loop
            }
        }
        if let file { JournalFileSystem.closeFile(file.descriptor) }
        JournalDirectoryLock.release(lockDescriptor)
        let (closeWaiters, waiters, failure) = shared.withLock { shared in
            shared.writerExited = true
            shared.closed = true
            defer {
                shared.closeWaiters = []
                shared.waiters = []
            }
            return (shared.closeWaiters, shared.waiters, shared.failure)
        }
        for waiter in waiters {
            waiter.continuation.resume(throwing: failure ?? FileOutboxError.closed(directory))
        }
        for waiter in closeWaiters { waiter.resume() }
        exited.signal()
    }

    /// Resumes the callers whose frames are now durable.
    private func publish(_ sequence: UInt64) {
        let ready = shared.withLock { shared -> [CheckedContinuation<Void, any Error>] in
            shared.durableSequence = max(shared.durableSequence, sequence)
            guard !shared.waiters.isEmpty else { return [] }
            var ready: [CheckedContinuation<Void, any Error>] = []
            var waiting: [(sequence: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
            for waiter in shared.waiters {
                if waiter.sequence <= sequence { ready.append(waiter.continuation) } else { waiting.append(waiter) }
            }
            shared.waiters = waiting
            return ready
        }
        for continuation in ready { continuation.resume() }
    }

    /// A write or flush failed: what memory holds may not be on disk, so nothing more is accepted.
    private func poison(_ error: FileOutboxError) {
        let waiters = shared.withLock { shared in
            shared.failure = error
            defer { shared.waiters = [] }
            return shared.waiters
        }
        for waiter in waiters { waiter.continuation.resume(throwing: error) }
    }
}
