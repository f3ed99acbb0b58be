import FerryCore

extension StandardFilters {
    static let substitutionFilters: [FilterDefinition] = [
        substitution("remove", 1...1, usage: "remove: \"text\"", mode: .all, removes: true),
        substitution("remove_first", 1...1, usage: "remove_first: \"text\"", mode: .first, removes: true),
        substitution("remove_last", 1...1, usage: "remove_last: \"text\"", mode: .last, removes: true),
        substitution("replace", 1...2, usage: "replace: \"old\", \"new\"", mode: .all),
        substitution("replace_first", 1...2, usage: "replace_first: \"old\", \"new\"", mode: .first),
        substitution("replace_last", 2...2, usage: "replace_last: \"old\", \"new\"", mode: .last),
    ]

    /// A filter that replaces occurrences of its first argument with its second (or, with `removes`, deletes
    /// them), stopping as soon as the result passes the render's output limit.
    private static func substitution(
        _ name: String, _ positional: ClosedRange<Int>, usage: String, mode: UTF8Search.Mode, removes: Bool = false
    ) -> FilterDefinition {
        FilterDefinition(FilterSignature(name, positional, usage: usage), { input, arguments, context throws(FilterError) in
            let replacement = removes ? "" : arguments.value(1).liquidString
            return .string(try UTF8Search.replace(
                arguments.value(0).liquidString, with: replacement, in: input.liquidString, mode: mode,
                maximumBytes: context.maximumResultBytes))
        })
    }
}
