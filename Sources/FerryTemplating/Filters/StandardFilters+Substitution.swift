import FerryCore

extension StandardFilters {
    static let substitutionFilters: [(FilterSignature, LiquidFilter)] = [
        (FilterSignature("remove", 1...1, usage: "remove: \"text\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .all))
        }),
        (FilterSignature("remove_first", 1...1, usage: "remove_first: \"text\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .first))
        }),
        (FilterSignature("remove_last", 1...1, usage: "remove_last: \"text\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .last))
        }),
        (FilterSignature("replace", 1...2, usage: "replace: \"old\", \"new\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .all))
        }),
        (FilterSignature("replace_first", 1...2, usage: "replace_first: \"old\", \"new\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .first))
        }),
        (FilterSignature("replace_last", 2...2, usage: "replace_last: \"old\", \"new\""), { input, arguments, _ in
            .string(UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .last))
        }),
    ]
}
