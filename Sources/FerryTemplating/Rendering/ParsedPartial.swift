/// A partial as the loader gave it, parsed: its source (for text and error locations) and its nodes.
struct ParsedPartial: Sendable {
    let source: SourceText
    let nodes: [Node]
    /// Whether the partial has a loop with `offset: continue` (the render must then record loop offsets).
    let usesContinue: Bool
}
