import FerryCore
import FerryDelivery
import Foundation
import Testing

@Suite("FileOutbox segments, lock and errors")
struct FileOutboxSegmentTests {
    let small = FileOutbox.Configuration(durability: .everyRecord, segmentSize: 4096)

    @Test("segments roll at their size and are deleted once everything in them is acknowledged")
    func rollAndDelete() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url, configuration: small)
        for item in outboxItems(100) { try await outbox.enqueue([item]) }
        let rolled = directory.segments()
        #expect(rolled.count >= 3)
        for segment in rolled.dropLast() { #expect(try JournalDamage.size(segment) <= 4096) }
        let leased = try await outbox.lease(limit: 100, at: outboxNow, for: .seconds(60))
        try await outbox.acknowledge(leased.map(\.id))
        try await outbox.close()
        #expect(outbox.statistics.segmentsDeleted == rolled.count - 1)
        let remaining = directory.segments()
        #expect(remaining.count == 1)
        #expect(remaining.first?.lastPathComponent == rolled.last?.lastPathComponent)
        let reopened = try FileOutbox(directory: directory.url, configuration: small)
        #expect(reopened.recoveryReport.counts == OutboxCounts(pending: 0, leased: 0, dead: 0))
        #expect(reopened.recoveryReport.isClean)
        try await reopened.close()
    }

    @Test("live items of mostly acknowledged segments are copied forward so the old segments can go")
    func compaction() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let all = outboxItems(100)
        do {
            let outbox = try FileOutbox(directory: directory.url, configuration: small)
            try await outbox.enqueue([all[0]])
            try await outbox.enqueue([all[1]])
            var doomed = try await outbox.lease(limit: 1, at: outboxNow, for: .seconds(60))[0]
            doomed.attempts = 3
            try await outbox.deadLetter(doomed, failure: finalFailure)
            // item-2 stays pending in the first segment; everything after it is delivered.
            for item in all[2...] { try await outbox.enqueue([item]) }
            let rest = try await outbox.lease(limit: 200, at: outboxNow, for: .seconds(60))
            #expect(rest.first?.id == "item-2")
            try await outbox.reschedule(rest[0], availableAt: outboxNow)
            try await outbox.acknowledge(rest.dropFirst().map(\.id))
            try await outbox.close()
        }
        let names = directory.segments().map(\.lastPathComponent)
        #expect(!names.contains("segment-00000000000000000001.journal"))
        #expect(names.count <= 2)
        let reopened = try FileOutbox(directory: directory.url, configuration: small)
        #expect(reopened.recoveryReport.counts == OutboxCounts(pending: 1, leased: 0, dead: 1))
        let pending = try await reopened.lease(limit: 5, at: outboxNow, for: .seconds(60))
        #expect(pending.map(\.payload) == [all[1].payload])
        let dead = try await reopened.deadLetters(limit: 5)
        #expect(dead.map(\.item.id) == ["item-1"])
        #expect(dead.first?.item.attempts == 3)
        #expect(dead.first?.failure == finalFailure)
        try await reopened.close()
    }

    @Test("a second opener of a directory gets a clear locked error until the first closes")
    func lock() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let first = try FileOutbox(directory: directory.url)
        let error = #expect(throws: FileOutboxError.self) { try FileOutbox(directory: directory.url) }
        #expect(error?.kind == .locked)
        #expect(error?.path == first.directory.path)
        #expect(error?.description.contains("this process") == true)
        #expect(error?.description.contains("close it before opening the directory again") == true)
        try await first.enqueue(outboxItems(1))
        try await first.close()
        let second = try FileOutbox(directory: directory.url)
        #expect(second.recoveryReport.counts.pending == 1)
        try await second.close()
    }

    @Test(
        "another process holding the lock gets a locked error that says so",
        .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/python3")))
    func lockedByAnotherProcess() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let holder = Process()
        // A process that takes the same kind of lock (a POSIX record lock) and holds it until its input closes.
        holder.executableURL = URL(fileURLWithPath: "/usr/bin/python3")
        holder.arguments = [
            "-c",
            "import fcntl, sys; f = open(sys.argv[1], 'a'); fcntl.lockf(f, fcntl.LOCK_EX); print('locked', flush=True); sys.stdin.read()",
            directory.url.appendingPathComponent("LOCK").path,
        ]
        // The holder keeps the lock until its standard input closes, and says on its output when it has it.
        let input = Pipe()
        let output = Pipe()
        holder.standardInput = input
        holder.standardOutput = output
        try holder.run()
        defer {
            try? input.fileHandleForWriting.close()
            holder.waitUntilExit()
        }
        // A blocking read on its own thread: it returns with the holder's line, or empty if the holder exited.
        let reader = output.fileHandleForReading
        let said = await withCheckedContinuation { (continuation: CheckedContinuation<Data, Never>) in
            Thread.detachNewThread { continuation.resume(returning: reader.readData(ofLength: 7)) }
        }
        try #require(String(decoding: said, as: UTF8.self) == "locked\n", "the lock holder did not start")
        let error = #expect(throws: FileOutboxError.self) { try FileOutbox(directory: directory.url) }
        #expect(error?.kind == .locked)
        #expect(error?.description.contains("another process (pid \(holder.processIdentifier))") == true)
        #expect(error?.description.contains("give this process its own outbox directory") == true)
    }

    @Test("after a failed write the outbox refuses changes until it is reopened")
    func failedWrite() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url, configuration: small)
        try await outbox.enqueue(outboxItems(1))
        // The directory disappears: the next segment cannot be created.
        try FileManager.default.removeItem(at: directory.url)
        var failure: FileOutboxError?
        for item in outboxItems(100, prefix: "later") where failure == nil {
            do { try await outbox.enqueue([item]) } catch let error as FileOutboxError { failure = error }
        }
        let error = try #require(failure)
        #expect(error.kind == .io)
        #expect(error.description.contains("open the journal segment for writing"))
        let next = await #expect(throws: FileOutboxError.self) { try await outbox.enqueue(outboxItems(1, prefix: "after")) }
        #expect(next?.kind == .failed)
        #expect(next?.description.contains("open a new FileOutbox on the directory") == true)
        let closing = await #expect(throws: FileOutboxError.self) { try await outbox.close() }
        #expect(closing?.kind == .failed)
    }

    @Test("a child process does not inherit the lock: the directory can be reopened while the child runs")
    func childDoesNotInheritLock() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        let child = Process()
        child.executableURL = URL(fileURLWithPath: "/bin/sh")
        child.arguments = ["-c", "read line"]
        let input = Pipe()
        child.standardInput = input
        try child.run()
        defer {
            try? input.fileHandleForWriting.close()
            child.waitUntilExit()
        }
        try await outbox.close()
        let reopened = try FileOutbox(directory: directory.url)
        try await reopened.close()
    }

    @Test("an outbox dropped without close releases the directory and keeps what it acknowledged")
    func droppedReleasesLock() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try await withDroppedOutbox(directory) { outbox in try await outbox.enqueue(outboxItems(3)) }
        let reopened = try FileOutbox(directory: directory.url)
        #expect(reopened.recoveryReport.counts.pending == 3)
        try await reopened.close()
    }

    @Test("a path that is a file is refused as an outbox directory")
    func fileInsteadOfDirectory() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        try FileManager.default.createDirectory(at: directory.url, withIntermediateDirectories: true)
        let file = directory.url.appendingPathComponent("plain-file")
        try Data("x".utf8).write(to: file)
        let error = #expect(throws: FileOutboxError.self) { try FileOutbox(directory: file) }
        #expect(error?.kind == .unusableDirectory)
        #expect(error?.description.contains("a file, not a directory") == true)
    }

    @Test("a segment name taken by a directory is an I/O error that names the path")
    func unreadableSegment() throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let blocker = directory.url.appendingPathComponent("segment-00000000000000000001.journal")
        try FileManager.default.createDirectory(at: blocker, withIntermediateDirectories: true)
        let error = #expect(throws: FileOutboxError.self) { try FileOutbox(directory: directory.url) }
        #expect(error?.kind == .io)
        #expect(error?.path == blocker.path)
        #expect(error?.description.contains("remove or rename") == true)
        // The failed open released the lock.
        try FileManager.default.removeItem(at: blocker)
        _ = try FileOutbox(directory: directory.url)
    }

    @Test("after close, changes are refused with a closed error; counts still answer")
    func closed() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url)
        try await outbox.enqueue(outboxItems(1))
        try await outbox.close()
        try await outbox.close()
        await #expect(throws: FileOutboxError.self) { try await outbox.enqueue(outboxItems(2)) }
        let error = await #expect(throws: FileOutboxError.self) {
            try await outbox.lease(limit: 1, at: outboxNow, for: .seconds(1))
        }
        #expect(error?.kind == .closed)
        #expect(error?.description.contains("open a new FileOutbox") == true)
        #expect(try await outbox.counts().pending == 1)
    }

    @Test("an item larger than the limit is refused and nothing of its batch is accepted")
    func itemTooLarge() async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let outbox = try FileOutbox(directory: directory.url, configuration: .init(maximumItemSize: 1024))
        let big = DeliveryItem(id: "big-1", payload: ["text": .string(String(repeating: "x", count: 2000))])
        let error = await #expect(throws: FileOutboxError.self) { try await outbox.enqueue(outboxItems(2) + [big]) }
        #expect(error?.kind == .itemTooLarge)
        #expect(error?.description.contains("big-1") == true)
        #expect(error?.description.contains("maximumItemSize") == true)
        #expect(try await outbox.counts().pending == 0)
        try await outbox.close()
    }
}
