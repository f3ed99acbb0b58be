import FerryCore

/// Parses the expressions inside one tag's or output statement's markup.
struct ExpressionParser {
    /// What expression parsing needs from the environment, shared by reference.
    final class Settings: Sendable {
        let filters: [String: LiquidFilter]
        /// See ``TemplateEnvironment/standardDefinition(_:)``.
        let standardFiltersIntact: Bool
        let registeredFilterNames: Set<String>
        let isStrict: Bool
        let maximumNestingDepth: Int

        init(_ environment: TemplateEnvironment) {
            filters = environment.filters
            standardFiltersIntact = environment.standardFiltersIntact
            registeredFilterNames = environment.registeredFilterNames
            isStrict = environment.mode.isStrict
            maximumNestingDepth = environment.limits.maximumNestingDepth
        }
    }

    let source: SourceText
    let settings: Settings
    /// The token being looked at, and its offset.
    private(set) var current: ExpressionToken
    private(set) var offset: Int
    /// Where the token after `current` starts (white space before it included).
    private var cursor: Int
    /// The end of the markup.
    private let end: Int
    var depth = 0

    init(source: SourceText, settings: Settings, range: Range<Int>) throws(TemplateError) {
        self.source = source
        self.settings = settings
        var cursor = range.lowerBound
        (current, offset) = try ExpressionLexer.next(source, &cursor, end: range.upperBound)
        self.cursor = cursor
        self.end = range.upperBound
    }

    var atEnd: Bool { current == .end }

    /// Moves to the next token; at the end, stays there.
    mutating func advance() throws(TemplateError) {
        guard current != .end else { return }
        (current, offset) = try ExpressionLexer.next(source, &cursor, end: end)
    }

    /// Whether the token after `current` is a `:` (`key: value` in filter and partial arguments). A token that
    /// cannot be read is not a colon; the error surfaces when the parser reaches it.
    var nextIsColon: Bool {
        var lookahead = cursor
        guard let next = try? ExpressionLexer.next(source, &lookahead, end: end) else { return false }
        return next.0 == .colon
    }

    func error(_ message: String, at offset: Int? = nil) -> TemplateError {
        TemplateError(.syntax, message, location: source.location(of: offset ?? self.offset))
    }

    func describe(_ token: ExpressionToken) -> String {
        switch token {
        case .identifier(let name): return "'\(name)'"
        case .string(let text): return "string '\(text)'"
        case .number(let number): return "number \(number.text)"
        case .dot: return "'.'"
        case .dotDot: return "'..'"
        case .leftBracket: return "'['"
        case .rightBracket: return "']'"
        case .leftParen: return "'('"
        case .rightParen: return "')'"
        case .pipe: return "'|'"
        case .colon: return "':'"
        case .comma: return "','"
        case .equals: return "'='"
        case .comparison(let op): return "'\(op)'"
        case .end: return "the end of the tag"
        }
    }

    mutating func expect(_ token: ExpressionToken, _ what: String) throws(TemplateError) {
        guard current == token else { throw error("expected \(what), found \(describe(current))") }
        try advance()
    }

    mutating func expectEnd(_ context: String) throws(TemplateError) {
        guard atEnd else { throw error("unexpected \(describe(current)) \(context)") }
    }

    mutating func skipComma() throws(TemplateError) {
        if current == .comma { try advance() }
    }

    /// Reads an identifier (a variable name in `for`, an argument name).
    mutating func identifier(_ what: String) throws(TemplateError) -> String {
        guard case .identifier(let name) = current else { throw error("expected \(what), found \(describe(current))") }
        try advance()
        return name
    }

    // MARK: - Primary expressions

    mutating func primary() throws(TemplateError) -> Expression {
        let start = offset
        switch current {
        case .string(let text):
            try advance()
            return .literal(.string(text))
        case .number(let number):
            try advance()
            return .literal(.number(number))
        case .leftParen:
            try advance()
            try enter()
            defer { depth -= 1 }
            let lower = try primary()
            try expect(.dotDot, "'..' in a range such as (1..5)")
            let upper = try primary()
            try expect(.rightParen, "')' to close the range")
            return .range(lower, upper)
        case .leftBracket:
            try advance()
            try enter()
            defer { depth -= 1 }
            let key = try primary()
            try expect(.rightBracket, "']'")
            let root: PathSegment
            if case .literal(.string(let name)) = key { root = .key(name) } else { root = .expression(key) }
            return .path(try pathRest(root: root, start: start))
        case .identifier(let name):
            try advance()
            // Only names of 3 to 5 bytes can be keywords: most paths skip the string switch.
            let length = name.utf8.count
            if length < 3 || length > 5 { return .path(try pathRest(root: .key(name), start: start)) }
            switch name {
            case "true": return .literal(.bool(true))
            case "false": return .literal(.bool(false))
            case "nil", "null": return .literal(.null)
            case "blank": return .literal(.blank)
            case "empty": return .literal(.empty)
            default: return .path(try pathRest(root: .key(name), start: start))
            }
        default:
            throw error("expected a value (a variable, string, number or range), found \(describe(current))")
        }
    }

    private mutating func enter() throws(TemplateError) {
        depth += 1
        if depth > settings.maximumNestingDepth {
            throw TemplateError(.tooDeep, "expression nests deeper than \(settings.maximumNestingDepth) levels; simplify it",
                                location: source.location(of: offset))
        }
    }

    private mutating func pathRest(root: PathSegment, start: Int) throws(TemplateError) -> VariablePath {
        // Literal keys are collected as names; only a path with another kind of step needs `segments`.
        var keys: [String] = []
        var segments: [PathSegment]?
        loop: while true {
            let segment: PathSegment
            switch current {
            case .dot:
                try advance()
                guard case .identifier(let name) = current else {
                    throw error("expected a property name after '.', found \(describe(current))")
                }
                try advance()
                segment = .key(name)
            case .leftBracket:
                try advance()
                try enter()
                let key = try primary()
                depth -= 1
                try expect(.rightBracket, "']'")
                switch key {
                case .literal(.string(let name)): segment = .key(name)
                case .literal(.number(let number)) where number.intValue != nil: segment = .index(number.intValue ?? 0)
                default: segment = .expression(key)
                }
            default:
                break loop
            }
            if segments == nil, case .key(let name) = segment {
                keys.append(name)
            } else {
                if segments == nil { segments = keys.map { PathSegment.key($0) } }
                segments?.append(segment)
            }
        }
        var end = max(start, offset)
        while end > start && Lexer.isWhitespace(source.bytes[end - 1]) { end -= 1 }
        if let segments { return VariablePath(root: root, segments: segments, offset: start, end: end) }
        return VariablePath(root: root, keys: keys, offset: start, end: end)
    }

    // MARK: - Filters

    mutating func filtered() throws(TemplateError) -> FilteredExpression {
        let start = offset
        let base = try primary()
        let filters = try filterChain()
        return FilteredExpression(base: base, filters: filters, offset: start)
    }

    mutating func filterChain() throws(TemplateError) -> [FilterCall] {
        var filters: [FilterCall] = []
        while current == .pipe {
            try advance()
            let start = offset
            let name = try identifier("a filter name after '|'")
            // A standard filter the environment has not replaced is bound in its own closure form, skipping the
            // thunks a closure read out of `filters` carries.
            let standard = settings.standardFiltersIntact
                && (settings.registeredFilterNames.isEmpty || !settings.registeredFilterNames.contains(name))
                ? StandardFilters.definitions[name] : nil
            let function = standard == nil ? settings.filters[name] : nil
            let isKnown = standard != nil || function != nil
            if !isKnown && settings.isStrict {
                throw TemplateError(.undefinedFilter, "unknown filter '\(name)'; check the spelling or register it in the environment",
                                    location: source.location(of: start))
            }
            var positional: [Expression] = []
            var keyword: [KeywordArgument] = []
            if current == .colon {
                try advance()
                while true {
                    if case .identifier(let key) = current, nextIsColon {
                        try advance()
                        try advance()
                        keyword.append(KeywordArgument(name: key, value: try primary()))
                    } else {
                        positional.append(try primary())
                    }
                    guard current == .comma else { break }
                    try advance()
                }
            }
            var constant: FilterArguments?
            if let values = ExpressionParser.constants(positional), let keywordValues = ExpressionParser.constants(keyword.map(\.value)) {
                var object = JSONObject()
                for (argument, value) in zip(keyword, keywordValues) { object[argument.name] = value }
                constant = FilterArguments(values, keyword: object)
            }
            // Not `function ?? passThrough`: `??` is generic, and a closure passed through it comes back wrapped in
            // two more reabstraction thunks, which every call of the filter then runs through.
            let call: LiquidFilter
            var check: FilterSignature?
            if let standard {
                call = standard.body
                // Constant arguments are checked once, here; others, and constants that fail (whose error belongs
                // to the render, as for any filter failure), on every call.
                if let constant, (try? standard.signature.check(constant)) != nil {
                    check = nil
                } else {
                    check = standard.signature
                }
            } else if let function {
                call = function
            } else {
                call = ExpressionParser.passThrough
            }
            // Run in place only with constant arguments that passed the check (and `default` without
            // `allow_false`), so the renderer's result is the closure's.
            var builtin = BuiltinFilter.none
            if let standard, check == nil, keyword.isEmpty { builtin = standard.builtin }
            filters.append(FilterCall(name: name, isKnown: isKnown, call: call, check: check, positional: positional,
                                      keyword: keyword, constantArguments: constant, offset: start, builtin: builtin))
        }
        return filters
    }

    /// The stand-in for an unknown filter in lax mode: the value passes through.
    static let passThrough: LiquidFilter = { input, _, _ in input }

    /// The JSON values of literal expressions, or `nil` when one is not a constant.
    static func constants(_ expressions: [Expression]) -> [JSONValue]? {
        var values: [JSONValue] = []
        values.reserveCapacity(expressions.count)
        for expression in expressions {
            guard case .literal(let value) = expression else { return nil }
            switch value {
            case .null: values.append(.null)
            case .bool(let flag): values.append(.bool(flag))
            case .number(let number): values.append(.number(number))
            case .string(let text): values.append(.string(text))
            case .blank, .empty: values.append(.string(""))
            default: return nil
            }
        }
        return values
    }

    // MARK: - Conditions

    mutating func condition() throws(TemplateError) -> Condition {
        var operands: [Comparison] = []
        var connectives: [Bool] = []
        while true {
            let start = offset
            let left = try primary()
            var comparison: (op: ComparisonOperator, right: Expression)?
            var op: ComparisonOperator?
            switch current {
            case .comparison(let text):
                switch text {
                case "==": op = .equal
                case "!=", "<>": op = .notEqual
                case "<": op = .less
                case ">": op = .greater
                case "<=": op = .lessOrEqual
                case ">=": op = .greaterOrEqual
                default: throw error("unknown operator '\(text)'")
                }
            case .identifier("contains"):
                op = .contains
            default:
                break
            }
            if let op {
                try advance()
                comparison = (op, try primary())
            }
            operands.append(Comparison(left: left, comparison: comparison, offset: start))
            switch current {
            case .identifier("and"):
                connectives.append(true)
                try advance()
            case .identifier("or"):
                connectives.append(false)
                try advance()
            case .end:
                return Condition(operands: operands, connectives: connectives)
            case .identifier(let word):
                throw error("'\(word)' is not an operator; use ==, !=, <, >, <=, >=, contains, and, or")
            default:
                throw error("unexpected \(describe(current)) in condition")
            }
        }
    }
}
