import FerryCore

/// A host-defined inline tag: `{% name argument, argument %}` writes the value the closure returns.
///
/// Arguments are Liquid expressions (filters allowed), evaluated before the call; the result is written as an
/// output tag would write it (and escaped for its JSON context in payload templates).
///
/// ```swift
/// var environment = TemplateEnvironment()
/// environment.register(tag: "nps_band", CustomTag { arguments, _ in
///     guard let score = arguments.first?.intValue else { return "unknown" }
///     return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor"
/// })
/// ```
public struct CustomTag: Sendable {
    /// The function behind the tag.
    public typealias Body = @Sendable (_ arguments: [JSONValue], _ context: FilterContext) throws(FilterError) -> JSONValue

    let body: Body

    /// Creates a tag from its function.
    /// - Parameter body: Called with the evaluated arguments; its result is written to the output.
    public init(_ body: @escaping Body) {
        self.body = body
    }
}
