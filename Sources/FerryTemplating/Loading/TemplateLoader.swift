/// Where `include` and `render` find partial templates by name.
///
/// A loader returns the partial's source, or `nil` when it has none of that name; the engine then reports a
/// ``TemplateError/Kind/partialNotFound`` error at the tag. Loaders are called while rendering and must be safe
/// to call from several tasks at once.
public protocol TemplateLoader: Sendable {
    /// The source of the partial called `name`.
    /// - Parameter name: The name as the template wrote it (`{% render 'footer' %}` asks for `footer`).
    /// - Returns: The source, or `nil` when there is no such partial.
    func source(named name: String) -> String?
}
