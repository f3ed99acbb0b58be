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
    let runtime: TemplateRuntime
    let usesContinue: Bool
    let hasLoops: Bool

    /// The environment the template was parsed with (filters, loader, limits, mode, clock).
    public var environment: TemplateEnvironment { runtime.environment }

    /// Parses a template.
    /// - Parameters:
    ///   - source: The Liquid source.
    ///   - name: A name for error messages (a file or partial name).
    ///   - environment: Filters, loader, limits and mode.
    /// - Throws: ``TemplateError`` with the line and column of the first problem.
    public init(_ source: String, name: String? = nil, environment: TemplateEnvironment = TemplateEnvironment()) throws(TemplateError) {
        let text = SourceText(name: name, text: source)
        let root = try Parser.parse(text, environment: environment)
        let runtime = TemplateRuntime(environment: environment, includesPartials: Template.containsPartial(root))
        self.init(root: root, source: text, runtime: runtime)
    }

    init(root: [Node], source: SourceText, runtime: TemplateRuntime) {
        self.root = root
        self.source = source
        self.runtime = runtime
        self.usesContinue = Template.usesContinueOffset(root)
        self.hasLoops = Template.containsLoop(root)
    }

    /// Whether the nodes contain a loop or partial (which bind variables in the scope stack).
    static func containsLoop(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node {
            case .forLoop, .tablerow, .partial: return true
            case .conditional(let conditional): return conditional.branches.contains { containsLoop($0.body) }
            case .caseBlock(let caseNode): return caseNode.branches.contains { containsLoop($0.body) }
            case .capture(_, let body), .ifchanged(let body), .sequence(let body): return containsLoop(body)
            default: return false
            }
        }
    }

    /// Whether the nodes contain `include` or `render` (only then does the template keep a ``PartialCache``).
    static func containsPartial(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node {
            case .partial: return true
            case .forLoop(let loop), .tablerow(let loop): return containsPartial(loop.body) || containsPartial(loop.elseBody)
            case .conditional(let conditional): return conditional.branches.contains { containsPartial($0.body) }
            case .caseBlock(let caseNode): return caseNode.branches.contains { containsPartial($0.body) }
            case .capture(_, let body), .ifchanged(let body), .sequence(let body): return containsPartial(body)
            default: return false
            }
        }
    }

    /// Whether any loop in the nodes uses `offset: continue` (only then do loops record where they stopped).
    static func usesContinueOffset(_ nodes: [Node]) -> Bool {
        nodes.contains { node in
            switch node {
            case .forLoop(let loop), .tablerow(let loop):
                if case .continue = loop.offset { return true }
                return usesContinueOffset(loop.body) || usesContinueOffset(loop.elseBody)
            case .conditional(let conditional): return conditional.branches.contains { usesContinueOffset($0.body) }
            case .caseBlock(let caseNode): return caseNode.branches.contains { usesContinueOffset($0.body) }
            case .capture(_, let body), .ifchanged(let body), .sequence(let body): return usesContinueOffset(body)
            default: return false
            }
        }
    }

    /// Starts a render of this template.
    func makeRenderer(_ context: JSONValue) -> Renderer {
        Renderer(runtime: runtime, source: source, context: context,
                 buffers: runtime.takeBuffers(outputCapacity: source.bytes.count + 64, hasLoops: hasLoops),
                 recordOffsets: usesContinue)
    }

    /// The template's name, as given when it was parsed.
    public var name: String? { source.name }

    /// Renders the template against a context.
    /// - Parameter context: The data: an object whose members are the top-level variables (`Profile`, `Event`).
    /// - Returns: The output, or the reason `{% abort %}` gave.
    /// - Throws: ``TemplateError`` for render errors (strict-mode undefined names, filter failures, limits).
    public func render(_ context: JSONValue) throws(TemplateError) -> RenderResult {
        var renderer = makeRenderer(context)
        do {
            _ = try renderer.withSource(source) { (renderer) throws(RenderFailure) in try renderer.render(root) }
        } catch {
            switch error {
            case .error(let failure): throw failure
            case .aborted(let reason): return .aborted(reason: reason)
            }
        }
        let text = String(decoding: renderer.output, as: UTF8.self)
        renderer.recycleBuffers()
        return .rendered(text)
    }
}
