import Foundation
import FerryCore
import FerryDelivery
import FuzzSupport

/// The directory every input's outbox is opened in (one per process; emptied between inputs).
let root = FileManager.default.temporaryDirectory
    .appendingPathComponent("ferry-fuzz-journal-\(ProcessInfo.processInfo.processIdentifier)", isDirectory: true)

/// Opens a `FileOutbox` on arbitrary bytes as its journal.
///
/// Input: the bytes of `segment-00000000000000000001.journal` (the seeds are real segments written by the
/// outbox, with enqueues, acknowledgements, reschedules and dead letters). Recovery must either recover (then the outbox must answer, lease, acknowledge and close) or throw a `FileOutboxError`, and
/// must never crash or hang.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let directory = root.appendingPathComponent("outbox", isDirectory: true)
    try? FileManager.default.removeItem(at: directory)
    do {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        try input.data.write(to: directory.appendingPathComponent("segment-00000000000000000001.journal"))
    } catch {
        fuzzCheck(false, "cannot prepare the journal directory: \(error)")
    }
    let outbox: FileOutbox
    do {
        var configuration = FileOutbox.Configuration()
        configuration.durability = .noSync
        outbox = try FileOutbox(directory: directory, configuration: configuration)
    } catch {
        _ = error.description
        return 0
    }
    _ = outbox.recoveryReport
    runBlocking {
        do {
            let counts = try await outbox.counts()
            let leased = try await outbox.lease(limit: 1000, at: Date(timeIntervalSince1970: 4_000_000_000), for: .seconds(60))
            fuzzCheck(leased.count <= 1000, "lease returned more than asked")
            _ = counts
            try await outbox.acknowledge(leased.map(\.id))
            _ = try await outbox.deadLetters(limit: 100)
            try await outbox.close()
        } catch {
            fuzzCheck(false, "a recovered outbox failed: \(error)")
        }
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_journal_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
