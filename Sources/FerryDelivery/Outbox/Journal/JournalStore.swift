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
/// Callers change the index and append the matching journal records in one critical section (``commit(waitForDurability:_:)``),
/// so the journal's order is the order of the changes; then they wait (without holding the lock) until the writer
/// reports their records written and flushed. The writer takes everything queued at once, writes it, and flushes
/// once for all of it: that is the group commit. What the writer does next is decided by a
/// ``JournalWriterStateMachine``; its blocking `write`/`fsync` calls run on its own thread, never on the Swift
/// concurrency pool. The thread holds the store (and so the files and the directory lock) until it stops, which it
/// does by itself once the outbox is closed or dropped.
final class JournalStore: Sendable {
    typealias Waiter = CheckedContinuation<Void, any Error>

    struct Shared: Sendable {
        var index: JournalIndex
        var queue: JournalQueue
        var writer: JournalWriterStateMachine<Waiter>
        let compactionThreshold: Double
        let acknowledgedIDMemory: Int
        /// Segment files to delete once everything queued before them is flushed.
        var deletions: [[UInt64]] = []
        var compactionDue = true
        /// Whether the writer must be woken once the lock is released.
        var wakeWriter = false

        /// Appends one record to the journal queue.
        /// - Returns: The segment it went to and the sequence number to wait for.
        @discardableResult
        mutating func append(_ record: JournalRecord) -> (segment: UInt64, sequence: UInt64) {
            append(frames: record.frame)
        }

        /// Appends records kept together in one segment.
        /// - Returns: The segment they went to and the sequence number to wait for.
        mutating func append(_ records: [JournalRecord]) -> (segment: UInt64, sequence: UInt64) {
            var frames: [UInt8] = []
            frames.reserveCapacity(records.reduce(0) { $0 + $1.estimatedSize })
            for record in records { record.appendFrame(to: &frames) }
            return append(frames: frames)
        }

        private mutating func append(frames: [UInt8]) -> (segment: UInt64, sequence: UInt64) {
            let (segment, added, rolled) = queue.append(frames)
            index.recordBytes(added, in: segment)
            if rolled { compactionDue = true }
            if writer.recordsQueued(through: queue.appendedSequence) { wakeWriter = true }
            return (segment, queue.appendedSequence)
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
                    let copied: JournalRecord.CopiedState
                    switch state {
                    case .pending(let date): copied = .pending(availableAt: date ?? .distantPast)
                    // Leases do not survive a restart: the copy is pending.
                    case .leased: copied = .pending(availableAt: .distantPast)
                    case .dead:
                        copied = .dead(index.failure(of: id)
                            ?? DeliveryFailure(status: nil, errorCode: .unknown, message: "", retryability: .final))
                    }
                    let item = JournalRecord.StoredItem(id: id, bytes: entry.bytes)
                    let (segment, _) = append(.rewrite(ordinal: entry.ordinal, state: copied, item: item))
                    index.rehome(id, to: segment)
                }
                let ids = index.remembered(through: through)
                var start = 0
                while start < ids.count {
                    let slice = Array(ids[start..<min(start + 1000, ids.count)])
                    start += slice.count
                    let (segment, _) = append(.remember(ids: slice))
                    for id in slice { index.rehomeRemembered(id, to: segment) }
                }
                compactionDue = false
            }
            index.forgetSegments(through: through)
            deletions.append(sealed.filter { $0 <= through })
            if writer.deletionsWereQueued() { wakeWriter = true }
        }
    }

    let shared: FerryMutex<Shared>
    let directory: String
    private let lock: JournalDirectoryLock.Handle
    private let wake = DispatchSemaphore(value: 0)

    /// Run by the writer before each `fsync` of a segment file (a test seam; `nil` in use).
    private let beforeFlush: (@Sendable () -> Void)?

    init(
        directory: String, configuration: FileOutbox.Configuration, recovered: JournalRecovery.Result,
        lock: JournalDirectoryLock.Handle, beforeFlush: (@Sendable () -> Void)? = nil
    ) {
        self.directory = directory
        self.lock = lock
        self.beforeFlush = beforeFlush
        shared = FerryMutex(Shared(
            index: recovered.index,
            queue: JournalQueue(
                activeSegment: recovered.activeSegment, activeSize: recovered.activeSize,
                segmentSize: configuration.segmentBytes),
            writer: JournalWriterStateMachine(directory: directory, durability: configuration.durability),
            compactionThreshold: configuration.compactionThreshold,
            acknowledgedIDMemory: configuration.acknowledgedIDCount))
    }

    func startWriter() {
        let thread = Thread { [self] in runWriter() }
        thread.name = "ferry-outbox-writer"
        thread.start()
    }

    /// Makes one change: under the lock, checks the outbox is usable and runs `change`, which updates the index
    /// and appends the matching records, returning its result and the sequence to wait for (`nil`: none); runs
    /// compaction if due; wakes the writer; then waits until that sequence is durable.
    /// - Parameter waitForDurability: `false` for records that need not survive a crash (leases).
    func commit<Value>(
        waitForDurability: Bool = true,
        _ change: (inout Shared) throws(FileOutboxError) -> (value: Value, sequence: UInt64?)
    ) async throws -> Value {
        let (value, sequence, wake) = try shared.withLock { shared throws(FileOutboxError) -> (Value, UInt64?, Bool) in
            try shared.writer.checkUsable()
            let (value, sequence) = try change(&shared)
            shared.compactIfDue()
            defer { shared.wakeWriter = false }
            return (value, sequence, shared.wakeWriter)
        }
        if wake { self.wake.signal() }
        if waitForDurability, let sequence { try await waitDurable(sequence) }
        return value
    }

    /// Runs compaction if due (after opening: segments emptied before the last stop are deleted now).
    func compactIfDue() {
        let wake = shared.withLock { shared -> Bool in
            shared.compactIfDue()
            defer { shared.wakeWriter = false }
            return shared.wakeWriter
        }
        if wake { self.wake.signal() }
    }

    /// Waits until the records up to `sequence` are as durable as the configuration promises.
    private func waitDurable(_ sequence: UInt64) async throws {
        try await withCheckedThrowingContinuation { (continuation: Waiter) in
            switch shared.withLock({ $0.writer.waitForDurability(of: sequence, continuation) }) {
            case .waiting: break
            case .resumeNow: continuation.resume()
            case .failNow(let error): continuation.resume(throwing: error)
            }
        }
    }

    /// Writes what is queued, flushes, stops the writer and releases the directory lock.
    func close() async {
        // Close waiters are only ever resumed with success.
        try? await withCheckedThrowingContinuation { (continuation: Waiter) in
            if shared.withLock({ $0.writer.closeRequested(continuation) }) {
                continuation.resume()
            } else {
                wake.signal()
            }
        }
    }

    /// The outbox was deallocated without `close()`: tells the writer, which stops on its own (without writing
    /// more, as a crash would) and releases the directory. Never waits.
    func outboxDropped() {
        JournalDirectoryLock.markReleasing(lock)
        shared.withLock { $0.writer.outboxDropped() }
        wake.signal()
    }

    // MARK: - The writer

    /// Performs the state machine's actions until it says stop.
    private func runWriter() {
        let clock = ContinuousClock()
        var segments = JournalSegmentWriter(
            directory: directory, syncsDirectory: shared.withLock { $0.writer.durability.mode != .noSync },
            beforeFlush: beforeFlush)
        var deletions: [[UInt64]] = []
        while true {
            let (action, chunks, taken) = shared.withLock { shared in
                let action = shared.writer.nextAction(now: clock.now)
                guard action == .write else { return (action, [JournalQueue.Chunk](), [[UInt64]]()) }
                defer { shared.deletions = [] }
                return (action, shared.queue.takeChunks(), shared.deletions)
            }
            do throws(FileOutboxError) {
                switch action {
                case .write:
                    for chunk in chunks { try segments.write(chunk) }
                    deletions += taken
                    let bytes = chunks.reduce(0) { $0 + $1.bytes.count }
                    let through = chunks.last?.endSequence ?? 0
                    resume(shared.withLock {
                        $0.writer.wrote(through: through, writes: chunks.count, bytes: bytes, tookDeletions: !taken.isEmpty)
                    })
                case .flush:
                    let file = try segments.flush()
                    resume(shared.withLock { $0.writer.flushed(at: clock.now, file: file) })
                case .deleteSegments:
                    // Oldest first, each deletion durable before the next: a crash in between never leaves an
                    // older segment (an enqueue) without the newer one (its acknowledgement).
                    let all = Array(deletions.joined())
                    deletions = []
                    for segment in all { try segments.delete(segment) }
                    shared.withLock { $0.writer.deletedSegments(all.count) }
                case .idle:
                    wake.wait()
                case .pause(let deadline):
                    let pause = min(max((deadline - clock.now).seconds, 1e-6), 3600)
                    _ = wake.wait(timeout: .now() + .nanoseconds(Int(pause * 1e9)))
                case .stop:
                    segments.close()
                    JournalDirectoryLock.release(lock)
                    resume(shared.withLock { $0.writer.stopped() })
                    return
                }
            } catch {
                resume(shared.withLock { $0.writer.failed(error) })
            }
        }
    }

    private func resume(_ resumptions: JournalWriterStateMachine<Waiter>.Resumptions) {
        for waiter in resumptions.succeeded { waiter.resume() }
        if let error = resumptions.error {
            for waiter in resumptions.failed { waiter.resume(throwing: error) }
        }
    }
}

/// The writer's open segment file: appends chunks to the file they name (closing the previous one, flushed,
/// when the journal rolls to a new segment), flushes it, deletes old segments.
struct JournalSegmentWriter {
    let directory: String
    /// Whether creating a segment is made durable with an `fsync` of the directory (not for `noSync`).
    let syncsDirectory: Bool
    /// Run before each flush of the open segment (see ``JournalStore``).
    let beforeFlush: (@Sendable () -> Void)?
    private var file: (segment: UInt64, descriptor: Int32, path: String)?

    init(directory: String, syncsDirectory: Bool, beforeFlush: (@Sendable () -> Void)? = nil) {
        self.directory = directory
        self.syncsDirectory = syncsDirectory
        self.beforeFlush = beforeFlush
    }

    mutating func write(_ chunk: JournalQueue.Chunk) throws(FileOutboxError) {
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
            if syncsDirectory { try JournalFileSystem.syncDirectory(directory) }
        }
        if let open = file { try JournalFileSystem.writeAll(open.descriptor, chunk.bytes, path: open.path) }
    }

    /// Flushes the open segment.
    /// - Returns: Whether a file was open (and flushed).
    func flush() throws(FileOutboxError) -> Bool {
        guard let file else { return false }
        beforeFlush?()
        try JournalFileSystem.sync(file.descriptor, path: file.path)
        return true
    }

    func delete(_ segment: UInt64) throws(FileOutboxError) {
        try JournalFileSystem.remove(directory + "/" + JournalFileSystem.segmentName(segment))
        try JournalFileSystem.syncDirectory(directory)
    }

    mutating func close() {
        if let file { JournalFileSystem.closeFile(file.descriptor) }
        file = nil
    }
}
