import FerryCore

/// A Liquid expression without filters: a literal, a variable path or a range.
indirect enum Expression: Sendable {
    case literal(Value)
    case path(VariablePath)
    case range(Expression, Expression)
}

/// A variable lookup such as `Event["User Rating"]` or `site.menu[include.menu].links[0]`.
struct VariablePath: Sendable {
    var root: PathSegment
    var segments: [PathSegment]
    /// The path as written (for `forloop.name` and error messages).
    var text: String
    /// Byte offset in the template.
    var offset: Int
}

/// One step of a variable path.
enum PathSegment: Sendable {
    case key(String)
    case index(Int)
    case expression(Expression)
}

/// An expression followed by filters: `Profile.Email | downcase | default: "none"`.
struct FilteredExpression: Sendable {
    var base: Expression
    var filters: [FilterCall]
    var offset: Int
}

/// One filter application.
struct FilterCall: Sendable {
    var name: String
    /// The registered function; `nil` when the environment has no filter of that name (lax mode lets the value
    /// pass through).
    var function: LiquidFilter?
    var positional: [Expression]
    var keyword: [KeywordArgument]
    /// The arguments, built once at parse time when all of them are literals.
    var constantArguments: FilterArguments?
    var offset: Int
}

/// `name: expression` in a filter, tag or partial call.
struct KeywordArgument: Sendable {
    var name: String
    var value: Expression
}

/// The comparison operators of conditions.
enum ComparisonOperator: Sendable {
    case equal, notEqual, less, greater, lessOrEqual, greaterOrEqual, contains
}

/// One comparison (or a bare value) in a condition.
struct Comparison: Sendable {
    var left: Expression
    var comparison: (op: ComparisonOperator, right: Expression)?
    var offset: Int
}

/// A condition: comparisons joined by `and` / `or`, evaluated right to left as Liquid does
/// (`a and b or c` means `a and (b or c)`), without recursion.
struct Condition: Sendable {
    var operands: [Comparison]
    /// `connectives[i]` joins `operands[i]` and the rest; `true` is `and`.
    var connectives: [Bool]
}
