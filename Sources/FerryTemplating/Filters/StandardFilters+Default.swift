import FerryCore

extension StandardFilters {
    static let miscellaneousFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("default", 0...1, keywords: ["allow_false"], usage: "default: \"fallback\", allow_false: true"), builtin: .fallback, {
            input, arguments, _ in
            let fallback = arguments.count > 0 ? arguments.value(0) : .string("")
            let allowFalse = arguments.keyword["allow_false"]?.isLiquidTruthy ?? false
            switch input {
            case .null: return fallback
            case .bool(false): return allowFalse ? input : fallback
            default: return input.isLiquidEmpty ? fallback : input
            }
        }),
    ]
}
