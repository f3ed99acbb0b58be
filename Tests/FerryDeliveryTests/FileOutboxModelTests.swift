import FerryCore
import FerryDelivery
import Foundation
import Testing

/// A small deterministic random number generator (SplitMix64), so a failing sequence can be replayed.
struct SeededGenerator: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Suite("FileOutbox against the in-memory model")
struct FileOutboxModelTests {
    /// Random operations on a FileOutbox and an InMemoryOutbox side by side, with small segments (so rolls,
    /// deletions and compaction happen) and restarts (closed or dropped) in between: after each step both hold
    /// the same items in the same states (leases aside, which a restart releases).
    @Test("random operations with restarts leave the same state as the in-memory outbox", arguments: [1, 2, 3, 4] as [UInt64])
    func matchesModel(seed: UInt64) async throws {
        let directory = TemporaryDirectory()
        defer { directory.cleanUp() }
        let configuration = FileOutbox.Configuration(durability: .noSync, segmentSize: 4096)
        var random = SeededGenerator(state: seed)
        let model = InMemoryOutbox()
        var file: FileOutbox? = try FileOutbox(directory: directory.url, configuration: configuration)
        var now = outboxNow
        var nextID = 1
        for step in 0..<300 {
            now = now.addingTimeInterval(2)
            let operation = Int.random(in: 0..<100, using: &random)
            if operation >= 88 {
                // Restart: closed cleanly or dropped as in a crash (no other reference is held here).
                if Bool.random(using: &random) { try await file?.close() }
                file = nil
                let reopened = try FileOutbox(directory: directory.url, configuration: configuration)
                #expect(reopened.recoveryReport.isClean, "step \(step): \(reopened.recoveryReport.skipped)")
                file = reopened
            }
            let outbox = try #require(file)
            switch operation {
            case 0..<35:
                let count = Int.random(in: 1...8, using: &random)
                var batch: [DeliveryItem] = []
                for _ in 0..<count {
                    // Now and then an id that was used before.
                    let id = nextID > 1 && Bool.random(using: &random) && Int.random(in: 0..<4, using: &random) == 0
                        ? Int.random(in: 1..<nextID, using: &random) : { defer { nextID += 1 }; return nextID }()
                    batch.append(DeliveryItem(id: "m-\(id)", payload: ["n": .int(id), "s": .string(String(repeating: "x", count: id % 50))], sequence: id))
                }
                try await outbox.enqueue(batch)
                await model.enqueue(batch)
            case 35..<80:
                // Lease everything available (leases are 1 s; time moves 2 s per step), then settle each item.
                let leased = try await outbox.lease(limit: 10_000, at: now, for: .seconds(1))
                let modelLeased = await model.lease(limit: 10_000, at: now, for: .seconds(1))
                #expect(Set(leased.map(\.id)) == Set(modelLeased.map(\.id)), "step \(step): leased sets differ")
                // Each outbox knows its own leases: the model is told of an item under the lease it gave.
                let modelLeases = Dictionary(modelLeased.map { ($0.id, $0.lease) }, uniquingKeysWith: { first, _ in first })
                var acknowledged: [String] = []
                for var item in leased {
                    var modelItem: DeliveryItem {
                        var copy = item
                        copy.lease = modelLeases[item.id] ?? nil
                        return copy
                    }
                    switch Int.random(in: 0..<10, using: &random) {
                    case 0..<5: acknowledged.append(item.id)
                    case 5..<7:
                        item.attempts += 1
                        let date = now.addingTimeInterval(Double(Int.random(in: 0...6, using: &random)))
                        try await outbox.reschedule(item, availableAt: date)
                        await model.reschedule(modelItem, availableAt: date)
                    case 7..<9:
                        item.attempts += 1
                        let failure = DeliveryFailure(status: 400, errorCode: DeliveryErrorCode(rawValue: "E\(item.id)"), message: "m", retryability: .final)
                        try await outbox.deadLetter(item, failure: failure)
                        await model.deadLetter(modelItem, failure: failure)
                    default: break  // the lease just expires
                    }
                }
                try await outbox.acknowledge(acknowledged)
                await model.acknowledge(acknowledged)
            case 80..<88:
                let dead = await model.deadLetters(limit: 10_000).map(\.item.id)
                let chosen = Bool.random(using: &random) ? nil : Array(dead.prefix(2))
                let moved = try await outbox.replayDeadLetters(chosen)
                #expect(moved == (await model.replayDeadLetters(chosen)), "step \(step): replay counts differ")
            default:
                break  // restarted above
            }
            let counts = try await outbox.counts()
            let modelCounts = await model.counts()
            #expect(counts.outstanding == modelCounts.outstanding, "step \(step): outstanding differs")
            #expect(counts.dead == modelCounts.dead, "step \(step): dead differs")
            let dead = try await outbox.deadLetters(limit: 10_000)
            let modelDead = await model.deadLetters(limit: 10_000)
            #expect(Set(dead) == Set(modelDead), "step \(step): dead letters differ")
        }
        // Everything left, as items: same ids, attempts and payloads.
        let outbox = try #require(file)
        file = nil
        let later = now.addingTimeInterval(3600)
        let rest = try await outbox.lease(limit: 100_000, at: later, for: .seconds(1))
        let modelRest = await model.lease(limit: 100_000, at: later, for: .seconds(1))
        #expect(Set(rest) == Set(modelRest))
        #expect(rest.count == modelRest.count)
        try await outbox.close()
        // Rolls, deletions and compaction happened along the way.
        let names = directory.segments().map(\.lastPathComponent)
        #expect(!names.contains("segment-00000000000000000001.journal"))
        #expect(names.count < 10, "\(names)")
        let lastNumber = names.last.flatMap { UInt64($0.dropFirst("segment-".count).prefix(20)) } ?? 0
        #expect(lastNumber > 5, "\(names)")
    }
}
