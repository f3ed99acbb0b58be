import Foundation
import Ferry

/// `ferry-bench outbox`: how fast a `FileOutbox` accepts items durably (group commit, every 10 ms), without
/// `fsync`, and how long recovery of the resulting journal takes.
enum OutboxBenchmark {
    static let help = """
        USAGE: ferry-bench outbox [--records N] [--senders N] [--directory DIR] [--keep]
               ferry-bench outbox --recover DIR

        Enqueues N items (default 1000000), one item per enqueue call, from --senders concurrent tasks (default
        1000) into a FileOutbox with group commit (fsync at most every 10 ms), then into a fresh one without
        fsync (and 10% of N with an fsync per write batch); then reopens the group-commit journal and times its
        recovery. Journals go to a temporary directory under DIR (default: the system temporary directory) and
        are deleted afterwards. Prints figures and a last line
        `enqueues_per_sec=<group commit> recovery_seconds=<recovery of N records>`.

          --keep           keep the journals, the group-commit one with its N items pending (the directory is printed)
          --recover DIR    only open the FileOutbox in DIR, time its recovery and print its report
        """

    static func run(_ arguments: [String]) async throws -> Int32 {
        var records = 1_000_000
        var senders = 1000
        var base = FileManager.default.temporaryDirectory
        var keep = false
        var index = 0
        while index < arguments.count {
            let value = index + 1 < arguments.count ? arguments[index + 1] : nil
            switch arguments[index] {
            case "--records":
                guard let value, let n = Int(value), n > 0 else { throw BenchError("--records needs a positive whole number") }
                records = n
            case "--senders":
                guard let value, let n = Int(value), n > 0 else { throw BenchError("--senders needs a positive whole number") }
                senders = n
            case "--keep":
                keep = true
                index += 1
                continue
            case "--recover":
                guard let value else { throw BenchError("--recover needs a path") }
                return try recoverOnly(URL(fileURLWithPath: value, isDirectory: true))
            case "--directory":
                guard let value else { throw BenchError("--directory needs a path") }
                base = URL(fileURLWithPath: value, isDirectory: true)
            default:
                throw BenchError("unknown option '\(arguments[index])'\n\(help)")
            }
            index += 2
        }
        let root = base.appendingPathComponent("ferry-bench-outbox-\(UUID().uuidString)", isDirectory: true)
        defer {
            if keep { print("journals kept in \(root.path)") } else { try? FileManager.default.removeItem(at: root) }
        }
        print("records: \(records), senders: \(senders), one item per enqueue, payload \(samplePayload.jsonData().count) bytes of JSON")

        let grouped = root.appendingPathComponent("group-commit")
        let group = try await enqueue(records, senders: senders, into: grouped, durability: .interval(.milliseconds(10)))
        print(line("enqueue, fsync every 10 ms (group)", group, records: records))
        let groupRate = group.rate
        let unsynced = try await enqueue(
            records, senders: senders, into: root.appendingPathComponent("no-sync"), durability: .noSync)
        print(line("enqueue, no fsync", unsynced, records: records))
        let everyCount = max(1, records / 10)
        let every = try await enqueue(
            everyCount, senders: senders, into: root.appendingPathComponent("every-record"), durability: .everyRecord)
        print(line("enqueue, fsync per write batch (\(everyCount))", every, records: everyCount))

        let journalBytes = try FileManager.default.contentsOfDirectory(atPath: grouped.path)
            .filter { $0.hasPrefix("segment-") }
            .reduce(0) { total, name in
                total + ((try? FileManager.default.attributesOfItem(atPath: grouped.appendingPathComponent(name).path)[.size] as? NSNumber)?.intValue ?? 0)
            }
        let clock = ContinuousClock()
        let start = clock.now
        let reopened = try FileOutbox(directory: grouped)
        let recoverySeconds = (clock.now - start).seconds
        let report = reopened.recoveryReport
        guard report.counts.pending == records, report.isClean else {
            throw BenchError("recovery found \(report.counts.pending) pending items (expected \(records)); skipped: \(report.skipped)")
        }
        print("recovery: \(report.recordsReplayed) records, \(report.segmentsRead) segments, \(format(Double(journalBytes) / 1_048_576, 1)) MiB in \(format(recoverySeconds, 3)) s (\(format(Double(report.recordsReplayed) / recoverySeconds, 0)) records/s)")
        let leaseStart = clock.now
        var leased = 0
        // With --keep the journal is left as recovered (N pending items), for `--recover`.
        while !keep {
            let batch = try await reopened.lease(limit: 1000, at: Date(), for: .seconds(300))
            if batch.isEmpty { break }
            leased += batch.count
            try await reopened.acknowledge(batch.map(\.id))
        }
        if !keep { print(line("lease + acknowledge after recovery", Double(leased) / (clock.now - leaseStart).seconds)) }
        try await reopened.close()
        print("enqueues_per_sec=\(format(groupRate, 0)) recovery_seconds=\(format(recoverySeconds, 3))")
        return 0
    }

    /// Opens an existing outbox and prints how long recovery took and what it found.
    static func recoverOnly(_ directory: URL) throws -> Int32 {
        let clock = ContinuousClock()
        let start = clock.now
        let outbox = try FileOutbox(directory: directory)
        let seconds = (clock.now - start).seconds
        let report = outbox.recoveryReport
        print("recovery: \(report.recordsReplayed) records, \(report.segmentsRead) segments, \(report.counts.pending) pending, \(report.counts.dead) dead, \(report.releasedLeases) released leases, \(report.skipped.count) skipped ranges")
        for range in report.skipped { print("  skipped: \(range)") }
        print("recovery_seconds=\(format(seconds, 3))")
        return 0
    }

    static let samplePayload: JSONValue = [
        "userId": "u-4f1c9a2e", "email": "ada@example.com", "event": "NPS Submitted", "npsScore": 9,
        "comment": "Fast checkout, friendly support", "ts": "2026-11-29T18:00:00Z",
        "profile": ["tier": "gold", "country": "GB", "sessions": 42],
    ]

    /// Enqueues `count` items from `senders` tasks, one item per call; returns items per second.
    static func enqueue(_ count: Int, senders: Int, into directory: URL, durability: FileOutbox.Durability) async throws -> (rate: Double, statistics: FileOutbox.Statistics) {
        let outbox = try FileOutbox(directory: directory, configuration: .init(durability: durability))
        let payload = samplePayload
        let clock = ContinuousClock()
        let start = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            let senders = min(senders, count)
            for sender in 0..<senders {
                group.addTask {
                    var index = sender
                    while index < count {
                        try await outbox.enqueue([DeliveryItem(id: "rec-\(index)", payload: payload, sequence: index)])
                        index += senders
                    }
                }
            }
            try await group.waitForAll()
        }
        let seconds = (clock.now - start).seconds
        let statistics = outbox.statistics
        try await outbox.close()
        return (Double(count) / seconds, statistics)
    }

    static func line(_ name: String, _ rate: Double) -> String {
        "\(name.padding(toLength: 44, withPad: " ", startingAt: 0)) \(format(rate, 0)) items/s"
    }

    static func line(_ name: String, _ result: (rate: Double, statistics: FileOutbox.Statistics), records: Int) -> String {
        let perFlush = result.statistics.flushes > 0
            ? "\(format(Double(records) / Double(result.statistics.flushes), 0)) items per fsync"
            : "no fsync"
        return line(name, result.rate) + "  (\(result.statistics.writes) writes, \(result.statistics.flushes) fsyncs, \(perFlush))"
    }
}
