import Dispatch
import FerryCore
@testable import FerryDelivery
import FerryTesting
import Foundation
import Testing

/// Group commit through a real ``FileOutbox``: a flush is held in flight on the writer thread (no timing), and the
/// statistics show what the next write and flush cover.
@Suite("FileOutbox group commit")
struct FileOutboxGroupCommitTests {
    @Test("enqueues made while a flush is in flight share exactly one more write and one more flush",
          arguments: [FileOutbox.Durability.everyRecord, .interval(.milliseconds(1))])
    func enqueuesDuringFlushShareOneFlush(_ durability: FileOutbox.Durability) async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let flushStarted = Latch()
        let release = DispatchSemaphore(value: 0)
        let isFirstFlush = FerryMutex(true)
        // Runs on the writer's own thread: the first flush waits (blocking only that thread) until released.
        let outbox = try FileOutbox(directory: directory.url, configuration: .init(durability: durability)) {
            guard isFirstFlush.withLock({ first in defer { first = false }; return first }) else { return }
            flushStarted.open()
            release.wait()
        }
        defer { release.signal() }  // never leave the writer blocked, even when an expectation fails
        let items = outboxItems(41)
        let first = Task { try await outbox.enqueue([items[0]]) }
        await flushStarted.wait()

        let later = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for item in items.dropFirst() { group.addTask { _ = try await outbox.enqueue([item]) } }
                try await group.waitForAll()
            }
        }
        // The index counts an item when its record is appended: then all 40 wait behind the held flush.
        while try await outbox.counts().pending < items.count { await Task.yield() }
        #expect(outbox.statistics.writes == 1)
        #expect(outbox.statistics.flushes == 0)
        release.signal()
        _ = try await first.value
        try await later.value

        let statistics = outbox.statistics
        #expect(statistics.writes == 2)
        #expect(statistics.flushes == 2)
        try await outbox.close()
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.counts.pending == items.count)
        try await reopened.close()
    }
}
