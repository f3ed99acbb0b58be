import FerryCore
import Testing

@Suite("FerryMutex")
struct FerryMutexTests {
    private struct Boom: Error {}

    /// Locks live in shared objects: a noncopyable lock cannot be captured by the tasks themselves.
    private final class Shared: Sendable {
        let count = FerryMutex(0)
    }

    @Test("concurrent updates are never lost")
    func exclusion() async {
        let shared = Shared()
        await withTaskGroup(of: Void.self) { group in
            for _ in 0..<8 {
                group.addTask {
                    for _ in 0..<10_000 { shared.count.withLock { $0 += 1 } }
                }
            }
        }
        #expect(shared.count.withLock { $0 } == 80_000)
    }

    @Test("a throwing body rethrows its error, keeps its changes and releases the lock")
    func throwingBody() {
        let log = FerryMutex([String]())
        #expect(throws: Boom.self) {
            try log.withLock { (entries: inout [String]) throws(Boom) in
                entries.append("before")
                throw Boom()
            }
        }
        // Taking the lock again would deadlock had the throw left it held.
        let entries = log.withLock { entries -> [String] in
            entries.append("after")
            return entries
        }
        #expect(entries == ["before", "after"])
    }

    @Test("the body's result is returned")
    func result() {
        let words = FerryMutex(["a", "b"])
        let count = words.withLock { $0.count }
        #expect(count == 2)
    }
}
