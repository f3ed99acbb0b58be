import FerryCore

/// A parsed Liquid template: parse once, render many times.
///
/// A `Template` is immutable and `Sendable`: share one across tasks and render it concurrently. Rendering is
/// synchronous and allocates only the output and what filters create.
///
/// ```swift
/// let template = try Template(#"Hello {{ Profile.Name | default: "there" }}, you rated us {{ Event["User Rating"] }}."#)
/// let result = try template.render(["Profile": ["Name": "Jane"], "Event": ["User Rating": 9]])
/// result.output   // "Hello Jane, you rated us 9."
/// ```
///
/// `{% abort %}` stops a render deliberately: the result is ``RenderResult/aborted(reason:)``, not an error.
public struct Template: Sendable {
    let root: [Node]
    let source: SourceText
    /// The environment the template was parsed with (filters, loader, limits, mode, clock).
    public let environment: TemplateEnvironment

    /// Parses a template.
    /// - Parameters:
    ///   - source: The Liquid source.
    ///   - name: A name for error messages (a file or partial name).
    ///   - environment: Filters, loader, limits and mode.
    /// - Throws: ``TemplateError`` with the line and column of the first problem.
    public init(_ source: String, name: String? = nil, environment: TemplateEnvironment = TemplateEnvironment()) throws(TemplateError) {
        let text = SourceText(name: name, text: source)
        self.source = text
        self.environment = environment
        self.root = try Parser.parse(text, environment: environment)
    }

    init(root: [Node], source: SourceText, environment: TemplateEnvironment) {
        self.root = root
        self.source = source
        self.environment = environment
    }

    /// The template's name, as given when it was parsed.
    public var name: String? { source.name }

    /// Renders the template against a context.
    /// - Parameter context: The data: an object whose members are the top-level variables (`Profile`, `Event`).
    /// - Returns: The output, or the reason `{% abort %}` gave.
    /// - Throws: ``TemplateError`` for render errors (strict-mode undefined names, filter failures, limits).
    public func render(_ context: JSONValue) throws(TemplateError) -> RenderResult {
        let renderer = Renderer(environment: environment, source: source, context: context,
                                capacity: source.bytes.count + 64)
        do {
            _ = try renderer.render(root)
        } catch {
            switch error {
            case .error(let failure): throw failure
            case .aborted(let reason): return .aborted(reason: reason)
            }
        }
        return .rendered(String(decoding: renderer.output, as: UTF8.self))
    }
}
