/// Resource limits that keep a template from an untrusted editor from exhausting memory, time or the stack.
///
/// Every limit, when exceeded, stops parsing or rendering with a ``TemplateError`` of a dedicated kind; none of
/// them can hang or crash the process.
public struct TemplateLimits: Sendable, Hashable {
    /// The largest template source accepted, in UTF-8 bytes (default 1 MiB).
    public var maximumTemplateBytes: Int
    /// The largest rendered output (and the largest string an `assign` or `capture` may hold), in UTF-8 bytes
    /// (default 4 MiB; Salesforce's Apex REST limit is 6 MB).
    public var maximumOutputBytes: Int
    /// The most loop iterations (`for`, `tablerow`, `include ... for`) one render may run, and the largest range
    /// it may build (default 1,000,000).
    public var maximumLoopIterations: Int
    /// The deepest nesting of blocks and of brackets in expressions (default 100).
    public var maximumNestingDepth: Int
    /// The deepest nesting of `include` / `render` partials (default 20).
    public var maximumPartialDepth: Int
    /// The most partials one template keeps parsed between renders (default 64). A template reads and parses
    /// each partial once and reuses it in later renders; past this many distinct partials (`{% include
    /// item.kind %}` over many kinds) it forgets the oldest, so memory stays bounded. `0` parses partials afresh
    /// in every render.
    public var maximumCachedPartials: Int

    /// Creates limits; every parameter has a safe default.
    /// - Parameters:
    ///   - maximumTemplateBytes: The largest template source, in bytes.
    ///   - maximumOutputBytes: The largest output, in bytes.
    ///   - maximumLoopIterations: The most loop iterations per render.
    ///   - maximumNestingDepth: The deepest block and expression nesting.
    ///   - maximumPartialDepth: The deepest partial nesting.
    ///   - maximumCachedPartials: The most partials a template keeps parsed between renders.
    public init(maximumTemplateBytes: Int = 1 << 20, maximumOutputBytes: Int = 4 << 20,
                maximumLoopIterations: Int = 1_000_000, maximumNestingDepth: Int = 100,
                maximumPartialDepth: Int = 20, maximumCachedPartials: Int = 64) {
        self.maximumTemplateBytes = maximumTemplateBytes
        self.maximumOutputBytes = maximumOutputBytes
        self.maximumLoopIterations = maximumLoopIterations
        self.maximumNestingDepth = maximumNestingDepth
        self.maximumPartialDepth = maximumPartialDepth
        self.maximumCachedPartials = maximumCachedPartials
    }

    /// The default limits.
    public static let `default` = TemplateLimits()
}
