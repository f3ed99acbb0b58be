import FerryCore

/// The partials one template has parsed, shared by all its renders, so a partial is read from the loader and
/// parsed once per template rather than once per render (a `DirectoryTemplateLoader` would otherwise read and
/// parse the file again for every item).
///
/// Thread-safe: renders of one template run concurrently and share the cache through a lock held only to look up
/// or store an entry, never while loading or parsing. Bounded: it keeps at most
/// ``TemplateLimits/maximumCachedPartials`` partials and forgets the oldest beyond that, so a template that includes
/// partials by computed name (`{% include item.kind %}`) cannot grow memory without limit. A partial that is missing or fails to parse is not cached: the next render asks
/// the loader again and reports the same error.
final class PartialCache: Sendable {
    /// The most partials kept.
    let capacity: Int

    private struct State {
        var entries: [String: ParsedPartial] = [:]
        /// Names in the order they were stored, oldest first.
        var order: [String] = []
    }

    private let state = FerryMutex(State())

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// The parsed partial called `name`, if this template has parsed it before.
    func partial(named name: String) -> ParsedPartial? {
        state.withLock { $0.entries[name] }
    }

    /// Stores a parsed partial, forgetting the oldest when the cache is full.
    func store(_ partial: ParsedPartial, named name: String) {
        guard capacity > 0 else { return }
        let capacity = self.capacity
        state.withLock { state in
            guard state.entries[name] == nil else { return }
            if state.order.count >= capacity {
                let oldest = state.order.removeFirst()
                state.entries[oldest] = nil
            }
            state.entries[name] = partial
            state.order.append(name)
        }
    }
}
