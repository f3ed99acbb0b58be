/// How an output tag writes its value (text templates use `.text`; JSON payload templates pick the others from
/// the JSON context of the tag).
enum OutputEscaping: Sendable {
    /// Plain text, as Liquid writes it.
    case text
    /// Inside a JSON string literal: escaped string contents.
    case jsonString
    /// Where a JSON value goes: a complete JSON literal.
    case jsonValue
}

/// A compiled piece of a template.
indirect enum Node: Sendable {
    case text([UInt8], offset: Int)
    case output(FilteredExpression, OutputEscaping)
    case conditional(ConditionalNode)
    case caseBlock(CaseNode)
    case forLoop(LoopNode)
    case tablerow(LoopNode)
    case assign(name: String, value: FilteredExpression)
    case capture(name: String, body: [Node])
    case counter(name: String, increment: Bool, OutputEscaping, offset: Int)
    case cycle(CycleNode, OutputEscaping)
    case breakLoop
    case continueLoop
    case ifchanged([Node])
    case partial(PartialNode)
    case abort(reason: Expression?)
    case sequence([Node])
    case custom(CustomTagNode, OutputEscaping)
}

/// `if` / `elsif` / `else`, and `unless` (whose first branch is negated).
struct ConditionalNode: Sendable {
    struct Branch: Sendable {
        /// `nil` for `else`.
        var condition: Condition?
        var negated: Bool
        var body: [Node]
    }
    var branches: [Branch]
    var offset: Int
}

/// `case` / `when` / `else`.
struct CaseNode: Sendable {
    struct Branch: Sendable {
        /// Empty for `else`.
        var values: [Expression]
        var isElse: Bool
        var body: [Node]
    }
    var subject: Expression
    var branches: [Branch]
    var offset: Int
}

/// `for` and `tablerow`.
struct LoopNode: Sendable {
    enum Offset: Sendable {
        case none
        case `continue`
        case value(Expression)
    }
    var variable: String
    var collection: Expression
    /// `variable-collection` as written, the key of `offset: continue` and `forloop.name`.
    var name: String
    var limit: Expression?
    var offset: Offset
    var reversed: Bool
    var columns: Expression?
    var body: [Node]
    var elseBody: [Node]
    var position: Int
}

/// `cycle`.
struct CycleNode: Sendable {
    /// The group expression (`cycle group: a, b`), or `nil`.
    var group: Expression?
    /// The key of an unnamed cycle (its arguments as written).
    var key: String
    var values: [Expression]
    var offset: Int
}

/// `include` and `render`.
struct PartialNode: Sendable {
    enum Binding: Sendable {
        case none
        case with(Expression)
        case each(Expression)
    }
    var isolated: Bool
    var name: Expression
    var binding: Binding
    var alias: String?
    var arguments: [KeywordArgument]
    var position: Int
}

/// A host-defined tag.
struct CustomTagNode: Sendable {
    var name: String
    var tag: CustomTag
    var arguments: [FilteredExpression]
    var position: Int
}
