import FerryCore
import Synchronization

/// A Liquid expression without filters: a literal, a variable path or a range.
enum Expression: Sendable {
    case literal(Value)
    case path(VariablePath)
    indirect case range(Expression, Expression)
}

/// A variable lookup such as `Event["User Rating"]` or `site.menu[include.menu].links[0]`.
///
/// Syntax nodes are immutable final classes: rendering reads them through one reference, without copying.
final class VariablePath: Sendable {
    let root: PathSegment
    /// The steps after the root. Empty for a path with a literal root name and only literal keys, which the
    /// renderer follows through ``keys`` alone.
    let segments: [PathSegment]
    /// Byte offset in the template.
    let offset: Int
    /// The byte offset just after the path as written: the template's `offset..<end` is the text error messages
    /// quote (kept as a range, so parsing builds no string that only an error would read).
    let end: Int
    /// The root name, when it is written literally (the common case).
    let rootName: String?
    /// The property names, when every segment is a literal key (`Profile.Email`, `Event["User Rating"]`);
    /// see ``hasOnlyKeys``.
    let keys: [String]
    /// Whether every segment is a literal key.
    let hasOnlyKeys: Bool
    /// For `forloop.index` and the like: the property, read straight from the innermost loop.
    let loopField: LoopField?
    /// Where each key of a data path was found in the last render's context (see
    /// ``/FerryCore/JSONObject/descend(_:_:hints:)``): contexts of one shape then cost one comparison a key.
    /// Only a guess, checked before use; concurrent renders may overwrite each other's, which is harmless.
    let hints = Atomic<UInt64>(0)

    /// A path whose steps are all literal keys (`Profile.Email`, `Event["User Rating"]`).
    init(root: PathSegment, keys: [String], offset: Int, end: Int) {
        self.root = root
        self.offset = offset
        self.end = end
        if case .key(let name) = root { rootName = name } else { rootName = nil }
        // A computed root (`[name].key`) takes the general path, which reads `segments`.
        self.segments = rootName == nil ? keys.map { .key($0) } : []
        self.hasOnlyKeys = true
        self.keys = keys
        if rootName == "forloop", keys.count == 1 {
            loopField = LoopField(rawValue: keys[0])
        } else {
            loopField = nil
        }
    }

    /// A path with at least one step that is not a literal key.
    init(root: PathSegment, segments: [PathSegment], offset: Int, end: Int) {
        self.root = root
        self.segments = segments
        self.offset = offset
        self.end = end
        if case .key(let name) = root { rootName = name } else { rootName = nil }
        self.hasOnlyKeys = false
        self.keys = []
        self.loopField = nil
    }
}

/// The properties of `forloop`.
enum LoopField: String, Sendable {
    case index, index0, rindex, rindex0, first, last, length, name, parentloop
}

/// One step of a variable path.
enum PathSegment: Sendable {
    case key(String)
    case index(Int)
    case expression(Expression)
}

/// An expression followed by filters: `Profile.Email | downcase | default: "none"`.
final class FilteredExpression: Sendable {
    let base: Expression
    let filters: [FilterCall]
    let offset: Int
    /// `default` comes first: it must see an undefined variable even in strict mode.
    let startsWithDefault: Bool
    /// `.downcase` or `.upcase` when the last filter is one the renderer maps while writing (see
    /// ``BuiltinFilter``); `.none` otherwise.
    let endsWithCaseMapping: BuiltinFilter

    init(base: Expression, filters: [FilterCall], offset: Int) {
        self.base = base
        self.filters = filters
        self.offset = offset
        self.startsWithDefault = filters.first?.name == "default"
        switch filters.last?.builtin {
        case .downcase?: endsWithCaseMapping = .downcase
        case .upcase?: endsWithCaseMapping = .upcase
        default: endsWithCaseMapping = .none
        }
    }
}

/// A standard filter the renderer runs in place instead of calling its closure: bound only when the environment
/// has not replaced the filter and its arguments are constants that passed the signature check at parse time,
/// so the result is the closure's exactly.
enum BuiltinFilter: Sendable {
    /// Any other filter, or one of these bound in a form the renderer does not inline.
    case none
    /// `default` with a constant fallback and no `allow_false`: the fallback for nil, false and empty values.
    case fallback
    /// `downcase`: ASCII text is mapped while it is written to the output, without building a new string.
    case downcase
    /// `upcase`, as `downcase`.
    case upcase
}

/// One filter application.
final class FilterCall: Sendable {
    let name: String
    /// Whether the environment has the filter; an unknown one (lax mode) lets the value pass through.
    let isKnown: Bool
    /// The filter (a pass-through for an unknown one). Stored unwrapped, so calls go straight to it.
    let call: LiquidFilter
    /// The signature to check the arguments against before each call: for a standard filter bound unchecked
    /// whose arguments are not constants that passed the check at parse time.
    let check: FilterSignature?
    let positional: [Expression]
    let keyword: [KeywordArgument]
    /// Whether all arguments are literals, so ``arguments`` can be passed as is.
    let hasConstantArguments: Bool
    /// The arguments when they are all literals (empty otherwise).
    let arguments: FilterArguments
    let offset: Int
    /// How the renderer runs the filter in place (``BuiltinFilter/none``: through ``call``).
    let builtin: BuiltinFilter

    init(name: String, isKnown: Bool, call: @escaping LiquidFilter, check: FilterSignature?, positional: [Expression],
         keyword: [KeywordArgument], constantArguments: FilterArguments?, offset: Int, builtin: BuiltinFilter = .none) {
        self.name = name
        self.isKnown = isKnown
        self.call = call
        self.check = check
        self.positional = positional
        self.keyword = keyword
        self.hasConstantArguments = constantArguments != nil
        self.arguments = constantArguments ?? FilterArguments()
        self.offset = offset
        self.builtin = builtin
    }

    /// The value `default` gives for nil, false and empty input (with constant arguments, as
    /// ``BuiltinFilter/fallback`` requires).
    var fallback: Value {
        arguments.count > 0 ? Value(arguments.positional[0]) : .string("")
    }
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
final class Comparison: Sendable {
    let left: Expression
    let op: ComparisonOperator?
    let right: Expression
    let offset: Int

    init(left: Expression, comparison: (op: ComparisonOperator, right: Expression)?, offset: Int) {
        self.left = left
        self.op = comparison?.op
        self.right = comparison?.right ?? .literal(.null)
        self.offset = offset
    }
}

/// A condition: comparisons joined by `and` / `or`, evaluated right to left as Liquid does
/// (`a and b or c` means `a and (b or c)`), without recursion.
final class Condition: Sendable {
    let operands: [Comparison]
    /// `connectives[i]` joins `operands[i]` and the rest; `true` is `and`.
    let connectives: [Bool]
    /// For a bare `forloop.<property>` test (`{% unless forloop.last %}`): the property.
    let loopField: LoopField?
    /// For a single comparison: that comparison.
    let single: Comparison?

    init(operands: [Comparison], connectives: [Bool]) {
        self.operands = operands
        self.connectives = connectives
        single = operands.count == 1 ? operands[0] : nil
        if let only = single, only.op == nil, case .path(let path) = only.left {
            loopField = path.loopField
        } else {
            loopField = nil
        }
    }
}
