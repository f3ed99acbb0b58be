import FerryCore
import Foundation

/// A Liquid template whose output is a JSON payload, and can never be broken by the data.
///
/// At parse time the template's JSON context is tracked through its text (as Go's html/template tracks HTML), so
/// every output tag knows where it stands:
/// - inside a JSON string literal (`"email": "{{ Profile.Email }}"`), values are escaped for a JSON string:
///   quotes, backslashes, control characters, U+2028 and U+2029;
/// - where a value goes (`"score": {{ Event["User Rating"] }}`), the value is written as a JSON literal: a string
///   quoted and escaped, a number as a number, nil or undefined as `null`, arrays and objects as JSON.
///
/// A tag in any other place (an unquoted key, right after a value) or one whose context depends on the branch
/// taken is a parse error. The rendered payload is parsed before it is returned; output that is not one valid
/// JSON value is an error pointing at the template position that produced the offending byte.
///
/// ```swift
/// let payload = try PayloadTemplate(#"{"userId": "{{ Profile.Identity }}", "npsScore": {{ Event["User Rating"] | default: 0 }}}"#)
/// let json = try payload.renderJSON(["Profile": ["Identity": "a\"b"], "Event": ["User Rating": 9]])
/// // {"userId":"a\"b","npsScore":9}
/// ```
public struct PayloadTemplate: Sendable {
    /// The underlying template, with JSON escaping compiled into its output tags.
    public let template: Template

    /// Parses a payload template.
    /// - Parameters:
    ///   - source: The Liquid source of a JSON document.
    ///   - name: A name for error messages.
    ///   - environment: Filters, limits and mode (partials are not supported in payloads).
    /// - Throws: ``TemplateError``: Liquid errors, and ``TemplateError/Kind/ambiguousJSONContext`` for tags whose
    ///   JSON context is not certain.
    public init(_ source: String, name: String? = nil, environment: TemplateEnvironment = TemplateEnvironment()) throws(TemplateError) {
        let parsed = try Template(source, name: name, environment: environment)
        var analyzer = JSONContextAnalyzer(source: parsed.source, maximumDepth: environment.limits.maximumNestingDepth)
        let root = try analyzer.analyze(parsed.root)
        template = Template(root: root, source: parsed.source, runtime: parsed.runtime)
    }

    /// Renders the payload and checks that it is one valid JSON value.
    /// - Parameter context: The data (top-level variables).
    /// - Returns: The JSON text, or the reason `{% abort %}` gave.
    /// - Throws: ``TemplateError``; ``TemplateError/Kind/invalidJSONOutput`` when the output is not valid JSON.
    public func render(_ context: JSONValue) throws(TemplateError) -> RenderResult {
        // The fast path checks the output without building its parsed value; anything the check refuses goes
        // through `run`, which parses it for the exact error.
        switch try renderValid(context, { String(decoding: $0, as: UTF8.self) }) {
        case .valid(let text): return .rendered(text)
        case .aborted(let reason): return .aborted(reason: reason)
        case .invalid: break
        }
        switch try run(context) {
        case .rendered(let text, _): return .rendered(text)
        case .aborted(let reason): return .aborted(reason: reason)
        }
    }

    /// Renders the payload and returns its checked bytes, or the reason `{% abort %}` gave: one render for either.
    ///
    /// The output is validated once, without building its tree, and returned as it was written; nothing parses
    /// it unless a destination or mapper reads ``/FerryCore/RawJSON/value``.
    /// - Parameter context: The data (top-level variables).
    /// - Returns: The payload, or why there is none.
    /// - Throws: ``TemplateError``, as ``render(_:)``.
    public func renderPayload(_ context: JSONValue) throws(TemplateError) -> PayloadRenderResult {
        switch try renderValid(context, { Data($0) }) {
        case .valid(let bytes): return .payload(RawJSON(alreadyValidated: bytes))
        case .aborted(let reason): return .aborted(reason: reason)
        case .invalid: break
        }
        // Not JSON: `run` renders again recording spans and throws the error pointing at the template.
        switch try run(context) {
        case .rendered(let text, _): return .payload(RawJSON(alreadyValidated: Data(text.utf8)))
        case .aborted(let reason): return .aborted(reason: reason)
        }
    }

    /// Renders the payload and returns it parsed.
    /// - Parameter context: The data (top-level variables).
    /// - Returns: The JSON value, or `nil` when `{% abort %}` stopped the render (``renderPayload(_:)`` gives the
    ///   reason in the same render).
    /// - Throws: ``TemplateError``, as ``render(_:)``.
    public func renderJSON(_ context: JSONValue) throws(TemplateError) -> JSONValue? {
        switch try run(context) {
        case .rendered(_, let value): return value
        case .aborted: return nil
        }
    }

    /// Whether `text` is one strict RFC 8259 JSON value, the check every rendered payload passes before it is
    /// returned; it accepts exactly what `JSONValue(parsing:)` accepts, without building the value.
    /// - Parameter text: The text to check.
    /// - Returns: `true` when `JSONValue(parsing: text)` would succeed.
    public static func isValidJSON(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { RawJSON.isValid($0) }
    }

    private enum Outcome {
        case rendered(String, JSONValue)
        case aborted(String?)
    }

    private func run(_ context: JSONValue) throws(TemplateError) -> Outcome {
        // The fast path renders without recording where each output byte came from; only when the output is not
        // valid JSON is the template rendered again, recording spans, to point at the template text at fault.
        let pass = try renderOutput(context, recordingSpans: false)
        guard let output = pass.output else { return .aborted(pass.abortReason) }
        let text = String(decoding: output, as: UTF8.self)
        do {
            return .rendered(text, try JSONValue(parsing: text))
        } catch {
            let traced = try renderOutput(context, recordingSpans: true)
            let bytes = traced.output ?? output
            var located = error
            do {
                _ = try JSONValue(parsing: String(decoding: bytes, as: UTF8.self))
            } catch let tracedError {
                located = tracedError
            }
            throw invalidOutput(located, bytes: bytes, spans: traced.spans)
        }
    }

    private enum ValidPass<Result> {
        case valid(Result)
        case aborted(String?)
        case invalid
    }

    /// The fast path of ``render(_:)`` and ``renderPayload(_:)``: renders once and checks the output without
    /// building its tree; valid output is handed to `finish` in place, before the render's buffers go back to the
    /// template for its next render.
    /// - Returns: What `finish` made of valid output; `.aborted` with the reason `{% abort %}` gave; `.invalid`
    ///   when the output is not one JSON value (the caller renders again to locate the fault).
    private func renderValid<Result>(_ context: JSONValue,
                                     _ finish: (UnsafeBufferPointer<UInt8>) -> Result) throws(TemplateError) -> ValidPass<Result> {
        var renderer = template.makeRenderer(context)
        do {
            let root = template.root
            _ = try renderer.withSource(template.source) { (renderer) throws(RenderFailure) in try renderer.render(root) }
        } catch {
            switch error {
            case .error(let failure): throw failure
            case .aborted(let reason): return .aborted(reason)
            }
        }
        let result: Result? = renderer.output.withUnsafeBufferPointer { RawJSON.isValid($0) ? finish($0) : nil }
        renderer.recycleBuffers()
        guard let result else { return .invalid }
        return .valid(result)
    }

    private struct RenderPass {
        var output: [UInt8]?
        var spans: [(output: Int, template: Int, isText: Bool)] = []
        var abortReason: String?
    }

    private func renderOutput(_ context: JSONValue, recordingSpans: Bool) throws(TemplateError) -> RenderPass {
        var renderer = template.makeRenderer(context)
        renderer.spans = recordingSpans ? [] : nil
        do {
            let root = template.root
            _ = try renderer.withSource(template.source) { (renderer) throws(RenderFailure) in try renderer.render(root) }
        } catch {
            switch error {
            case .error(let failure): throw failure
            case .aborted(let reason): return RenderPass(output: nil, abortReason: reason)
            }
        }
        return RenderPass(output: renderer.output, spans: renderer.spans ?? [])
    }

    private func invalidOutput(_ error: JSONParseError, bytes: [UInt8], spans: [(output: Int, template: Int, isText: Bool)]) -> TemplateError {
        let offset = min(error.offset, bytes.count)
        var templateOffset = template.source.bytes.count
        if let span = spans.last(where: { $0.output <= offset }) {
            templateOffset = span.isText ? span.template + (offset - span.output) : span.template
        }
        let lower = max(0, offset - 20)
        let upper = min(bytes.count, offset + 20)
        let near = String(decoding: bytes[lower..<upper], as: UTF8.self)
        return TemplateError(.invalidJSONOutput,
                             "the rendered payload is not valid JSON (\(error.message) at output byte \(offset), near \(near.debugDescription)); nothing was sent. Check the template text around here",
                             location: template.source.location(of: templateOffset))
    }
}
