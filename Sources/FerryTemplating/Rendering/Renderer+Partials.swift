import FerryCore

extension Renderer {
    mutating func loadPartial(_ name: String, at offset: Int) throws(RenderFailure) -> (SourceText, [Node]) {
        if let cached = partials[name] { return cached }
        if let parsed = runtime.partials?.partial(named: name) {
            partials[name] = (parsed.source, parsed.nodes)
            if parsed.usesContinue { recordOffsets = true }
            return (parsed.source, parsed.nodes)
        }
        guard let loader = environment.loader else {
            throw error(.partialNotFound, "cannot load partial '\(name)': no template loader is configured; give the environment a loader (e.g. InMemoryTemplateLoader or DirectoryTemplateLoader)",
                        at: offset)
        }
        guard let text = loader.source(named: name) else {
            throw error(.partialNotFound, "partial '\(name)' was not found by the template loader; check its name", at: offset)
        }
        let partialSource = SourceText(name: name, text: text)
        let nodes: [Node]
        do {
            nodes = try Parser.parse(partialSource, environment: environment)
        } catch {
            throw .error(error)
        }
        let usesContinue = Template.usesContinueOffset(nodes)
        runtime.partials?.store(ParsedPartial(source: partialSource, nodes: nodes, usesContinue: usesContinue), named: name)
        partials[name] = (partialSource, nodes)
        if usesContinue { recordOffsets = true }
        return (partialSource, nodes)
    }

    mutating func renderPartial(_ node: PartialNode) throws(RenderFailure) -> Flow {
        let nameValue = try evaluate(node.name)
        guard case .string(let name) = nameValue else {
            throw error(.partialNotFound, "the partial name must be a string, got \(describe(nameValue))", at: node.position)
        }
        guard partialDepth < limits.maximumPartialDepth else {
            throw error(.tooDeep, "partials nest deeper than \(limits.maximumPartialDepth) levels (does '\(name)' include itself?)",
                        at: node.position)
        }
        let (partialSource, nodes) = try loadPartial(name, at: node.position)
        // Arguments are evaluated in the caller's scope.
        var bindings: [ScopeEntry] = []
        for argument in node.arguments {
            bindings.append(ScopeEntry(name: argument.name, value: try evaluate(argument.value)))
        }
        let variable = node.alias ?? name
        var bound: Value?
        var eachItems: [Value]?
        switch node.binding {
        case .none: break
        case .with(let expression): bound = try evaluate(expression)
        case .each(let expression):
            let value = try evaluate(expression)
            switch value {
            case .array(let array): eachItems = array.map(Value.init)
            case .range(let low, let high):
                let count = max(0, high - low + 1)
                guard count <= limits.maximumLoopIterations else {
                    throw error(.tooManyIterations, "range is too large to loop over", at: node.position)
                }
                eachItems = count == 0 ? [] : (low...high).map { Value.int($0) }
            default: bound = value
            }
        }

        // Enter the partial.
        let savedFloor = scopeFloor
        let savedLoopFloor = loopFloor
        let slot = scope.count
        var savedLocals = [String: Value]()
        var savedCounters = [String: Int]()
        var savedCycles = [String: Int]()
        let savedForFrame = forFrame
        if node.isolated {
            scopeFloor = slot
            loopFloor = loops.count
            forFrame = nil
            swap(&savedLocals, &locals)
            swap(&savedCounters, &counters)
            swap(&savedCycles, &cycles)
        }
        partialDepth += 1
        defer {
            partialDepth -= 1
            while scope.count > slot { scope.removeLast() }
            scopeFloor = savedFloor
            loopFloor = savedLoopFloor
            forFrame = savedForFrame
            if node.isolated {
                swap(&savedLocals, &locals)
                swap(&savedCounters, &counters)
                swap(&savedCycles, &cycles)
            }
        }
        if node.isolated {
            // A rendered partial's arguments are its own variables: `assign` may replace them.
            for binding in bindings { locals[binding.name] = binding.value }
        } else {
            // An included partial's arguments shadow the caller's variables; `assign` writes underneath.
            scope.append(contentsOf: bindings)
        }
        if let eachItems {
            let frame = loops.count
            if node.isolated {
                loops.append(LoopFrame(index0: 0, length: eachItems.count, name: "\(variable)-\(name)", parent: nil, columns: 0))
                scope.append(ScopeEntry(name: "forloop", value: .loop(frame)))
                loopFloor = loops.count
                forFrame = frame
            }
            let itemSlot = scope.count
            scope.append(ScopeEntry(name: variable, value: .null))
            defer { while loops.count > frame { loops.removeLast() } }
            for (index, item) in eachItems.enumerated() {
                try countIteration(at: node.position)
                scope[itemSlot].value = item
                if node.isolated { loops[frame].index0 = index }
                let flow = try withSource(partialSource) { (renderer) throws(RenderFailure) in try renderer.render(nodes) }
                try checkOutput(at: node.position)
                if !node.isolated, case .breakLoop = flow { return flow }
            }
            return .normal
        }
        if let bound { scope.append(ScopeEntry(name: variable, value: bound)) }
        let flow = try withSource(partialSource) { (renderer) throws(RenderFailure) in try renderer.render(nodes) }
        return node.isolated ? .normal : flow
    }
}
