/// A standard filter's signature and body, as the filter families list them.
///
/// A class rather than a `(FilterSignature, LiquidFilter)` tuple: an array or dictionary of tuples (or of bare
/// closures) stores its closures in their most general form, so every call of the filter went through a pair of
/// conversion thunks that copy the input, arguments and context; a stored closure field keeps its own form. A
/// class, not a struct, so that looking one up while parsing retains one reference rather than each field.
final class FilterDefinition: Sendable {
    let signature: FilterSignature
    let body: LiquidFilter
    /// How the renderer may run this filter in place (see ``BuiltinFilter``).
    let builtin: BuiltinFilter

    init(_ signature: FilterSignature, builtin: BuiltinFilter = .none, _ body: @escaping LiquidFilter) {
        self.signature = signature
        self.builtin = builtin
        self.body = body
    }
}
