@testable import FerryDelivery
import Foundation
import Testing

/// The journal writer's decisions, alone: no files, no threads; waiters are strings, time is instants.
@Suite("JournalWriterStateMachine")
struct JournalWriterStateMachineTests {
    typealias Machine = JournalWriterStateMachine<String>
    let start = ContinuousClock.now
    let ioError = FileOutboxError.io("write the journal", path: "/outbox/segment-1", errno: 28)

    func machine(_ durability: FileOutbox.Durability) -> Machine {
        Machine(directory: "/outbox", durability: durability)
    }

    @Test("an idle writer sleeps; the first queued record wakes it, later ones do not wake it again")
    func wakeOnlyWhenIdle() {
        var machine = machine(.everyRecord)
        #expect(machine.recordsQueued(through: 1) == false)  // the writer has not gone idle yet
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 10, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        _ = machine.flushed(at: start, file: true)
        #expect(machine.nextAction(now: start) == .idle)
        #expect(machine.recordsQueued(through: 2) == true)
        #expect(machine.recordsQueued(through: 3) == false)
        #expect(machine.nextAction(now: start) == .write)
    }

    @Test("everyRecord: a waiter is resumed once its sequence is flushed, not when it is only written")
    func everyRecordResumesAfterFlush() {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 2)
        guard case .waiting = machine.waitForDurability(of: 1, "a") else { Issue.record("should wait"); return }
        guard case .waiting = machine.waitForDurability(of: 2, "b") else { Issue.record("should wait"); return }
        #expect(machine.nextAction(now: start) == .write)
        #expect(machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false).isEmpty)
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 2, writes: 1, bytes: 8, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        let resumed = machine.flushed(at: start, file: true)
        #expect(resumed.succeeded == ["a", "b"])
        #expect(resumed.failed.isEmpty)
        #expect(machine.durable == 2)
        #expect(machine.statistics == FileOutbox.Statistics(writes: 2, flushes: 1, bytesWritten: 16, segmentsDeleted: 0))
        // Already durable: resumed at once.
        guard case .resumeNow = machine.waitForDurability(of: 2, "c") else { Issue.record("should resume"); return }
    }

    @Test("group commit: N records queued while a flush is in flight are written once and flushed once, together",
          arguments: [1, 2, 50])
    func recordsDuringFlushShareOneFlush(_ count: Int) {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "first")
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        // The flush of record 1 is in flight: N callers append and wait. The busy writer is not woken.
        let later = (2...(count + 1)).map { "caller \($0)" }
        for (offset, name) in later.enumerated() {
            #expect(machine.recordsQueued(through: UInt64(offset + 2)) == false)
            guard case .waiting = machine.waitForDurability(of: UInt64(offset + 2), name) else {
                Issue.record("\(name) should wait")
                return
            }
        }
        // That flush covers record 1 only: nobody else is told their record is durable.
        #expect(machine.flushed(at: start, file: true).succeeded == ["first"])
        // Exactly one more write (everything queued) and one more flush, which resumes all N.
        #expect(machine.nextAction(now: start) == .write)
        #expect(machine.wrote(through: UInt64(count + 1), writes: 1, bytes: 8 * count, tookDeletions: false).isEmpty)
        #expect(machine.nextAction(now: start) == .flush)
        #expect(machine.flushed(at: start, file: true).succeeded == later)
        #expect(machine.nextAction(now: start) == .idle)
        #expect(machine.statistics.writes == 2)
        #expect(machine.statistics.flushes == 2)
    }

    @Test("group commit: records queued while a write is in flight are written before the flush, which covers them all",
          arguments: [FileOutbox.Durability.everyRecord, .interval(.milliseconds(10))])
    func recordsDuringWriteJoinTheFlush(_ durability: FileOutbox.Durability) {
        var machine = machine(durability)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        // While record 1 is being written, records 2 and 3 arrive.
        #expect(machine.recordsQueued(through: 3) == false)
        _ = machine.waitForDurability(of: 3, "b")
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        // Not a flush for record 1 alone: the writer first writes what arrived meanwhile.
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 3, writes: 1, bytes: 16, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        #expect(machine.flushed(at: start, file: true).succeeded == ["a", "b"])
        #expect(machine.statistics.flushes == 1)
    }

    @Test("a steady stream of appends puts off an owed flush by a bounded number of writes, then it is flushed",
          arguments: [FileOutbox.Durability.everyRecord, .interval(.milliseconds(10))])
    func streamDoesNotStarveFlush(_ durability: FileOutbox.Durability) {
        var machine = machine(durability)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "first")
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        // A new record arrives during every write from now on: the queue is never empty when the writer asks.
        var sequence: UInt64 = 1
        var writesBeforeFlush = 0
        while true {
            sequence += 1
            _ = machine.recordsQueued(through: sequence)
            let action = machine.nextAction(now: start)
            if action == .flush { break }
            #expect(action == .write)
            writesBeforeFlush += 1
            _ = machine.wrote(through: sequence, writes: 1, bytes: 8, tookDeletions: false)
            if writesBeforeFlush > 100 { break }
        }
        #expect(writesBeforeFlush == Machine.maximumWritesBeforeOwedFlush)
        #expect(machine.flushed(at: start, file: true).succeeded == ["first"])
    }

    @Test("noSync: records queued while a write is in flight go out in one more write; nothing is flushed")
    func noSyncCoalescesWrites() {
        var machine = machine(.noSync)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        for sequence in 2...4 { #expect(machine.recordsQueued(through: UInt64(sequence)) == false) }
        _ = machine.waitForDurability(of: 4, "b")
        #expect(machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false).succeeded == ["a"])
        #expect(machine.nextAction(now: start) == .write)
        #expect(machine.wrote(through: 4, writes: 1, bytes: 24, tookDeletions: false).succeeded == ["b"])
        #expect(machine.nextAction(now: start) == .idle)
        #expect(machine.statistics == FileOutbox.Statistics(writes: 2, flushes: 0, bytesWritten: 32, segmentsDeleted: 0))
    }

    @Test("interval: the first flush is immediate, the next waits for the interval, then flushes")
    func intervalSpacesFlushes() {
        var machine = machine(.interval(.milliseconds(10)))
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        #expect(machine.flushed(at: start, file: true).succeeded == ["a"])
        _ = machine.recordsQueued(through: 2)
        _ = machine.waitForDurability(of: 2, "b")
        #expect(machine.nextAction(now: start + .milliseconds(3)) == .write)
        #expect(machine.wrote(through: 2, writes: 1, bytes: 8, tookDeletions: false).isEmpty)
        #expect(machine.nextAction(now: start + .milliseconds(3)) == .pause(until: start + .milliseconds(10)))
        // Pausing is not idle: appends meanwhile join the coming flush without waking the writer.
        #expect(machine.recordsQueued(through: 3) == false)
        #expect(machine.nextAction(now: start + .milliseconds(10)) == .write)
        _ = machine.wrote(through: 3, writes: 1, bytes: 8, tookDeletions: false)
        #expect(machine.nextAction(now: start + .milliseconds(10)) == .flush)
        #expect(machine.flushed(at: start + .milliseconds(10), file: true).succeeded == ["b"])
    }

    @Test("noSync: written is durable at once; nothing is flushed until close")
    func noSyncResumesOnWrite() {
        var machine = machine(.noSync)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        #expect(machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false).succeeded == ["a"])
        #expect(machine.nextAction(now: start) == .idle)
        #expect(machine.closeRequested("closer") == false)
        #expect(machine.nextAction(now: start) == .flush)
        _ = machine.flushed(at: start, file: true)
        #expect(machine.nextAction(now: start) == .stop)
        #expect(machine.stopped().succeeded == ["closer"])
    }

    @Test("segments are deleted only after what was written before them is flushed, in every mode",
          arguments: [FileOutbox.Durability.noSync, .everyRecord, .interval(.seconds(60))])
    func deletionsAfterFlush(_ durability: FileOutbox.Durability) {
        var machine = machine(durability)
        _ = machine.recordsQueued(through: 1)
        _ = machine.deletionsWereQueued()
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: true)
        #expect(machine.nextAction(now: start) == .flush)
        _ = machine.flushed(at: start, file: true)
        #expect(machine.nextAction(now: start) == .deleteSegments)
        machine.deletedSegments(2)
        #expect(machine.nextAction(now: start) == .idle)
        #expect(machine.statistics.segmentsDeleted == 2)
        // Deletions queued while idle wake the writer.
        #expect(machine.deletionsWereQueued() == true)
    }

    @Test("close with pending writes writes and flushes them, resumes their waiters, then stops")
    func closeFlushesPending() {
        var machine = machine(.interval(.seconds(60)))
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        _ = machine.flushed(at: start, file: true)
        #expect(machine.nextAction(now: start) == .idle)
        _ = machine.recordsQueued(through: 2)
        _ = machine.waitForDurability(of: 2, "b")
        #expect(machine.closeRequested("closer") == false)
        #expect(throws: FileOutboxError.self) { try machine.checkUsable() }
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 2, writes: 1, bytes: 8, tookDeletions: false)
        // Closing does not wait out the interval.
        #expect(machine.nextAction(now: start + .milliseconds(1)) == .flush)
        #expect(machine.flushed(at: start, file: true).succeeded == ["b"])
        #expect(machine.nextAction(now: start) == .stop)
        let stopped = machine.stopped()
        #expect(stopped.succeeded == ["closer"])
        #expect(stopped.failed.isEmpty)
        // After the writer stopped: close returns at once, changes are refused as closed.
        #expect(machine.closeRequested("again") == true)
        #expect(throws: FileOutboxError.closed("/outbox")) { try machine.checkUsable() }
    }

    @Test("a failed write fails the waiting commits with the error, later commits with a clear error, then stops")
    func failureFailsWaiters() {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 2)
        _ = machine.waitForDurability(of: 1, "a")
        _ = machine.waitForDurability(of: 2, "b")
        #expect(machine.nextAction(now: start) == .write)
        let failed = machine.failed(ioError)
        #expect(failed.failed == ["a", "b"])
        #expect(failed.succeeded.isEmpty)
        #expect(failed.error == ioError)
        #expect(machine.failure == ioError)
        // A later commit is refused before it appends, with an error that names the cause...
        #expect(throws: FileOutboxError.failed("/outbox", cause: ioError)) { try machine.checkUsable() }
        // ...and one that raced in fails at once.
        guard case .failNow(let error) = machine.waitForDurability(of: 3, "c") else {
            Issue.record("should fail")
            return
        }
        #expect(error == ioError)
        #expect(machine.nextAction(now: start) == .stop)
        #expect(machine.stopped().isEmpty)
    }

    @Test("a failed flush fails the waiters; close after the failure stops without writing and resumes the closer")
    func closeAfterFailure() {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        #expect(machine.nextAction(now: start) == .write)
        _ = machine.wrote(through: 1, writes: 1, bytes: 8, tookDeletions: false)
        #expect(machine.nextAction(now: start) == .flush)
        #expect(machine.failed(ioError).failed == ["a"])
        #expect(machine.closeRequested("closer") == false)
        #expect(machine.failure == ioError)
        #expect(machine.nextAction(now: start) == .stop)
        #expect(machine.stopped().succeeded == ["closer"])
        #expect(machine.closeRequested("again") == true)
        #expect(machine.failure == ioError)
    }

    @Test("a dropped outbox stops the writer without writing what is queued; the wake-up is the caller's")
    func droppedStops() {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 1)
        machine.outboxDropped()
        #expect(machine.nextAction(now: start) == .stop)
        #expect(machine.stopped().isEmpty)
        #expect(throws: FileOutboxError.closed("/outbox")) { try machine.checkUsable() }
    }

    @Test("waiters left when the writer stops fail as closed")
    func stopFailsLeftoverWaiters() {
        var machine = machine(.everyRecord)
        _ = machine.recordsQueued(through: 1)
        _ = machine.waitForDurability(of: 1, "a")
        machine.outboxDropped()
        let stopped = machine.stopped()
        #expect(stopped.failed == ["a"])
        #expect(stopped.error == FileOutboxError.closed("/outbox"))
        guard case .failNow = machine.waitForDurability(of: 1, "b") else { Issue.record("should fail"); return }
    }
}
