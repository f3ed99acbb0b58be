import FerryCore

/// Why a render stopped early.
enum RenderFailure: Error {
    case error(TemplateError)
    case aborted(String?)
}

/// What a rendered body asks of the loop around it.
enum Flow {
    case normal
    case breakLoop
    case continueLoop
}

/// A name bound by a loop, a partial's arguments or `with`.
struct ScopeEntry {
    var name: String
    var value: Value
}

/// The state of one `for` or `tablerow` loop, behind `forloop` and `tablerowloop`.
struct LoopFrame {
    var index0: Int
    var length: Int
    var name: String
    var parent: Int?
    var columns: Int
}

/// The mutable state of one render. Created per call, never shared.
///
/// Empty collections start as `Type()`, not `[:]` or `[]`: a literal goes through `init(dictionaryLiteral:)`,
/// which costs about 70 instructions per dictionary on every render, where `init()` takes the shared empty storage.
struct Renderer {
    let runtime: TemplateRuntime
    let strict: Bool
    var output = [UInt8]()
    let globals: JSONObject
    var scope = [ScopeEntry]()
    var scopeFloor = 0
    var locals = [String: Value]()
    var counters = [String: Int]()
    var cycles = [String: Int]()
    var loops = [LoopFrame]()
    var loopFloor = 0
    /// The frame of the innermost `for` loop visible here (`forloop`), if any.
    var forFrame: Int?
    /// Whether a loop variable named `forloop` hides the loop object.
    var scopeShadowsLoop = false
    var offsets = [String: Int]()
    /// Whether loops record where they stopped (only templates with `offset: continue` need it).
    var recordOffsets: Bool
    var lastChanged: [UInt8]?
    var iterations = 0
    var partialDepth = 0
    var source: SourceText
    /// The bytes of `source`, valid while `withSource` runs; text nodes are copied from here.
    var textBase: UnsafePointer<UInt8>?
    var partials = [String: (SourceText, [Node])]()
    /// JSON payload mode: (output offset, template offset) of each emitted piece, to locate invalid output.
    var spans: [(output: Int, template: Int, isText: Bool)]?

    init(runtime: TemplateRuntime, source: SourceText, context: JSONValue, buffers: consuming RenderBuffers,
         recordOffsets: Bool) {
        self.runtime = runtime
        self.strict = runtime.strict
        self.recordOffsets = recordOffsets
        self.source = source
        if case .object(let object) = context {
            globals = object
        } else {
            globals = JSONObject()
        }
        swap(&output, &buffers.output)
        swap(&scope, &buffers.scope)
        swap(&loops, &buffers.loops)
    }

    /// Hands the output, scope and loop buffers back to the template for its next render; the renderer is left
    /// with empty ones. (Moved, not copied: a copy would leave the kept buffers shared and the next render would
    /// copy them on its first write.)
    mutating func recycleBuffers() {
        var buffers = RenderBuffers()
        swap(&buffers.output, &output)
        swap(&buffers.scope, &scope)
        swap(&buffers.loops, &loops)
        runtime.recycle(&buffers)
    }

    var limits: TemplateLimits { mutating get { runtime.limits } }
    /// Read from the runtime at each filter call rather than copied in: a copy retains the clock and time zone
    /// at the start of every render and releases them at its end.
    var filterContext: FilterContext { runtime.filterContext }
    var environment: TemplateEnvironment { mutating get { runtime.environment } }

    mutating func error(_ kind: TemplateError.Kind, _ message: String, at offset: Int, path: String? = nil) -> RenderFailure {
        .error(TemplateError(kind, message, location: source.location(of: offset), variablePath: path))
    }

    /// Runs `body` with `source`'s bytes pinned for text nodes.
    mutating func withSource<R>(_ text: SourceText, _ body: (inout Renderer) throws(RenderFailure) -> R) throws(RenderFailure) -> R {
        let savedSource = source
        let savedBase = textBase
        defer {
            source = savedSource
            textBase = savedBase
        }
        source = text
        return try text.bytes.withUnsafeBufferPointer { (buffer) throws(RenderFailure) -> R in
            textBase = buffer.baseAddress
            return try body(&self)
        }
    }

    @inline(__always)
    mutating func checkOutput(at offset: Int) throws(RenderFailure) {
        if output.count > limits.maximumOutputBytes {
            throw error(.outputTooLarge,
                        "output is larger than the limit of \(limits.maximumOutputBytes) bytes; check for runaway loops or raise TemplateLimits.maximumOutputBytes",
                        at: offset)
        }
    }

    /// Copies template text to the output. Most pieces between tags are a few bytes (`", "`), for which a
    /// byte loop costs less than `append(contentsOf:)`'s general sequence copy. (No `reserveCapacity` here: it
    /// grows to exactly the size asked, which would make a long loop of small pieces quadratic.)
    @inline(__always)
    mutating func appendText(_ start: UnsafePointer<UInt8>, count: Int) {
        if count <= 16 {
            for offset in 0..<count { output.append(start[offset]) }
        } else {
            output.append(contentsOf: UnsafeBufferPointer(start: start, count: count))
        }
    }

    // MARK: - Bodies

    mutating func render(_ nodes: [Node]) throws(RenderFailure) -> Flow {
        var position = 0
        let count = nodes.count
        while position < count {
            defer { position += 1 }
            switch nodes[position] {
            case .text(let start, let end):
                if spans != nil { spans?.append((output.count, start, true)) }
                if let base = textBase { appendText(base + start, count: end - start) }
            case .output(let expression, let escaping):
                if spans != nil { spans?.append((output.count, expression.offset, false)) }
                if case .none = expression.endsWithCaseMapping {
                    let value = try evaluate(expression)
                    try write(value, escaping, at: expression.offset)
                } else {
                    try writeMappingCase(expression, escaping)
                }
                try checkOutput(at: expression.offset)
            case .conditional(let conditional):
                if let condition = conditional.onlyCondition {
                    guard try evaluate(condition) != conditional.onlyNegated else { continue }
                    let flow = try render(conditional.onlyBody)
                    if case .normal = flow { continue }
                    return flow
                }
                for branch in conditional.branches {
                    if let condition = branch.condition {
                        guard try evaluate(condition) != branch.negated else { continue }
                    }
                    let flow = try render(branch.body)
                    if case .normal = flow { break }
                    return flow
                }
            case .forLoop(let loop):
                let flow = try renderFor(loop)
                if case .normal = flow { continue }
                return flow
            case .assign(let name, let value):
                let result = try evaluate(value)
                if case .string(let text) = result, text.utf8.count > limits.maximumOutputBytes {
                    throw error(.outputTooLarge, "'\(name)' would hold more than \(limits.maximumOutputBytes) bytes",
                                at: value.offset)
                }
                locals[name] = result
            case .caseBlock(let node):
                let flow = try renderCase(node)
                if case .normal = flow { continue }
                return flow
            case .sequence(let body):
                let flow = try render(body)
                if case .normal = flow { continue }
                return flow
            case .breakLoop:
                return .breakLoop
            case .continueLoop:
                return .continueLoop
            case .capture(let name, let body):
                let saved = output
                output = []
                let flow = try render(body)
                locals[name] = .string(String(decoding: output, as: UTF8.self))
                output = saved
                if case .normal = flow { continue }
                return flow
            case .counter(let name, let increment, let escaping, let offset):
                if spans != nil { spans?.append((output.count, offset, false)) }
                let current = counters[name] ?? 0
                if increment {
                    counters[name] = current + 1
                    try write(.int(current), escaping, at: offset)
                } else {
                    counters[name] = current - 1
                    try write(.int(current - 1), escaping, at: offset)
                }
            case .cycle(let node, let escaping):
                try renderCycle(node, escaping)
            case .tablerow(let loop):
                try renderTablerow(loop)
            case .ifchanged(let body):
                let saved = output
                output = []
                let flow = try render(body)
                let rendered = output
                output = saved
                if rendered != lastChanged {
                    lastChanged = rendered
                    output.append(contentsOf: rendered)
                }
                if case .normal = flow { continue }
                return flow
            case .partial(let node):
                let flow = try renderPartial(node)
                if case .normal = flow { continue }
                return flow
            case .abort(let reason):
                var text: String?
                if let reason {
                    let value = try evaluate(reason)
                    text = value.isTruthy ? try string(of: value) : nil
                }
                throw .aborted(text)
            case .custom(let node, let escaping):
                if spans != nil { spans?.append((output.count, node.position, false)) }
                var arguments: [JSONValue] = []
                for argument in node.arguments { arguments.append(try json(of: try evaluate(argument), at: argument.offset)) }
                let result: JSONValue
                do {
                    result = try node.tag.body(arguments, filterContext)
                } catch {
                    throw self.error(.filterFailed, "tag '\(node.name)': \(error.message)", at: node.position)
                }
                try write(Value(result), escaping, at: node.position)
                try checkOutput(at: node.position)
            }
        }
        return .normal
    }

    mutating func renderCase(_ node: CaseNode) throws(RenderFailure) -> Flow {
        let subject = try evaluate(node.subject)
        var matched = false
        for branch in node.branches {
            if branch.isElse {
                guard !matched else { continue }
                let flow = try render(branch.body)
                if case .normal = flow { continue }
                return flow
            }
            for value in branch.values where Renderer.equal(subject, try evaluate(value)) {
                matched = true
                let flow = try render(branch.body)
                if case .normal = flow { continue }
                return flow
            }
        }
        return .normal
    }

    mutating func renderCycle(_ node: CycleNode, _ escaping: OutputEscaping) throws(RenderFailure) {
        var key = "=" + node.key
        if let group = node.group {
            let name = try evaluate(group)
            switch name {
            case .null, .undefined: key = "nil"
            default: key = ":" + (try string(of: name))
            }
        }
        var index = cycles[key] ?? 0
        if index < node.values.count {
            let value = try evaluate(node.values[index])
            try write(value, escaping, at: node.offset)
        }
        index += 1
        if index >= node.values.count { index = 0 }
        cycles[key] = index
    }
}
