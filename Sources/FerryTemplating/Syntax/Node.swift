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
enum Node: Sendable {
    /// Literal text: a byte range of the template's source (read in place while rendering).
    case text(start: Int, end: Int)
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
final class ConditionalNode: Sendable {
    struct Branch: Sendable {
        /// `nil` for `else`.
        var condition: Condition?
        var negated: Bool
        var body: [Node]
    }
    let branches: [Branch]
    let offset: Int
    /// `if` or `unless` without `elsif`/`else`: its one condition, negation and body, read without the array.
    let onlyCondition: Condition?
    let onlyNegated: Bool
    let onlyBody: [Node]

    init(branches: [Branch], offset: Int) {
        self.branches = branches
        self.offset = offset
        if branches.count == 1, let condition = branches[0].condition {
            onlyCondition = condition
            onlyNegated = branches[0].negated
            onlyBody = branches[0].body
        } else {
            onlyCondition = nil
            onlyNegated = false
            onlyBody = []
        }
    }
}

/// `case` / `when` / `else`.
final class CaseNode: Sendable {
    struct Branch: Sendable {
        /// Empty for `else`.
        var values: [Expression]
        var isElse: Bool
        var body: [Node]
    }
    let subject: Expression
    let branches: [Branch]
    let offset: Int

    init(subject: Expression, branches: [Branch], offset: Int) {
        self.subject = subject
        self.branches = branches
        self.offset = offset
    }
}

/// `for` and `tablerow`.
final class LoopNode: Sendable {
    enum Offset: Sendable {
        case none
        case `continue`
        case value(Expression)
    }
    let variable: String
    let collection: Expression
    /// `variable-collection` as written, the key of `offset: continue` and `forloop.name`.
    let name: String
    let limit: Expression?
    let offset: Offset
    let reversed: Bool
    let columns: Expression?
    let body: [Node]
    let elseBody: [Node]
    let position: Int

    init(variable: String, collection: Expression, name: String, limit: Expression?, offset: Offset, reversed: Bool,
         columns: Expression?, body: [Node], elseBody: [Node], position: Int) {
        self.variable = variable
        self.collection = collection
        self.name = name
        self.limit = limit
        self.offset = offset
        self.reversed = reversed
        self.columns = columns
        self.body = body
        self.elseBody = elseBody
        self.position = position
    }

    /// A copy with other bodies (for the JSON payload analyser).
    func with(body: [Node], elseBody: [Node]) -> LoopNode {
        LoopNode(variable: variable, collection: collection, name: name, limit: limit, offset: offset,
                 reversed: reversed, columns: columns, body: body, elseBody: elseBody, position: position)
    }
}

/// `cycle`.
final class CycleNode: Sendable {
    /// The group expression (`cycle group: a, b`), or `nil`.
    let group: Expression?
    /// The key of an unnamed cycle (its arguments as written).
    let key: String
    let values: [Expression]
    let offset: Int

    init(group: Expression?, key: String, values: [Expression], offset: Int) {
        self.group = group
        self.key = key
        self.values = values
        self.offset = offset
    }
}

/// `include` and `render`.
final class PartialNode: Sendable {
    enum Binding: Sendable {
        case none
        case with(Expression)
        case each(Expression)
    }
    let isolated: Bool
    let name: Expression
    let binding: Binding
    let alias: String?
    let arguments: [KeywordArgument]
    let position: Int

    init(isolated: Bool, name: Expression, binding: Binding, alias: String?, arguments: [KeywordArgument], position: Int) {
        self.isolated = isolated
        self.name = name
        self.binding = binding
        self.alias = alias
        self.arguments = arguments
        self.position = position
    }
}

/// A host-defined tag.
final class CustomTagNode: Sendable {
    let name: String
    let tag: CustomTag
    let arguments: [FilteredExpression]
    let position: Int

    init(name: String, tag: CustomTag, arguments: [FilteredExpression], position: Int) {
        self.name = name
        self.tag = tag
        self.arguments = arguments
        self.position = position
    }
}
