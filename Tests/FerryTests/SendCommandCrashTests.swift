import Ferry
import FerryTesting
import Foundation
import Testing

@Suite("ferry send --outbox crash", .serialized)
struct SendCommandCrashTests {
    static let lineCount = 10_000
    static let concurrency = 16

    /// When to kill the first run: after a pause, or once the org holds a number of records.
    enum KillMoment: Sendable, CustomTestStringConvertible {
        case afterMilliseconds(Int)
        case afterRecords(Int)

        var testDescription: String {
            switch self {
            case .afterMilliseconds(let ms): "\(ms) ms after start"
            case .afterRecords(let count): "after \(count) records"
            }
        }
    }

    /// Different moments every run: one early (while lines are being enqueued), three at random points of delivery.
    static let moments: [KillMoment] = [
        .afterMilliseconds(Int.random(in: 5...60)),
        .afterRecords(Int.random(in: 1...3_000)),
        .afterRecords(Int.random(in: 3_000...6_500)),
        .afterRecords(Int.random(in: 6_500...9_900)),
    ]

    @Test("SIGKILL at a random moment, then the same command again: every line stored exactly once", arguments: moments)
    func killAndResume(_ moment: KillMoment) async throws {
        let fixture = try SendFixture(lines: (1...Self.lineCount).map { SendFixture.line($0) })
        defer { fixture.remove() }
        let org = try SendCommandTestOrg()
        defer { org.stop() }
        let arguments = fixture.arguments(
            org, ["--apex", "CleverTap/InsertNPSFeedback", "--outbox", fixture.outboxPath,
                  "--concurrency", "\(Self.concurrency)"])

        let started = Date()
        let first = try SendCLI.start(arguments, environment: SendFixture.environment)
        defer { first.cleanUp() }
        // Wait for the moment or for the run to end by itself, whichever comes first. Both are signals (the org
        // opens a latch when it stores the record that reaches the count; the process's termination handler
        // another); only the time-based moment is a timer, since the moment itself is a time.
        let finishedBeforeKill = await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                switch moment {
                case .afterMilliseconds(let ms): try? await Task.sleep(for: .milliseconds(ms))
                case .afterRecords(let count): await org.waitForRecords(count)
                }
                return false
            }
            group.addTask {
                await first.waitForExit()
                return true
            }
            let finished = await group.next() ?? false
            group.cancelAll()
            return finished
        }
        await first.kill()
        let killedAfter = Date().timeIntervalSince(started)
        // Requests that reached the server before the kill are answered (and stored) before the counts are read:
        // the killed process's connections close, and the server says when the last one has.
        await org.waitUntilNoOpenConnections()
        let beforeResume = org.recordCount
        let requestsBeforeResume = org.apexRequests

        let second = try await CLI.run(arguments, environment: SendFixture.environment)
        let report = try fixture.report()
        let writes = org.writesByKey
        let resent = writes.values.reduce(0, +) - writes.count
        let usersStoredTwice = org.keysByUser.values.filter { $0.count > 1 }.count
        print("crash test (\(moment.testDescription)): killed after \(String(format: "%.2f", killedAfter)) s"
            + (finishedBeforeKill ? " (the run had already finished)" : "")
            + "; records before kill \(beforeResume), Apex requests before kill \(requestsBeforeResume); after resume "
            + "\(org.records.count) records, \(org.apexRequests - requestsBeforeResume) requests in the second run; "
            + "lines stored twice \(usersStoredTwice), keys written more than once \(writes.values.filter { $0 > 1 }.count) "
            + "(resent after the kill: \(resent)); report delivered \(report["delivered"]?.intValue ?? -1) "
            + "(\(report["delivered_in_earlier_runs"]?.intValue ?? -1) by the killed run), failed \(report["failed"]?.intValue ?? -1)")

        #expect(second.status == 0, "\(second.stderr)")
        #expect(report["total"]?.intValue == Self.lineCount)
        #expect(report["delivered"]?.intValue == Self.lineCount)
        #expect(report["failed"] == 0)
        // Every line is stored, under its own key, exactly once.
        #expect(org.records.count == Self.lineCount)
        #expect(org.keysByUser.count == Self.lineCount)
        #expect(usersStoredTwice == 0)
        // Only requests in flight when the process died can be sent again: a deliverer waits for its
        // acknowledgement to be durable before it takes the next line, so at most one per deliverer.
        #expect(resent <= Self.concurrency)
        // The second run sent no line the first run had delivered and acknowledged.
        #expect(org.apexRequests - requestsBeforeResume <= Self.lineCount - beforeResume + Self.concurrency)
    }
}
