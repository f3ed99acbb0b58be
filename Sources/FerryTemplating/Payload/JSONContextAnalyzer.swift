/// Finds the JSON context of every output tag of a payload template, at parse time, and picks its escaping.
///
/// The template's text is run through ``JSONLexicalState`` along every path control flow allows (branches are
/// unions, loops are iterated to a fixed point, `break` and `abort` end a path). States from which the text can
/// never be valid JSON are dropped: if the render took such a path, its output would fail validation anyway,
/// because values written by output tags are self-contained (escaped string contents or complete literals).
/// An output tag is accepted only when every surviving state agrees: all inside a string, or all where a value
/// goes.
struct JSONContextAnalyzer {
    typealias States = Set<JSONLexicalState>

    let source: SourceText
    /// The deepest nesting of arrays and objects the payload's text may open (``TemplateLimits/maximumNestingDepth``).
    /// Without it, each byte of deeply nested text copied and hashed the whole bracket stack: 100,000 brackets
    /// took minutes to analyse.
    let maximumDepth: Int
    /// States at `break` / `continue`, per enclosing loop.
    var jumps: [States] = []
    static let maximumStates = 64

    func error(_ message: String, at offset: Int) -> TemplateError {
        TemplateError(.ambiguousJSONContext, message, location: source.location(of: offset))
    }

    mutating func analyze(_ nodes: [Node]) throws(TemplateError) -> [Node] {
        var states: States = [.start]
        let result = try analyze(nodes, &states)
        if !states.isEmpty && !states.contains(where: \.isComplete) {
            throw error("the payload can never be a complete JSON value: a string, array or object is left open at the end",
                        at: source.bytes.count)
        }
        return result
    }

    mutating func analyze(_ nodes: [Node], _ states: inout States) throws(TemplateError) -> [Node] {
        var result: [Node] = []
        result.reserveCapacity(nodes.count)
        for node in nodes {
            result.append(try analyze(node, &states))
        }
        return result
    }

    func step(_ bytes: [UInt8], _ states: States, at offset: Int) throws(TemplateError) -> States {
        var current = states
        for (index, byte) in bytes.enumerated() {
            var next: States = []
            for state in current {
                if let stepped = state.step(byte) { next.insert(stepped) }
            }
            if byte == UInt8(ascii: "[") || byte == UInt8(ascii: "{"), next.contains(where: { $0.stack.count > maximumDepth }) {
                throw TemplateError(.tooDeep,
                                    "the payload's JSON nests deeper than \(maximumDepth) levels of arrays and objects; flatten it or raise TemplateLimits.maximumNestingDepth",
                                    location: source.location(of: offset + index))
            }
            if next.isEmpty && !current.isEmpty {
                let sample = current.first.map(\.describe) ?? ""
                throw error("this text cannot continue valid JSON: '\(String(decoding: [byte], as: UTF8.self))' \(sample)",
                            at: offset + index)
            }
            current = next
        }
        return current
    }

    func escaping(for states: inout States, at offset: Int, what: String) throws(TemplateError) -> OutputEscaping {
        if states.isEmpty { return .jsonString }
        // Escaped string contents carry no quotes but may carry ',', ']' or digits: only safe when every path is
        // inside a string.
        if states.allSatisfy(\.isInString) { return .jsonString }
        // A JSON literal is one self-delimiting token: written right after a complete value it can only make the
        // output invalid (which validation rejects), so such paths are dropped here.
        if states.contains(where: \.expectsValue) && states.allSatisfy({ $0.expectsValue || $0.mode == .afterValue }) {
            states = Set(states.filter(\.expectsValue).map(\.afterWritingValue))
            return .jsonValue
        }
        if states.count == 1, let only = states.first {
            throw error("\(what) is \(only.describe); put it inside a string (\"{{ ... }}\") or where a value goes", at: offset)
        }
        throw error("\(what) has no single JSON context here (depending on the branch taken it would be inside a string or not); make every branch leave the JSON in the same place",
                    at: offset)
    }

    /// After branches join: they must agree on being inside a string or not.
    func checkJoin(_ states: States, at offset: Int) throws(TemplateError) {
        if states.contains(where: \.isInString) && !states.allSatisfy(\.isInString) {
            throw error("the branches of this block leave the JSON in different places (inside a string in one, outside in another); close every string in the branch that opens it",
                        at: offset)
        }
        try checkSize(states, at: offset)
    }

    func checkSize(_ states: States, at offset: Int) throws(TemplateError) {
        if states.count > JSONContextAnalyzer.maximumStates {
            throw error("control flow here leaves the JSON structure ambiguous; make each branch and loop body balanced",
                        at: offset)
        }
    }

    mutating func analyze(_ node: Node, _ states: inout States) throws(TemplateError) -> Node {
        switch node {
        case .text(let start, let end):
            states = try step(Array(source.bytes[start..<end]), states, at: start)
            return node
        case .output(let expression, _):
            return .output(expression, try escaping(for: &states, at: expression.offset, what: "this output tag"))
        case .counter(let name, let increment, _, let offset):
            let mode = try escaping(for: &states, at: offset, what: increment ? "increment" : "decrement")
            return .counter(name: name, increment: increment, mode, offset: offset)
        case .cycle(let cycle, _):
            return .cycle(cycle, try escaping(for: &states, at: cycle.offset, what: "cycle"))
        case .custom(let custom, _):
            return .custom(custom, try escaping(for: &states, at: custom.position, what: "tag '\(custom.name)'"))
        case .conditional(let conditional):
            let start = states
            var merged: States = []
            var hasElse = false
            var branches = conditional.branches
            for index in branches.indices {
                var branchStates = start
                branches[index].body = try analyze(branches[index].body, &branchStates)
                merged.formUnion(branchStates)
                if branches[index].condition == nil { hasElse = true }
            }
            if !hasElse { merged.formUnion(start) }
            states = merged
            try checkJoin(states, at: conditional.offset)
            return .conditional(ConditionalNode(branches: branches, offset: conditional.offset))
        case .caseBlock(let caseNode):
            var branches = caseNode.branches
            for index in branches.indices {
                var branchStates = states
                branches[index].body = try analyze(branches[index].body, &branchStates)
                states.formUnion(branchStates)
            }
            try checkJoin(states, at: caseNode.offset)
            return .caseBlock(CaseNode(subject: caseNode.subject, branches: branches, offset: caseNode.offset))
        case .forLoop(let loop):
            let start = states
            var elseStates = start
            let elseBody = try analyze(loop.elseBody, &elseStates)
            var reachable = start
            var body = loop.body
            for _ in 0..<16 {
                jumps.append([])
                var iteration = reachable
                body = try analyze(loop.body, &iteration)
                iteration.formUnion(jumps.removeLast())
                let grown = reachable.union(iteration)
                try checkJoin(grown, at: loop.position)
                if grown == reachable { break }
                reachable = grown
            }
            states = reachable.union(elseStates)
            try checkJoin(states, at: loop.position)
            return .forLoop(loop.with(body: body, elseBody: elseBody))
        case .tablerow(let loop):
            throw error("tablerow writes HTML and cannot be used in a JSON payload template", at: loop.position)
        case .partial(let partial):
            throw error("include and render are not supported in JSON payload templates (their output's JSON context cannot be checked); inline the partial or capture values with assign",
                        at: partial.position)
        case .ifchanged(let body):
            var bodyStates = states
            let analyzed = try analyze(body, &bodyStates)
            states.formUnion(bodyStates)
            try checkJoin(states, at: 0)
            return .ifchanged(analyzed)
        case .sequence(let body):
            return .sequence(try analyze(body, &states))
        case .breakLoop, .continueLoop:
            if !jumps.isEmpty { jumps[jumps.count - 1].formUnion(states) }
            states = []
            return node
        case .abort:
            states = []
            return node
        case .assign, .capture:
            return node
        }
    }
}
