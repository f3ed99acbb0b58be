import FerryCore

/// What a `for` or `tablerow` iterates.
enum LoopItems {
    case array([JSONValue])
    case range(Int)
    /// An object's keys and values, taken out once per loop.
    case pairs([String], [JSONValue])
    case single(Value)
    case none

    var count: Int {
        switch self {
        case .array(let array): array.count
        case .range(let count): count
        case .pairs(let keys, _): keys.count
        case .single: 1
        case .none: 0
        }
    }
}

extension Renderer {
    mutating func items(of value: Value, lower: inout Int) -> LoopItems {
        switch value {
        case .array(let array): return .array(array)
        case .range(let low, let high):
            lower = low
            return .range(high >= low ? high - low + 1 : 0)
        case .object(let object): return .pairs(object.keys, object.values)
        case .string(let text): return text.isEmpty ? .none : .single(.string(text))
        default: return .none
        }
    }

    @inline(__always)
    mutating func item(_ items: LoopItems, _ index: Int, lower: Int) -> Value {
        switch items {
        case .array(let array): return Value(array[index])
        case .range: return .int(lower + index)
        case .pairs(let keys, let values):
            return .array([.string(keys[index]), values[index]])
        case .single(let value): return value
        case .none: return .null
        }
    }

    /// Converts a `limit`, `offset` or `cols` value to an integer.
    mutating func loopArgument(_ expression: Expression, _ what: String, at offset: Int) throws(RenderFailure) -> Int? {
        let value = try evaluate(expression)
        switch value {
        case .null, .undefined: return nil
        case .number(let number): return Int(exactly: number.doubleValue.rounded(.towardZero)) ?? 0
        case .string(let text):
            let trimmed = text.trimmingWhitespace
            if let integer = Int(trimmed) { return integer }
            if let double = Double(trimmed), double.isFinite { return Int(double) }
            fallthrough
        default:
            throw error(.invalidArgument, "'\(what)' must be a number, got \(describe(value))", at: offset)
        }
    }

    /// The slice of the collection a loop runs over: start index and count, after `offset` and `limit`.
    mutating func segment(_ node: LoopNode, count: Int) throws(RenderFailure) -> (Int, Int) {
        var start = 0
        switch node.offset {
        case .none: break
        case .continue: start = offsets[node.name] ?? 0
        case .value(let expression): start = try loopArgument(expression, "offset", at: node.position) ?? 0
        }
        start = max(0, min(start, count))
        var end = count
        if let limitExpression = node.limit, let limit = try loopArgument(limitExpression, "limit", at: node.position) {
            end = min(count, start + max(0, limit))
        }
        return (start, end - start)
    }

    @inline(__always)
    mutating func countIteration(at offset: Int) throws(RenderFailure) {
        iterations += 1
        if iterations > limits.maximumLoopIterations {
            throw error(.tooManyIterations,
                        "loops ran more than \(limits.maximumLoopIterations) iterations; add a 'limit:' or raise TemplateLimits.maximumLoopIterations",
                        at: offset)
        }
    }

    mutating func renderFor(_ node: LoopNode) throws(RenderFailure) -> Flow {
        let collection = try evaluate(node.collection)
        var lower = 0
        let items = items(of: collection, lower: &lower)
        let (start, length) = try segment(node, count: items.count)
        if recordOffsets { offsets[node.name] = start + length }
        guard length > 0 else {
            let flow = try render(node.elseBody)
            return flow
        }
        let frame = loops.count
        loops.append(LoopFrame(index0: 0, length: length, name: node.name,
                               parent: frame > loopFloor ? frame - 1 : nil, columns: 0))
        let slot = scope.count
        scope.append(ScopeEntry(name: "forloop", value: .loop(frame)))
        scope.append(ScopeEntry(name: node.variable, value: .null))
        let savedForFrame = forFrame
        let savedShadow = scopeShadowsLoop
        forFrame = frame
        scopeShadowsLoop = node.variable == "forloop"
        defer {
            while scope.count > slot { scope.removeLast() }
            while loops.count > frame { loops.removeLast() }
            forFrame = savedForFrame
            scopeShadowsLoop = savedShadow
        }
        for index in 0..<length {
            try countIteration(at: node.position)
            let position = node.reversed ? start + length - 1 - index : start + index
            scope[slot + 1].value = item(items, position, lower: lower)
            loops[frame].index0 = index
            let flow = try render(node.body)
            try checkOutput(at: node.position)
            if case .breakLoop = flow { break }
        }
        return .normal
    }

    mutating func renderTablerow(_ node: LoopNode) throws(RenderFailure) {
        let collection = try evaluate(node.collection)
        var lower = 0
        let items = items(of: collection, lower: &lower)
        let (start, length) = try segment(node, count: items.count)
        var columns = length
        if let expression = node.columns, let value = try loopArgument(expression, "cols", at: node.position) {
            columns = value
        }
        if columns <= 0 { columns = max(length, 1) }
        output.append(contentsOf: Array("<tr class=\"row1\">\n".utf8))
        let frame = loops.count
        loops.append(LoopFrame(index0: 0, length: length, name: node.name, parent: nil, columns: columns))
        let slot = scope.count
        scope.append(ScopeEntry(name: "tablerowloop", value: .tableLoop(frame)))
        scope.append(ScopeEntry(name: node.variable, value: .null))
        defer {
            while scope.count > slot { scope.removeLast() }
            while loops.count > frame { loops.removeLast() }
        }
        for index in 0..<length {
            try countIteration(at: node.position)
            scope[slot + 1].value = item(items, start + index, lower: lower)
            loops[frame].index0 = index
            let column = index % columns
            output.append(contentsOf: Array("<td class=\"col\(column + 1)\">".utf8))
            let flow = try render(node.body)
            output.append(contentsOf: Array("</td>".utf8))
            if case .breakLoop = flow { break }
            if column == columns - 1 && index < length - 1 {
                output.append(contentsOf: Array("</tr>\n<tr class=\"row\(index / columns + 2)\">".utf8))
            }
            try checkOutput(at: node.position)
        }
        output.append(contentsOf: Array("</tr>\n".utf8))
    }

    /// A `forloop` property known at parse time.
    @inline(__always)
    mutating func loopValue(_ frameIndex: Int, _ field: LoopField) -> Value {
        let index0 = loops[frameIndex].index0
        let length = loops[frameIndex].length
        switch field {
        case .index: return .int(index0 + 1)
        case .index0: return .int(index0)
        case .rindex: return .int(length - index0)
        case .rindex0: return .int(length - index0 - 1)
        case .first: return .bool(index0 == 0)
        case .last: return .bool(index0 == length - 1)
        case .length: return .int(length)
        case .name: return .string(loops[frameIndex].name)
        case .parentloop:
            if let parent = loops[frameIndex].parent { return .loop(parent) }
            return .undefined
        }
    }

    /// A property of `forloop` or `tablerowloop`.
    mutating func loopProperty(_ frameIndex: Int, _ name: String, table: Bool) -> Value {
        if !table, let field = LoopField(rawValue: name) { return loopValue(frameIndex, field) }
        let frame = loops[frameIndex]
        switch name {
        case "index": return .int(frame.index0 + 1)
        case "index0": return .int(frame.index0)
        case "rindex": return .int(frame.length - frame.index0)
        case "rindex0": return .int(frame.length - frame.index0 - 1)
        case "first": return .bool(frame.index0 == 0)
        case "last": return .bool(frame.index0 == frame.length - 1)
        case "length": return .int(frame.length)
        case "name" where !table: return .string(frame.name)
        case "parentloop" where !table:
            if let parent = frame.parent { return .loop(parent) }
            return .undefined
        default: break
        }
        guard table else { return .undefined }
        let column0 = frame.index0 % max(frame.columns, 1)
        switch name {
        case "col": return .int(column0 + 1)
        case "col0": return .int(column0)
        case "col_first": return .bool(column0 == 0)
        case "col_last": return .bool(column0 == frame.columns - 1)
        case "row": return .int(frame.index0 / max(frame.columns, 1) + 1)
        default: return .undefined
        }
    }
}

extension String {
    var trimmingWhitespace: String {
        var text = Substring(self)
        while let first = text.first, first.isWhitespace { text.removeFirst() }
        while let last = text.last, last.isWhitespace { text.removeLast() }
        return String(text)
    }
}
