import FerryCore

extension Renderer {
    // MARK: - Variables

    @inline(__always)
    mutating func lookup(_ name: String) -> Value {
        var index = scope.count
        while index > scopeFloor {
            index -= 1
            if scope[index].name == name { return scope[index].value }
        }
        if !locals.isEmpty, let value = locals[name] { return value }
        if let value = Renderer.member(of: globals, name) { return Value(value) }
        if !counters.isEmpty, let counter = counters[name] { return .int(counter) }
        return .undefined
    }

    /// The value a loop, partial argument or `with` bound to `name`, innermost first, if any.
    @inline(__always)
    func scopeValue(_ name: String) -> Value? {
        var index = scope.count
        while index > scopeFloor {
            index -= 1
            if scope[index].name == name { return scope[index].value }
        }
        return nil
    }

    mutating func resolve(_ path: VariablePath, lenient: Bool) throws(RenderFailure) -> Value {
        if let field = path.loopField, let frame = forFrame, !scopeShadowsLoop {
            return loopValue(frame, field)
        }
        if path.hasOnlyKeys, let name = path.rootName {
            // Fast path: literal names only, looked up once in `lookup`'s order (scope, locals, data, counters).
            var current: Value
            let count = path.keys.count
            var index = 0
            if let bound = scopeValue(name) {
                current = bound
            } else if !locals.isEmpty, let local = locals[name] {
                current = local
            } else if let found = descend(path, name) {
                // A data path (`Profile.Email`): followed inside the context without copying the objects on the way.
                current = Value(found.value)
                index = found.depth
            } else if !counters.isEmpty, let counter = counters[name] {
                current = .int(counter)
            } else {
                current = .undefined
            }
            while index < count {
                if case .undefined = current { break }
                current = property(of: current, path.keys[index])
                index += 1
            }
            if strict && !lenient, case .undefined = current {
                throw undefined(path)
            }
            return current
        }
        var current: Value
        switch path.root {
        case .key(let name):
            current = lookup(name)
        case .expression(let expression):
            let key = try evaluate(expression, lenient: lenient)
            if case .string(let name) = key { current = lookup(name) } else { current = .undefined }
        case .index:
            current = .undefined
        }
        for segment in path.segments {
            if case .undefined = current { break }
            switch segment {
            case .key(let key):
                current = property(of: current, key)
            case .index(let index):
                current = element(of: current, index)
            case .expression(let expression):
                let key = try evaluate(expression, lenient: lenient)
                switch key {
                case .string(let name): current = property(of: current, name)
                case .number(let number):
                    if let index = number.intValue { current = element(of: current, index) } else { current = .undefined }
                default: current = .undefined
                }
            }
        }
        if strict && !lenient, case .undefined = current {
            throw undefined(path)
        }
        return current
    }

    /// Follows a data path inside the context with the path's position hints, and keeps the hints it ends with.
    @inline(__always)
    func descend(_ path: VariablePath, _ name: String) -> (value: JSONValue, depth: Int)? {
        let before = path.hints.load(ordering: .relaxed)
        var hints = before
        let found = globals.descend(name, path.keys, hints: &hints)
        if hints != before { path.hints.store(hints, ordering: .relaxed) }
        return found
    }

    mutating func undefined(_ path: VariablePath) -> RenderFailure {
        let text = source.text(path.offset..<path.end)
        return error(.undefinedVariable,
                     "'\(text)' is not defined in the data; check the spelling and the sample data, or add a default (| default: ...)",
                     at: path.offset, path: text)
    }

    mutating func property(of value: Value, _ key: String) -> Value {
        switch value {
        case .object(let object):
            if let member = Renderer.member(of: object, key) { return Value(member) }
            switch key {
            case "size": return .int(object.count)
            case "first":
                guard let first = object.keys.first, let member = object[first] else { return .undefined }
                return .array([.string(first), member])
            default: return .undefined
            }
        case .array(let array):
            switch key {
            case "size": return .int(array.count)
            case "first": return array.first.map(Value.init) ?? .undefined
            case "last": return array.last.map(Value.init) ?? .undefined
            default: return .undefined
            }
        case .string(let text):
            switch key {
            case "size": return .int(text.unicodeScalars.count)
            case "first": return text.first.map { .string(String($0)) } ?? .undefined
            case "last": return text.last.map { .string(String($0)) } ?? .undefined
            default: return .undefined
            }
        case .range(let low, let high):
            switch key {
            case "size": return .int(max(0, high - low + 1))
            case "first": return high >= low ? .int(low) : .undefined
            case "last": return high >= low ? .int(high) : .undefined
            default: return .undefined
            }
        case .loop(let frame): return loopProperty(frame, key, table: false)
        case .tableLoop(let frame): return loopProperty(frame, key, table: true)
        default: return .undefined
        }
    }

    /// An object's member: JSONObject scans small objects and uses its hash index for large ones.
    @inline(__always)
    static func member(of object: JSONObject, _ key: String) -> JSONValue? {
        object[key]
    }

    mutating func element(of value: Value, _ index: Int) -> Value {
        switch value {
        case .array(let array):
            let position = index < 0 ? array.count + index : index
            return array.indices.contains(position) ? Value(array[position]) : .undefined
        case .range(let low, let high):
            let count = max(0, high - low + 1)
            let position = index < 0 ? count + index : index
            return position >= 0 && position < count ? .int(low + position) : .undefined
        case .object(let object):
            return object[String(index)].map(Value.init) ?? .undefined
        default:
            return .undefined
        }
    }

    // MARK: - Expressions

    @inline(__always)
    mutating func evaluate(_ expression: Expression, lenient: Bool = false) throws(RenderFailure) -> Value {
        switch expression {
        case .literal(let value): return value
        case .path(let path): return try resolve(path, lenient: lenient)
        case .range(let lowerExpression, let upperExpression):
            let lower = rangeBound(try evaluate(lowerExpression, lenient: lenient))
            let upper = rangeBound(try evaluate(upperExpression, lenient: lenient))
            return .range(lower, upper)
        }
    }

    /// The largest magnitude of a range bound: `high - low + 1` of any two bounds fits an `Int`.
    static let rangeBoundLimit = (1 << 62) - 1

    /// A range bound: integers exactly (a 19-digit identity up to 2^62 included), clamped to
    /// ±``rangeBoundLimit`` so that no range's size overflows.
    mutating func rangeBound(_ value: Value) -> Int {
        let limit = Renderer.rangeBoundLimit
        switch value {
        case .number(let number):
            if number.isInteger, let integer = number.intValue { return max(-limit, min(limit, integer)) }
            let double = number.doubleValue.rounded(.towardZero)
            return double.magnitude < 1e15 ? Int(double) : 0
        case .string(let text):
            let trimmed = text.trimmingWhitespace
            if let integer = Int(trimmed) { return max(-limit, min(limit, integer)) }
            if let double = Double(trimmed), double.magnitude < 1e15 { return Int(double) }
            return 0
        default: return 0
        }
    }

    @inline(__always)
    mutating func evaluate(_ expression: FilteredExpression) throws(RenderFailure) -> Value {
        try evaluate(expression, filterCount: expression.filters.count)
    }

    /// The value of `expression` after its first `filterCount` filters.
    mutating func evaluate(_ expression: FilteredExpression, filterCount: Int) throws(RenderFailure) -> Value {
        if filterCount == 0 { return try evaluate(expression.base) }
        let filters = expression.filters
        // `default` supplies a value for an undefined variable, so it must see one even in strict mode.
        var value = try evaluate(expression.base, lenient: strict && expression.startsWithDefault)
        var index = 0
        while index < filterCount {
            let call = filters[index]
            index += 1
            guard call.isKnown else { continue }
            if case .fallback = call.builtin, let keeps = Renderer.defaultKeeps(value) {
                if !keeps { value = call.fallback }
                try checkResult(value, of: call)
                continue
            }
            value = try apply(call, to: value)
        }
        return value
    }

    /// Whether the standard `default` filter keeps `value` (`false`: it gives its fallback), as its closure
    /// decides on the value's JSON form; `nil` for a value whose JSON form must be built first (a range, a loop).
    @inline(__always)
    static func defaultKeeps(_ value: Value) -> Bool? {
        switch value {
        case .null, .undefined, .blank, .empty: return false
        case .bool(let flag): return flag
        case .number: return true
        case .string(let text): return !text.isEmpty
        case .array(let array): return !array.isEmpty
        case .object(let object): return !object.isEmpty
        case .range, .loop, .tableLoop: return nil
        }
    }

    /// Runs one filter through its closure.
    mutating func apply(_ call: FilterCall, to value: Value) throws(RenderFailure) -> Value {
        let input = try json(of: value, at: call.offset)
        let arguments: FilterArguments? = call.hasConstantArguments ? nil : try evaluateArguments(call)
        let result: Value
        do throws(FilterError) {
            if let arguments {
                if let signature = call.check { try signature.check(arguments) }
                result = Value(try call.call(input, arguments, filterContext))
            } else {
                if let signature = call.check { try signature.check(call.arguments) }
                result = Value(try call.call(input, call.arguments, filterContext))
            }
        } catch {
            let kind: TemplateError.Kind = error.isResultTooLarge ? .outputTooLarge : .filterFailed
            throw self.error(kind, "filter '\(call.name)': \(error.message)", at: call.offset)
        }
        try checkResult(result, of: call)
        return result
    }

    /// Stops the render when a filter built a value past the limits: a string longer than the output limit, an
    /// array of more items than the loop limit, or an array or object whose text is longer than the output limit.
    /// Without this, doubling a value (`assign a = a | concat: a` in a loop) grows memory exponentially.
    /// The common case (a short string, a number) costs one comparison; the rest is out of line.
    @inline(__always)
    mutating func checkResult(_ value: Value, of call: FilterCall) throws(RenderFailure) {
        switch value {
        case .string(let text):
            if text.utf8.count > limits.maximumOutputBytes { throw resultTooLarge(value, of: call) }
        case .array, .object:
            try checkCollection(value, of: call)
        default:
            break
        }
    }

    @inline(never)
    mutating func checkCollection(_ value: Value, of call: FilterCall) throws(RenderFailure) {
        switch value {
        case .array(let array):
            if array.count > limits.maximumLoopIterations
                || JSONValue.array(array).liquidTextSize(upTo: limits.maximumOutputBytes) > limits.maximumOutputBytes {
                throw resultTooLarge(value, of: call)
            }
        case .object(let object):
            if JSONValue.object(object).liquidTextSize(upTo: limits.maximumOutputBytes) > limits.maximumOutputBytes {
                throw resultTooLarge(value, of: call)
            }
        default:
            break
        }
    }

    /// The error for a filter result past the limits (see ``checkResult(_:of:)``).
    @inline(never)
    mutating func resultTooLarge(_ value: Value, of call: FilterCall) -> RenderFailure {
        switch value {
        case .string(let text):
            return error(.outputTooLarge,
                         "filter '\(call.name)' built a text of \(text.utf8.count) bytes, more than the output limit of \(limits.maximumOutputBytes); check for text that doubles in a loop, or raise TemplateLimits.maximumOutputBytes",
                         at: call.offset)
        case .array(let array) where array.count > limits.maximumLoopIterations:
            return error(.tooManyIterations,
                         "filter '\(call.name)' built an array of \(array.count) items, more than the limit of \(limits.maximumLoopIterations); check for an array that doubles in a loop, or raise TemplateLimits.maximumLoopIterations",
                         at: call.offset)
        case .array:
            return error(.outputTooLarge,
                         "filter '\(call.name)' built an array whose text is more than the output limit of \(limits.maximumOutputBytes) bytes; check for an array that doubles in a loop, or raise TemplateLimits.maximumOutputBytes",
                         at: call.offset)
        default:
            return error(.outputTooLarge,
                         "filter '\(call.name)' built an object whose text is more than the output limit of \(limits.maximumOutputBytes) bytes; raise TemplateLimits.maximumOutputBytes if that is intended",
                         at: call.offset)
        }
    }

    mutating func evaluateArguments(_ call: FilterCall) throws(RenderFailure) -> FilterArguments {
        var positional: [JSONValue] = []
        positional.reserveCapacity(call.positional.count)
        for argument in call.positional { positional.append(try json(of: try evaluate(argument), at: call.offset)) }
        var keyword = JSONObject()
        for argument in call.keyword { keyword[argument.name] = try json(of: try evaluate(argument.value), at: call.offset) }
        return FilterArguments(positional, keyword: keyword)
    }

    /// The JSON form of a value, as filters and JSON output see it.
    mutating func json(of value: Value, at offset: Int) throws(RenderFailure) -> JSONValue {
        switch value {
        case .null, .undefined: return .null
        case .bool(let flag): return .bool(flag)
        case .number(let number): return .number(number)
        case .string(let text): return .string(text)
        case .array(let array): return .array(array)
        case .object(let object): return .object(object)
        case .blank, .empty: return .string("")
        case .range(let low, let high):
            let count = max(0, high - low + 1)
            guard count <= limits.maximumLoopIterations else {
                throw error(.tooManyIterations, "range (\(low)..\(high)) has more than \(limits.maximumLoopIterations) items",
                            at: offset)
            }
            return .array(count == 0 ? [] : (low...high).map { .int($0) })
        case .loop(let frame), .tableLoop(let frame):
            var object = JSONObject()
            let isTable: Bool
            if case .tableLoop = value { isTable = true } else { isTable = false }
            var keys = ["first", "index", "index0", "last", "length", "rindex", "rindex0"]
            keys += isTable ? ["col", "col0", "col_first", "col_last", "row"] : ["name"]
            for key in keys { object[key] = try json(of: loopProperty(frame, key, table: isTable), at: offset) }
            return .object(object)
        }
    }

    /// The text a value renders as.
    mutating func string(of value: Value) throws(RenderFailure) -> String {
        if case .string(let text) = value { return text }
        var buffer: [UInt8] = []
        Renderer.appendText(value, to: &buffer)
        return String(decoding: buffer, as: UTF8.self)
    }

    mutating func describe(_ value: Value) -> String {
        switch value {
        case .null: "nil"
        case .undefined: "an undefined value"
        case .bool(let flag): "\(flag)"
        case .number(let number): "the number \(number.text)"
        case .string(let text): "the string '\(text.count > 40 ? String(text.prefix(40)) + "…" : text)'"
        case .array: "an array"
        case .object: "an object"
        case .blank: "blank"
        case .empty: "empty"
        case .range(let low, let high): "the range (\(low)..\(high))"
        case .loop, .tableLoop: "a loop object"
        }
    }

    // MARK: - Conditions

    mutating func evaluate(_ condition: Condition) throws(RenderFailure) -> Bool {
        if let field = condition.loopField, let frame = forFrame, !scopeShadowsLoop {
            return loopValue(frame, field).isTruthy
        }
        if let single = condition.single { return try evaluate(single) }
        let operands = condition.operands
        var index = 0
        while true {
            let result = try evaluate(operands[index])
            if index == operands.count - 1 { return result }
            if condition.connectives[index] {
                if !result { return false }
            } else if result {
                return true
            }
            index += 1
        }
    }

    mutating func evaluate(_ comparison: Comparison) throws(RenderFailure) -> Bool {
        let left = try evaluate(comparison.left)
        guard let op = comparison.op else { return left.isTruthy }
        let right = try evaluate(comparison.right)
        switch op {
        case .equal: return Renderer.equal(left, right)
        case .notEqual: return !Renderer.equal(left, right)
        case .contains: return Renderer.contains(left, right)
        case .less, .greater, .lessOrEqual, .greaterOrEqual:
            guard let order = try order(left, right, at: comparison.offset) else { return false }
            switch op {
            case .less: return order < 0
            case .greater: return order > 0
            case .lessOrEqual: return order <= 0
            default: return order >= 0
            }
        }
    }

    /// -1, 0 or 1 for comparable values; `nil` when Liquid says the comparison is false; an error for a number
    /// against a string.
    mutating func order(_ left: Value, _ right: Value, at offset: Int) throws(RenderFailure) -> Int? {
        switch (left, right) {
        case (.number(let a), .number(let b)):
            if a.isInteger && b.isInteger { return a < b ? -1 : (a == b ? 0 : 1) }
            return Renderer.order(LiquidNumber(a), LiquidNumber(b))
        case (.string(let a), .string(let b)):
            return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : (a == b ? 0 : 1)
        case (.number, .string), (.string, .number):
            throw error(.invalidOperands, "cannot compare \(describe(left)) with \(describe(right)); convert one side first (e.g. | plus: 0)",
                        at: offset)
        default:
            return nil
        }
    }

    /// Exact numeric order (integers of any size, floats by their decimal digits), as Ruby compares numbers: two
    /// 20-digit identities that differ in the last digit are not equal, though their `Double`s are.
    static func order(_ a: LiquidNumber, _ b: LiquidNumber) -> Int {
        a < b ? -1 : (b < a ? 1 : 0)
    }

    static func isBlank(_ value: Value) -> Bool {
        switch value {
        case .null, .undefined, .blank, .empty: return true
        case .bool(let flag): return !flag
        case .string(let text): return text.allSatisfy(\.isWhitespace)
        case .array(let array): return array.isEmpty
        case .object(let object): return object.isEmpty
        case .range(let low, let high): return high < low
        default: return false
        }
    }

    static func isEmpty(_ value: Value) -> Bool {
        switch value {
        case .empty: return true
        case .string(let text): return text.isEmpty
        case .array(let array): return array.isEmpty
        case .object(let object): return object.isEmpty
        case .range(let low, let high): return high < low
        default: return false
        }
    }

    static func equal(_ left: Value, _ right: Value) -> Bool {
        switch (left, right) {
        case (.blank, .empty), (.empty, .blank): return false
        case (_, .blank): return isBlank(left)
        case (.blank, _): return isBlank(right)
        case (_, .empty): return isEmpty(left)
        case (.empty, _): return isEmpty(right)
        case (.null, .null), (.null, .undefined), (.undefined, .null), (.undefined, .undefined): return true
        case (.bool(let a), .bool(let b)): return a == b
        case (.number(let a), .number(let b)):
            if a.isInteger && b.isInteger { return a == b }
            return Renderer.order(LiquidNumber(a), LiquidNumber(b)) == 0
        case (.string(let a), .string(let b)): return a == b
        case (.array(let a), .array(let b)): return a == b
        case (.object(let a), .object(let b)): return a == b
        case (.range(let a1, let a2), .range(let b1, let b2)): return a1 == b1 && a2 == b2
        case (.range(let low, let high), .array(let array)), (.array(let array), .range(let low, let high)):
            let count = max(0, high - low + 1)
            return array.count == count && array.enumerated().allSatisfy { $0.element == .int(low + $0.offset) }
        default: return false
        }
    }

    static func contains(_ left: Value, _ right: Value) -> Bool {
        switch right {
        case .null, .undefined: return false
        case .bool(false): return false
        default: break
        }
        switch left {
        case .string(let text):
            switch right {
            case .string(let needle): return text.contains(needle)
            case .number(let number): return text.contains(number.text)
            case .bool(let flag): return text.contains(flag ? "true" : "false")
            default: return false
            }
        case .array(let array):
            return array.contains { Renderer.equal(Value($0), right) }
        case .object(let object):
            if case .string(let key) = right { return object[key] != nil }
            return false
        case .range(let low, let high):
            if case .number(let number) = right, let integer = number.intValue { return integer >= low && integer <= high }
            return false
        default:
            return false
        }
    }
}
