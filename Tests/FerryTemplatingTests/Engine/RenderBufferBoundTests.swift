@testable import FerryTemplating
import Testing

@Suite("Which render buffers are kept for reuse")
struct RenderBufferBoundTests {
    @Test("a new set, and a set at each bound, is kept")
    func keptAtBounds() {
        #expect(RenderBuffers(outputCapacity: 4096, hasLoops: true).isWorthKeeping)
        var buffers = RenderBuffers()
        buffers.scope.reserveCapacity(RenderBuffers.largestKeptScope / 2)
        buffers.loops.reserveCapacity(RenderBuffers.largestKeptLoops / 2)
        #expect(buffers.isWorthKeeping)
    }

    @Test("a set whose output, scope or loop stack grew past its bound is dropped")
    func droppedPastAnyBound() {
        var output = RenderBuffers()
        output.output.reserveCapacity(RenderBuffers.largestKeptOutput + 1)
        #expect(!output.isWorthKeeping)

        var scope = RenderBuffers()
        for index in 0...RenderBuffers.largestKeptScope { scope.scope.append(ScopeEntry(name: "v\(index)", value: .null)) }
        scope.scope.removeAll(keepingCapacity: true)
        #expect(scope.output.capacity == 0)
        #expect(!scope.isWorthKeeping)

        var loops = RenderBuffers()
        for _ in 0...RenderBuffers.largestKeptLoops {
            loops.loops.append(LoopFrame(index0: 0, length: 1, name: "l", parent: nil, columns: 0))
        }
        loops.loops.removeAll(keepingCapacity: true)
        #expect(!loops.isWorthKeeping)
    }

    @Test("recycling drops a set with an oversized scope stack instead of shelving it")
    func recycleDropsOversizedScope() {
        let runtime = TemplateRuntime(environment: TemplateEnvironment(), includesPartials: false)
        var buffers = RenderBuffers()
        for index in 0...RenderBuffers.largestKeptScope { buffers.scope.append(ScopeEntry(name: "v\(index)", value: .null)) }
        let grown = buffers.scope.capacity
        // Room on the shelf, so only the bound can keep the set off it (other renders just allocate new sets).
        runtime.shelf.spare.withLock { $0.removeAll() }
        runtime.recycle(&buffers)
        // Other tests share the process-wide shelves, so look for this set's capacity rather than count sets.
        let shelved = runtime.shelf.spare.withLock { spare in spare.contains { $0.scope.capacity == grown } }
        #expect(!shelved)
    }
}
