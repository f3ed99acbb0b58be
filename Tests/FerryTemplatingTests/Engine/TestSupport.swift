import FerryCore
import FerryTemplating

/// Filters the engine tests register themselves, so engine behaviour is tested apart from the standard filters.
enum TestFilters {
    static let upcase: LiquidFilter = { input, _, _ in
        .string((input.stringValue ?? input.description).uppercased())
    }
    static let join: LiquidFilter = { input, arguments, _ in
        let separator = arguments[0]?.stringValue ?? " "
        guard let array = input.arrayValue else { return input }
        return .string(array.map { $0.stringValue ?? $0.description }.joined(separator: separator))
    }
    static let fallback: LiquidFilter = { input, arguments, _ in
        switch input {
        case .null, .bool(false): return arguments[0] ?? .null
        case .string(let text) where text.isEmpty: return arguments[0] ?? .null
        default: return input
        }
    }
    static let fail: LiquidFilter = { _, _, _ throws(FilterError) in
        throw FilterError.invalidArgument("the divisor must not be 0")
    }
    static let now: LiquidFilter = { _, _, context in
        .int(Int(context.clock.now.timeIntervalSince1970))
    }
    static let append: LiquidFilter = { input, arguments, _ in
        .string((input.stringValue ?? "") + (arguments[0]?.stringValue ?? ""))
    }

    static func environment(_ mode: TemplateMode = .lax, partials: [String: String] = [:],
                            limits: TemplateLimits = .default) -> TemplateEnvironment {
        var environment = TemplateEnvironment(mode: mode, loader: InMemoryTemplateLoader(partials), limits: limits)
        environment.register(filter: "upcase", upcase)
        environment.register(filter: "join", join)
        environment.register(filter: "default", fallback)
        environment.register(filter: "fail", fail)
        environment.register(filter: "append", append)
        return environment
    }
}

/// Renders `source` against `data` with the test filters; returns the output or `"ERROR: <kind>"`.
func render(_ source: String, _ data: JSONValue = [:], mode: TemplateMode = .lax, partials: [String: String] = [:])
    -> String
{
    do {
        let result = try Template(source, environment: TestFilters.environment(mode, partials: partials)).render(data)
        switch result {
        case .rendered(let text): return text
        case .aborted(let reason): return "ABORTED: \(reason ?? "-")"
        }
    } catch {
        return "ERROR: \(error.kind)"
    }
}
