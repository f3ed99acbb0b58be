/// A standard filter's signature and body, as the filter families list them.
///
/// A struct rather than a `(FilterSignature, LiquidFilter)` tuple: an array of tuples stores its closures in their
/// most general form, so every call of the filter went through a pair of conversion thunks that copy the input,
/// arguments and context; a struct's closure field keeps its own form.
struct FilterDefinition: Sendable {
    let signature: FilterSignature
    let body: LiquidFilter

    init(_ signature: FilterSignature, _ body: @escaping LiquidFilter) {
        self.signature = signature
        self.body = body
    }
}
