import FerryCore

/// Builds the node tree of a template from its tokens.
struct Parser {
    let source: SourceText
    let environment: TemplateEnvironment
    var tokens: [Token]
    var position = 0
    var depth = 0

    static let closingTags: Set<String> = [
        "else", "elsif", "when", "endif", "endunless", "endcase", "endfor", "endtablerow", "endcapture",
        "endcomment", "endifchanged", "endraw", "enddoc",
    ]

    let settings: ExpressionParser.Settings
    /// The nodes of the bodies being parsed, innermost last: each body collects its nodes here and copies them
    /// out once, at their final size, instead of growing an array of its own from empty.
    var pending: [Node] = []

    // Terminator lists, built once instead of as an array literal per block.
    static let ifchangedEnd = ["endifchanged"]
    static let ifEnds = ["elsif", "else", "endif"]
    static let unlessEnds = ["elsif", "else", "endunless"]
    static let caseEnds = ["when", "else", "endcase"]
    static let forEnds = ["else", "endfor"]
    static let tablerowEnd = ["endtablerow"]
    static let tablerowEnds = ["else", "endtablerow"]
    static let captureEnd = ["endcapture"]

    init(source: SourceText, environment: TemplateEnvironment, tokens: [Token],
         settings: ExpressionParser.Settings? = nil) {
        self.source = source
        self.environment = environment
        self.tokens = tokens
        self.settings = settings ?? ExpressionParser.Settings(environment)
        pending.reserveCapacity(tokens.count)
    }

    static func parse(_ source: SourceText, environment: TemplateEnvironment) throws(TemplateError) -> [Node] {
        guard source.bytes.count <= environment.limits.maximumTemplateBytes else {
            throw TemplateError(.templateTooLarge,
                                "template is \(source.bytes.count) bytes, more than the limit of \(environment.limits.maximumTemplateBytes); split it into partials or raise TemplateLimits.maximumTemplateBytes",
                                location: source.location(of: 0))
        }
        let tokens = try Lexer(source: source).tokenize()
        var parser = Parser(source: source, environment: environment, tokens: tokens)
        let body = try parser.parseBody(terminators: [])
        if let stray = body.terminator {
            throw parser.unexpected(stray)
        }
        return body.nodes
    }

    struct Body {
        var nodes: [Node]
        var isBlank: Bool
        var terminator: Token?
    }

    func location(_ offset: Int) -> SourceLocation { source.location(of: offset) }

    func unexpected(_ token: Token) -> TemplateError {
        TemplateError(.unexpectedTag, "unexpected '\(token.name)': there is no open block it belongs to",
                      location: location(token.start))
    }

    func unclosed(_ name: String, _ token: Token, expecting end: String) -> TemplateError {
        TemplateError(.unclosedBlock, "'\(name)' is never closed; add {% \(end) %}", location: location(token.start))
    }

    func markup(_ token: Token) throws(TemplateError) -> ExpressionParser {
        try ExpressionParser(source: source, settings: settings, range: token.contentStart..<token.contentEnd)
    }

    func markupIsEmpty(_ token: Token) -> Bool {
        (token.contentStart..<token.contentEnd).allSatisfy { Lexer.isWhitespace(source.bytes[$0]) }
    }

    // MARK: - Bodies

    mutating func parseBody(terminators: [String]) throws(TemplateError) -> Body {
        depth += 1
        defer { depth -= 1 }
        if depth > environment.limits.maximumNestingDepth {
            let offset = position < tokens.count ? tokens[position].start : source.bytes.count
            throw TemplateError(.tooDeep, "blocks nest deeper than \(environment.limits.maximumNestingDepth) levels; flatten the template",
                                location: location(offset))
        }
        let first = pending.count
        defer { pending.removeSubrange(first...) }
        /// This body's nodes, copied out of `pending` at their final size.
        func nodes() -> [Node] { Array(pending[first...]) }
        var isBlank = true
        while position < tokens.count {
            let token = tokens[position]
            position += 1
            switch token.kind {
            case .text:
                guard token.contentStart < token.contentEnd else { continue }
                if isBlank && !(token.contentStart..<token.contentEnd).allSatisfy({ Lexer.isWhitespace(source.bytes[$0]) }) {
                    isBlank = false
                }
                pending.append(.text(start: token.contentStart, end: token.contentEnd))
            case .raw:
                if token.contentStart < token.contentEnd {
                    pending.append(.text(start: token.contentStart, end: token.contentEnd))
                    isBlank = false
                }
            case .doc:
                guard markupIsEmpty(token) else {
                    throw TemplateError(.syntax, "'doc' takes no arguments", location: location(token.contentStart))
                }
            case .output:
                var parser = try markup(token)
                if parser.atEnd {
                    isBlank = false
                    continue
                }
                let expression = try parser.filtered()
                try parser.expectEnd("in output statement; did you miss a '|' or a quote?")
                pending.append(.output(expression, .text))
                isBlank = false
            case .tag:
                if terminators.contains(token.name) {
                    return Body(nodes: nodes(), isBlank: isBlank, terminator: token)
                }
                if let node = try parseTag(token) {
                    if !node.isBlank { isBlank = false }
                    pending.append(node.node)
                }
            }
        }
        return Body(nodes: nodes(), isBlank: isBlank, terminator: nil)
    }

    /// Removes the white-space text of a block whose every body is blank (Liquid's rule: a block that renders
    /// nothing but white space renders nothing).
    static func stripBlank(_ nodes: [Node]) -> [Node] {
        nodes.filter { if case .text = $0 { return false } else { return true } }
    }

    // MARK: - Tags

    mutating func parseTag(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool)? {
        switch token.name {
        case "if": return try parseConditional(token, negated: false)
        case "unless": return try parseConditional(token, negated: true)
        case "case": return try parseCase(token)
        case "for": return try parseLoop(token, tablerow: false)
        case "tablerow": return try parseLoop(token, tablerow: true)
        case "assign": return try parseAssign(token)
        case "capture": return try parseCapture(token)
        case "increment", "decrement":
            let name = try target(token, what: "a counter name")
            return (.counter(name: name, increment: token.name == "increment", .text, offset: token.start), false)
        case "cycle": return try parseCycle(token)
        case "break": return (.breakLoop, false)
        case "continue": return (.continueLoop, false)
        case "ifchanged":
            let body = try parseBody(terminators: Parser.ifchangedEnd)
            guard body.terminator != nil else { throw unclosed("ifchanged", token, expecting: "endifchanged") }
            return (.ifchanged(body.isBlank ? Parser.stripBlank(body.nodes) : body.nodes), body.isBlank)
        case "include": return try parsePartial(token, isolated: false)
        case "render": return try parsePartial(token, isolated: true)
        case "echo":
            var parser = try markup(token)
            if parser.atEnd { return (.sequence([]), false) }
            let expression = try parser.filtered()
            try parser.expectEnd("in echo; did you miss a '|' or a quote?")
            return (.output(expression, .text), false)
        case "liquid": return try parseLiquid(token)
        case "comment":
            try skipComment(token)
            return nil
        case "#":
            try checkInlineComment(token)
            return nil
        case "raw", "doc":
            return nil
        case "abort":
            var parser = try markup(token)
            if parser.atEnd { return (.abort(reason: nil), true) }
            let reason = try parser.primary()
            try parser.expectEnd("in abort; give at most one reason, e.g. {% abort \"no email\" %}")
            return (.abort(reason: reason), true)
        default:
            if Parser.closingTags.contains(token.name) { throw unexpected(token) }
            if let tag = environment.tags[token.name] {
                var parser = try markup(token)
                var arguments: [FilteredExpression] = []
                while !parser.atEnd {
                    arguments.append(try parser.filtered())
                    guard parser.current == .comma else { break }
                    try parser.advance()
                }
                try parser.expectEnd("in '\(token.name)'; separate arguments with commas")
                let node = CustomTagNode(name: token.name, tag: tag, arguments: arguments, position: token.start)
                return (.custom(node, .text), false)
            }
            if token.name.isEmpty {
                throw TemplateError(.syntax, "a tag must start with its name, e.g. {% if ... %}", location: location(token.start))
            }
            throw TemplateError(.unknownTag, "unknown tag '\(token.name)'; check the spelling, or register a custom tag",
                                location: location(token.nameStart))
        }
    }

    /// The name after `assign`, `capture`, `increment`, `decrement`: letters, digits, `_` and `-`, not starting
    /// with `-`.
    func target(_ token: Token, what: String) throws(TemplateError) -> String {
        let (name, end) = try targetPrefix(token, what: what)
        guard (end..<token.contentEnd).allSatisfy({ Lexer.isWhitespace(source.bytes[$0]) }) else {
            throw TemplateError(.syntax, "unexpected text after \(what)", location: location(end))
        }
        return name
    }

    func targetPrefix(_ token: Token, what: String) throws(TemplateError) -> (String, Int) {
        var start = token.contentStart
        while start < token.contentEnd && Lexer.isWhitespace(source.bytes[start]) { start += 1 }
        var end = start
        while end < token.contentEnd && (Lexer.isNameByte(source.bytes[end]) || (end > start && source.bytes[end] == UInt8(ascii: "-"))) {
            end += 1
        }
        guard end > start else {
            throw TemplateError(.syntax, "expected \(what) (letters, digits, '_' or '-')", location: location(start))
        }
        return (source.text(start..<end), end)
    }

    mutating func parseConditional(_ token: Token, negated: Bool) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        let endName = negated ? "endunless" : "endif"
        let terminators = negated ? Parser.unlessEnds : Parser.ifEnds
        var branches: [ConditionalNode.Branch] = []
        var isBlank = true
        var header = token
        var condition: Condition? = try parseCondition(token)
        var first = true
        while true {
            let body = try parseBody(terminators: terminators)
            if !body.isBlank { isBlank = false }
            // Branches after an `else` are kept but never reached, as in Shopify Liquid.
            branches.append(ConditionalNode.Branch(condition: condition, negated: first && negated, body: body.nodes))
            guard let terminator = body.terminator else { throw unclosed(negated ? "unless" : "if", header, expecting: endName) }
            first = false
            switch terminator.name {
            case "elsif":
                condition = try parseCondition(terminator)
            case "else":
                condition = nil
            default:
                if isBlank {
                    for index in branches.indices { branches[index].body = Parser.stripBlank(branches[index].body) }
                }
                return (.conditional(ConditionalNode(branches: branches, offset: token.start)), isBlank)
            }
            header = terminator
        }
    }

    func parseCondition(_ token: Token) throws(TemplateError) -> Condition {
        var parser = try markup(token)
        if parser.atEnd {
            throw TemplateError(.syntax, "'\(token.name)' needs a condition", location: location(token.start))
        }
        let condition = try parser.condition()
        try parser.expectEnd("in condition")
        return condition
    }

    mutating func parseCase(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        var parser = try markup(token)
        let subject = try parser.primary()
        try parser.expectEnd("after the case subject")
        // Anything before the first `when` is ignored.
        var body = try parseBody(terminators: Parser.caseEnds)
        var branches: [CaseNode.Branch] = []
        var isBlank = true
        while true {
            guard let terminator = body.terminator else { throw unclosed("case", token, expecting: "endcase") }
            if terminator.name == "endcase" { break }
            var values: [Expression] = []
            let isElse = terminator.name == "else"
            if !isElse {
                var whenParser = try markup(terminator)
                if whenParser.atEnd {
                    throw TemplateError(.syntax, "'when' needs at least one value", location: location(terminator.start))
                }
                while true {
                    values.append(try whenParser.primary())
                    if whenParser.current == .comma || whenParser.current == .identifier("or") {
                        try whenParser.advance()
                        continue
                    }
                    break
                }
                try whenParser.expectEnd("in 'when'; separate values with ',' or 'or'")
            }
            body = try parseBody(terminators: Parser.caseEnds)
            if !body.isBlank { isBlank = false }
            branches.append(CaseNode.Branch(values: values, isElse: isElse, body: body.nodes))
        }
        if isBlank {
            for index in branches.indices { branches[index].body = Parser.stripBlank(branches[index].body) }
        }
        return (.caseBlock(CaseNode(subject: subject, branches: branches, offset: token.start)), isBlank)
    }

    mutating func parseLoop(_ token: Token, tablerow: Bool) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        var parser = try markup(token)
        let variable = try parser.identifier("a loop variable name")
        try parser.expect(.identifier("in"), "'in' after the loop variable")
        let collectionStart = parser.offset
        let collection = try parser.primary()
        var collectionEnd = max(collectionStart, parser.offset)
        while collectionEnd > collectionStart
            && (Lexer.isWhitespace(source.bytes[collectionEnd - 1]) || source.bytes[collectionEnd - 1] == UInt8(ascii: ",")) {
            collectionEnd -= 1
        }
        let name = source.text(collectionStart..<collectionEnd)
        var limit: Expression?
        var offset: LoopNode.Offset = .none
        var reversed = false
        var columns: Expression?
        while !parser.atEnd {
            if parser.current == .comma {
                try parser.advance()
                continue
            }
            let word = try parser.identifier("'limit', 'offset'\(tablerow ? ", 'cols'" : ", 'reversed'")")
            if word == "reversed" && !tablerow {
                reversed = true
                continue
            }
            try parser.expect(.colon, "':' after '\(word)'")
            switch word {
            case "limit": limit = try parser.primary()
            case "offset":
                if parser.current == .identifier("continue") {
                    try parser.advance()
                    offset = .continue
                } else {
                    offset = .value(try parser.primary())
                }
            case "cols" where tablerow: columns = try parser.primary()
            default:
                throw TemplateError(.syntax, "unknown loop argument '\(word)'", location: location(parser.offset))
            }
        }
        let endName = tablerow ? "endtablerow" : "endfor"
        var body = try parseBody(terminators: tablerow ? Parser.tablerowEnd : Parser.forEnds)
        var elseBody: [Node] = []
        var isBlank = body.isBlank
        guard var terminator = body.terminator else { throw unclosed(token.name, token, expecting: endName) }
        let mainBody = body.nodes
        while terminator.name == "else" {
            body = try parseBody(terminators: tablerow ? Parser.tablerowEnds : Parser.forEnds)
            if !body.isBlank { isBlank = false }
            elseBody.append(contentsOf: body.nodes)
            guard let next = body.terminator else { throw unclosed(token.name, token, expecting: endName) }
            terminator = next
        }
        let blank = isBlank && !tablerow
        let node = LoopNode(variable: variable, collection: collection, name: "\(variable)-\(name)", limit: limit,
                            offset: offset, reversed: reversed, columns: columns,
                            body: blank ? Parser.stripBlank(mainBody) : mainBody,
                            elseBody: blank ? Parser.stripBlank(elseBody) : elseBody, position: token.start)
        return (tablerow ? .tablerow(node) : .forLoop(node), blank)
    }

    func parseAssign(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        let (name, end) = try targetPrefix(token, what: "a variable name after 'assign'")
        var parser = try ExpressionParser(source: source, settings: settings, range: end..<token.contentEnd)
        try parser.expect(.equals, "'=' after the variable name, as in {% assign name = value %}")
        let value = try parser.filtered()
        try parser.expectEnd("in assign; did you miss a '|' or a quote?")
        return (.assign(name: name, value: value), true)
    }

    mutating func parseCapture(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        let name = try target(token, what: "a variable name after 'capture'")
        let body = try parseBody(terminators: Parser.captureEnd)
        guard body.terminator != nil else { throw unclosed("capture", token, expecting: "endcapture") }
        return (.capture(name: name, body: body.nodes), true)
    }

    func parseCycle(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        var parser = try markup(token)
        var group: Expression?
        var first = try parser.primary()
        if parser.current == .colon {
            try parser.advance()
            group = first
            first = try parser.primary()
        }
        var values = [first]
        while parser.current == .comma {
            try parser.advance()
            values.append(try parser.primary())
        }
        try parser.expectEnd("in cycle; separate values with commas")
        var key = source.text(token.contentStart..<token.contentEnd)
        key = key.filter { !$0.isWhitespace }
        return (.cycle(CycleNode(group: group, key: key, values: values, offset: token.start), .text), false)
    }

    func parsePartial(_ token: Token, isolated: Bool) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        var parser = try markup(token)
        let name: Expression
        if case .string(let literal) = parser.current {
            try parser.advance()
            name = .literal(.string(literal))
        } else if !isolated {
            name = try parser.primary()
        } else {
            throw TemplateError(.syntax, "'render' needs the partial's name as a quoted string", location: location(parser.offset))
        }
        var binding: PartialNode.Binding = .none
        var alias: String?
        if case .identifier(let word) = parser.current, word == "with" || word == "for",
           !parser.nextIsColon {
            try parser.advance()
            let value = try parser.primary()
            binding = word == "with" ? .with(value) : .each(value)
            if parser.current == .identifier("as") {
                try parser.advance()
                alias = try parser.identifier("a variable name after 'as'")
            }
        }
        var arguments: [KeywordArgument] = []
        while !parser.atEnd {
            try parser.skipComma()
            if parser.atEnd { break }
            let key = try parser.identifier("a keyword argument (name: value)")
            try parser.expect(.colon, "':' after '\(key)'")
            arguments.append(KeywordArgument(name: key, value: try parser.primary()))
        }
        let node = PartialNode(isolated: isolated, name: name, binding: binding, alias: alias, arguments: arguments,
                               position: token.start)
        return (.partial(node), false)
    }

    /// `{% liquid %}`: one tag per line, without delimiters.
    func parseLiquid(_ token: Token) throws(TemplateError) -> (node: Node, isBlank: Bool) {
        let bytes = source.bytes
        var lineTokens: [Token] = []
        var lineStart = token.contentStart
        while lineStart < token.contentEnd {
            var lineEnd = lineStart
            while lineEnd < token.contentEnd && bytes[lineEnd] != 0x0A { lineEnd += 1 }
            var contentEnd = lineEnd
            if contentEnd > lineStart && bytes[contentEnd - 1] == 0x0D { contentEnd -= 1 }
            var nameStart = lineStart
            while nameStart < contentEnd && Lexer.isWhitespace(bytes[nameStart]) { nameStart += 1 }
            if nameStart < contentEnd && bytes[nameStart] != UInt8(ascii: "#") {
                var nameEnd = nameStart
                while nameEnd < contentEnd && Lexer.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
                lineTokens.append(Token(kind: .tag, start: nameStart, contentStart: nameEnd, contentEnd: contentEnd,
                                        name: source.text(nameStart..<nameEnd), nameStart: nameStart))
            }
            lineStart = lineEnd + 1
        }
        var parser = Parser(source: source, environment: environment, tokens: lineTokens, settings: settings)
        parser.depth = depth
        let body = try parser.parseBody(terminators: [])
        if let stray = body.terminator { throw parser.unexpected(stray) }
        return (.sequence(body.nodes), body.isBlank)
    }

    mutating func skipComment(_ token: Token) throws(TemplateError) {
        var nesting = 1
        while position < tokens.count {
            let next = tokens[position]
            position += 1
            guard next.kind == .tag else { continue }
            if next.name == "comment" {
                nesting += 1
            } else if next.name == "endcomment" {
                nesting -= 1
                if nesting == 0 { return }
            }
        }
        throw unclosed("comment", token, expecting: "endcomment")
    }

    func checkInlineComment(_ token: Token) throws(TemplateError) {
        let bytes = source.bytes
        var index = token.contentStart
        // Skip the first line (it follows the '#').
        while index < token.contentEnd && bytes[index] != 0x0A { index += 1 }
        while index < token.contentEnd {
            index += 1
            var cursor = index
            while cursor < token.contentEnd && bytes[cursor] != 0x0A && Lexer.isWhitespace(bytes[cursor]) { cursor += 1 }
            if cursor < token.contentEnd && bytes[cursor] != 0x0A && bytes[cursor] != UInt8(ascii: "#") {
                throw TemplateError(.syntax, "every line of an inline comment must start with '#'", location: location(cursor))
            }
            index = cursor
            while index < token.contentEnd && bytes[index] != 0x0A { index += 1 }
        }
    }
}
