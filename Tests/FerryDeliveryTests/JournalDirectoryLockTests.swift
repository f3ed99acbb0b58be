@testable import FerryDelivery
import Foundation
import Testing

@Suite("The outbox directory lock's errors")
struct JournalDirectoryLockTests {
    @Test("a live outbox of this process is 'locked'; a dropped one that has not released yet is 'releasePending'")
    func releasePendingAfterWait() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let path = directory.url.path
        let handle = try JournalDirectoryLock.acquire(directory: path)
        defer { JournalDirectoryLock.release(handle) }

        do {
            _ = try JournalDirectoryLock.acquire(directory: path, releaseWait: .milliseconds(1))
            Issue.record("a held directory was taken twice")
        } catch {
            #expect(error.kind == .locked)
            #expect(error.message.contains("use that instance"))
        }

        // The holder's outbox is dropped; its writer has not released the lock when the (shortened) wait ends.
        JournalDirectoryLock.markReleasing(handle)
        do {
            _ = try JournalDirectoryLock.acquire(directory: path, releaseWait: .milliseconds(20))
            Issue.record("a directory still held by a releasing writer was taken")
        } catch {
            #expect(error.kind == .releasePending)
            #expect(error.kind != .locked)
            #expect(error.path == path)
            #expect(error.message.contains("dropped without close() has not released it"))
            #expect(error.message.contains("retry the open later"))
            #expect(!error.message.contains("use that instance"))
        }
    }

    @Test("once the dropped outbox's writer releases, the directory opens")
    func opensAfterRelease() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let path = directory.url.path
        let handle = try JournalDirectoryLock.acquire(directory: path)
        JournalDirectoryLock.markReleasing(handle)
        JournalDirectoryLock.release(handle)
        let again = try JournalDirectoryLock.acquire(directory: path, releaseWait: .milliseconds(1))
        JournalDirectoryLock.release(again)
    }
}
