/// The outcome of a render that did not fail: the output, or a deliberate stop by `{% abort %}`.
///
/// An aborted render is not an error: the template decided this record must not be sent (CleverTap's
/// `{% abort %}`), and an exporter reports it as skipped with the reason.
public enum RenderResult: Sendable, Hashable {
    /// The rendered text.
    case rendered(String)
    /// `{% abort %}` stopped the render, with the reason it gave, if any.
    case aborted(reason: String?)

    /// The rendered text, or `nil` when aborted.
    public var output: String? {
        if case .rendered(let text) = self { return text }
        return nil
    }

    /// Whether `{% abort %}` stopped the render.
    public var isAborted: Bool {
        if case .aborted = self { return true }
        return false
    }
}
