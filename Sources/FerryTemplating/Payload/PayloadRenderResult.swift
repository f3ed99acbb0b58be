import FerryCore

/// What one render of a ``PayloadTemplate`` produced: the payload, checked once and kept as the bytes the template
/// wrote, or the reason `{% abort %}` gave. One render answers both, so a caller never renders again to learn why
/// it was aborted.
public enum PayloadRenderResult: Sendable, Hashable {
    /// The payload: one valid JSON value, as its bytes (parse them with ``/FerryCore/RawJSON/value``).
    case payload(RawJSON)
    /// `{% abort %}` stopped the render, with the reason it gave, if any.
    case aborted(reason: String?)
}
