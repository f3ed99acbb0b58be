/// The decisions of a ``FileOutbox``'s journal writer, apart from its I/O: when to write, flush, delete segments,
/// sleep and stop, and which waiting callers to resume with success or an error.
///
/// A pure value: the outbox's callers and its writer thread report events to it under the outbox's lock, and do
/// what it answers (wake the writer, resume callers, perform a ``WriterAction``). It is tested alone, with plain
/// values as waiters and instants as time (the AsyncHTTPClient `Transaction+StateMachine` pattern).
///
/// Sequence numbers count appends to the journal queue (``JournalQueue/appendedSequence``): a caller waits for
/// the sequence of its last append; the writer reports how far it has written and flushed.
struct JournalWriterStateMachine<Waiter: Sendable>: Sendable {
    /// What the writer does next.
    enum WriterAction: Equatable {
        /// Take the queued chunks (and segments waiting to be deleted) and write them; then report
        /// ``wrote(through:writes:bytes:tookDeletions:)``.
        case write
        /// Flush the segment written last; then report ``flushed(at:file:)``.
        case flush
        /// Delete the segments taken with the last write (everything written before them is flushed); then report
        /// ``deletedSegments(_:)``.
        case deleteSegments
        /// Nothing to do until a caller wakes the writer.
        case idle
        /// A flush is due at this instant (interval durability): wait until then (or until woken).
        case pause(until: ContinuousClock.Instant)
        /// Close the segment, release the directory, then report ``stopped()``.
        case stop
    }

    /// Callers to resume: those whose records are durable, and those that can no longer be served.
    struct Resumptions {
        var succeeded: [Waiter] = []
        var failed: [Waiter] = []
        /// The error for ``failed``.
        var error: FileOutboxError?

        var isEmpty: Bool { succeeded.isEmpty && failed.isEmpty }
    }

    /// What a caller that waits for durability does.
    enum WaitOutcome {
        /// Its records are durable already.
        case resumeNow
        /// They never will be.
        case failNow(FileOutboxError)
        /// It was stored; it is resumed from the writer's reports.
        case waiting
    }

    private enum Phase {
        case open
        /// `close()` was called: write and flush what is queued, then stop.
        case closing
        /// The outbox was deallocated without `close()`: stop without writing more, as a crash would (nothing a
        /// caller still waits for can be queued: a waiting caller keeps the outbox alive).
        case dropped
        /// A write or flush failed: what memory holds may not be on disk.
        case failed(FileOutboxError)
    }

    let directory: String
    let durability: FileOutbox.Durability
    private var phase = Phase.open
    /// The last sequence appended, written, flushed, and reported durable to callers.
    private(set) var appended: UInt64 = 0
    private(set) var written: UInt64 = 0
    private(set) var flushed: UInt64 = 0
    private(set) var durable: UInt64 = 0
    /// Compaction queued segments to delete that the writer has not taken yet.
    private var deletionsQueued = false
    /// Deletions taken by the writer with its last write, done once what precedes them is flushed.
    private var deletionsTaken = false
    /// When the last flush ended (interval durability spaces flushes from it). In `noSync` mode ``flushed`` lags
    /// ``written`` on purpose: only closing and deletions flush.
    private var lastFlush: ContinuousClock.Instant?
    private var idle = false
    /// Writes chosen over a flush that was already owed, since the last flush (see ``maximumWritesBeforeOwedFlush``).
    private var writesWhileFlushOwed = 0
    private(set) var writerStopped = false
    private var waiters: [(sequence: UInt64, waiter: Waiter)] = []
    private var closeWaiters: [Waiter] = []
    /// What the writer has done.
    private(set) var statistics = FileOutbox.Statistics(writes: 0, flushes: 0, bytesWritten: 0, segmentsDeleted: 0)

    init(directory: String, durability: FileOutbox.Durability) {
        self.directory = directory
        self.durability = durability
    }

    // MARK: - Caller events

    /// The failure that stopped the outbox, if any.
    var failure: FileOutboxError? {
        if case .failed(let error) = phase { return error }
        return nil
    }

    /// Throws when the outbox no longer accepts changes.
    func checkUsable() throws(FileOutboxError) {
        switch phase {
        case .open where !writerStopped: return
        case .failed(let error): throw FileOutboxError.failed(directory, cause: error)
        case .open, .closing, .dropped: throw FileOutboxError.closed(directory)
        }
    }

    /// Records up to `sequence` were queued.
    /// - Returns: Whether the caller must wake the writer (it was idle).
    mutating func recordsQueued(through sequence: UInt64) -> Bool {
        appended = max(appended, sequence)
        return takeWakeup()
    }

    /// Compaction queued segments to delete.
    /// - Returns: Whether the caller must wake the writer.
    mutating func deletionsWereQueued() -> Bool {
        deletionsQueued = true
        return takeWakeup()
    }

    /// A caller waits until `sequence` is durable.
    mutating func waitForDurability(of sequence: UInt64, _ waiter: Waiter) -> WaitOutcome {
        if durable >= sequence { return .resumeNow }
        if case .failed(let error) = phase { return .failNow(error) }
        if writerStopped { return .failNow(FileOutboxError.closed(directory)) }
        waiters.append((sequence, waiter))
        return .waiting
    }

    /// `close()` was called.
    /// - Returns: `true` when the caller is resumed at once (the writer had stopped); otherwise the waiter is
    ///   resumed when the writer stops, and the caller wakes the writer.
    mutating func closeRequested(_ waiter: Waiter) -> Bool {
        if writerStopped { return true }
        if case .open = phase { phase = .closing }
        closeWaiters.append(waiter)
        idle = false
        return false
    }

    /// The outbox was deallocated without `close()`: the writer stops on its own; the caller only wakes it.
    mutating func outboxDropped() {
        if case .open = phase { phase = .dropped }
        idle = false
    }

    private mutating func takeWakeup() -> Bool {
        guard idle else { return false }
        idle = false
        return true
    }

    // MARK: - Writer events

    /// What the writer does next.
    mutating func nextAction(now: ContinuousClock.Instant) -> WriterAction {
        let closing: Bool
        switch phase {
        case .failed, .dropped: return .stop
        case .closing: closing = true
        case .open: closing = false
        }
        if appended > written || deletionsQueued {
            // Writing what arrived meanwhile first lets one flush cover it too, but a steady stream of appends
            // must not put off a flush that is owed (and every caller waiting for it) for as long as it lasts.
            guard written > flushed, flushIsOwed(now: now) else { return .write }
            guard writesWhileFlushOwed >= Self.maximumWritesBeforeOwedFlush else {
                writesWhileFlushOwed += 1
                return .write
            }
            return .flush
        }
        if deletionsTaken { return written > flushed ? .flush : .deleteSegments }
        if written > flushed {
            switch durability.mode {
            case .everyRecord:
                return .flush
            case .noSync:
                if closing { return .flush }
            case .interval(let interval):
                if closing { return .flush }
                let due = lastFlush.map { $0 + interval } ?? now
                return due <= now ? .flush : .pause(until: due)
            }
        }
        if closing { return .stop }
        idle = true
        return .idle
    }

    /// How many more writes the writer may choose, while appends keep arriving, before a flush that is owed.
    static var maximumWritesBeforeOwedFlush: Int { 4 }

    /// Whether what is written but not flushed is owed a flush now: always in `everyRecord` mode, once the
    /// interval has passed in `interval` mode, never in `noSync` mode (only closing and deletions flush there).
    private func flushIsOwed(now: ContinuousClock.Instant) -> Bool {
        switch durability.mode {
        case .everyRecord: true
        case .interval(let interval): (lastFlush.map { $0 + interval } ?? now) <= now
        case .noSync: false
        }
    }

    /// The writer wrote the chunks queued through `sequence`.
    /// - Returns: Callers to resume (in `noSync` mode, written is durable enough).
    mutating func wrote(through sequence: UInt64, writes: Int, bytes: Int, tookDeletions: Bool) -> Resumptions {
        written = max(written, sequence)
        statistics.writes += writes
        statistics.bytesWritten += bytes
        if tookDeletions {
            deletionsQueued = false
            deletionsTaken = true
        }
        guard durability.mode == .noSync else { return Resumptions() }
        return publish(written)
    }

    /// The writer flushed everything written.
    /// - Returns: Callers to resume.
    mutating func flushed(at now: ContinuousClock.Instant, file: Bool) -> Resumptions {
        flushed = written
        lastFlush = now
        writesWhileFlushOwed = 0
        if file { statistics.flushes += 1 }
        return publish(flushed)
    }

    /// The writer deleted the segments it had taken.
    mutating func deletedSegments(_ count: Int) {
        deletionsTaken = false
        statistics.segmentsDeleted += count
    }

    /// A write, flush or deletion failed: waiting callers fail with `error`, later changes are refused.
    /// - Returns: Callers to resume.
    mutating func failed(_ error: FileOutboxError) -> Resumptions {
        if case .failed = phase {} else { phase = .failed(error) }
        defer { waiters = [] }
        return waiters.isEmpty ? Resumptions() : Resumptions(failed: waiters.map(\.waiter), error: failure)
    }

    /// The writer stopped and released the directory.
    /// - Returns: `close()` callers (succeeded) and callers whose records will never be durable (failed).
    mutating func stopped() -> Resumptions {
        writerStopped = true
        idle = false
        var resumptions = Resumptions(succeeded: closeWaiters)
        closeWaiters = []
        if !waiters.isEmpty {
            resumptions.failed = waiters.map(\.waiter)
            resumptions.error = failure ?? FileOutboxError.closed(directory)
            waiters = []
        }
        return resumptions
    }

    private mutating func publish(_ sequence: UInt64) -> Resumptions {
        durable = max(durable, sequence)
        guard !waiters.isEmpty else { return Resumptions() }
        var resumptions = Resumptions()
        var waiting: [(sequence: UInt64, waiter: Waiter)] = []
        for entry in waiters {
            if entry.sequence <= durable { resumptions.succeeded.append(entry.waiter) } else { waiting.append(entry) }
        }
        waiters = waiting
        return resumptions
    }
}
