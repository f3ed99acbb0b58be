import FerryCore
import Synchronization

/// What a render needs from the environment, computed once per template and shared by reference, so starting a
/// render copies nothing.
final class TemplateRuntime: Sendable {
    let environment: TemplateEnvironment
    let filterContext: FilterContext
    let strict: Bool
    let limits: TemplateLimits
    /// The partials this template's renders have parsed (see ``PartialCache``); `nil` for a template without
    /// `include` or `render`, which then costs no lock to parse.
    let partials: PartialCache?
    /// The shelf this template's renders take buffers from and return them to (see ``RenderBuffers/shelves``).
    let shelf: RenderBuffers.Shelf

    init(environment: TemplateEnvironment, includesPartials: Bool) {
        self.partials = includesPartials ? PartialCache(capacity: environment.limits.maximumCachedPartials) : nil
        self.environment = environment
        self.filterContext = environment.filterContext
        self.strict = environment.mode.isStrict
        self.limits = environment.limits
        shelf = RenderBuffers.nextShelf()
    }

    /// Buffers for a render: a finished render's, or new ones with room for `outputCapacity` bytes of output.
    func takeBuffers(outputCapacity: Int, hasLoops: Bool) -> RenderBuffers {
        if let spare = shelf.spare.withLock({ $0.popLast() }) { return spare }
        return RenderBuffers(outputCapacity: outputCapacity, hasLoops: hasLoops)
    }

    /// Keeps a finished render's buffers, emptied, on this template's shelf for the next render, unless the shelf
    /// is full or one of the buffers has grown past its bound (``RenderBuffers/isWorthKeeping``): a rare huge
    /// render, or one with deep nesting, does not pin its memory for the process's lifetime. At most 8 shelves of
    /// 4 sets are kept, each with at most 64 KiB of output, 256 scope entries and 64 loop frames.
    /// - Parameter buffers: The buffers, moved out (left empty); `inout` rather than consumed, so that emptying
    ///   them works in place on uniquely referenced storage instead of allocating new.
    func recycle(_ buffers: inout RenderBuffers) {
        guard buffers.isWorthKeeping else { return }
        buffers.output.removeAll(keepingCapacity: true)
        // A render that finished has popped its scope and loops; one that stopped early may not have.
        if !buffers.scope.isEmpty { buffers.scope.removeAll(keepingCapacity: true) }
        if !buffers.loops.isEmpty { buffers.loops.removeAll(keepingCapacity: true) }
        shelf.spare.withLock { spare in
            guard spare.count < RenderBuffers.keptCount else { return }
            // Swapped in rather than appended: a copy would retain each array, and the caller's release of
            // its own copy would follow.
            spare.append(RenderBuffers())
            swap(&spare[spare.count - 1], &buffers)
        }
    }
}

/// The growable storage of one render: its output bytes and its scope and loop stacks.
///
/// Allocating these three arrays and freeing them again was about a tenth of a small render's cost. Finished
/// renders leave theirs on a shelf, and the next render takes one set (under the shelf's lock, so concurrent
/// renders never share a set). The shelves are process-wide, not one per template, because creating a lock
/// (its generic metadata) cost a parse about 800 instructions; templates are given shelves in turn, so renders
/// of different templates seldom wait for the same lock.
struct RenderBuffers: Sendable {
    /// One lock-protected stack of spare buffers.
    final class Shelf: Sendable {
        let spare = FerryMutex<[RenderBuffers]>([])
    }

    /// The shelves, created once per process.
    static let shelves: [Shelf] = (0..<8).map { _ in Shelf() }
    /// How many shelves have been handed out.
    private static let shelvesGiven = Atomic<Int>(0)

    /// The shelf for a new template: the next one in turn.
    static func nextShelf() -> Shelf {
        let turn = shelvesGiven.wrappingAdd(1, ordering: .relaxed).oldValue
        return shelves[Int(UInt(bitPattern: turn) % UInt(shelves.count))]
    }

    /// The most sets a shelf keeps.
    static let keptCount = 4
    /// The largest output buffer, in bytes, that is kept for reuse.
    static let largestKeptOutput = 64 * 1024
    /// The largest scope stack, in entries, that is kept for reuse.
    static let largestKeptScope = 256
    /// The largest loop stack, in frames, that is kept for reuse.
    static let largestKeptLoops = 64

    /// Whether these buffers go back on a shelf: none of them has grown past its bound (capacity, not count,
    /// since capacity is what stays allocated).
    var isWorthKeeping: Bool {
        output.capacity <= Self.largestKeptOutput && scope.capacity <= Self.largestKeptScope
            && loops.capacity <= Self.largestKeptLoops
    }

    var output: [UInt8]
    var scope: [ScopeEntry]
    var loops: [LoopFrame]

    /// Empty buffers that hold no storage.
    init() {
        output = []
        scope = []
        loops = []
    }

    /// New buffers: `outputCapacity` bytes of output, and room for a few loops when the template has any.
    init(outputCapacity: Int, hasLoops: Bool) {
        self.init()
        output.reserveCapacity(outputCapacity)
        if hasLoops {
            // One allocation each, instead of growing from empty on the first loop.
            scope.reserveCapacity(8)
            loops.reserveCapacity(4)
        }
    }
}
