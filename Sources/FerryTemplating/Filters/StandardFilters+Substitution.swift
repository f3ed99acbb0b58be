import FerryCore

extension StandardFilters {
    static let substitutionFilters: [(FilterSignature, LiquidFilter)] = [
        (FilterSignature("remove", 1...1, usage: "remove: \"text\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .all,
                                           maximumBytes: context.maximumResultBytes))
        }),
        (FilterSignature("remove_first", 1...1, usage: "remove_first: \"text\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .first,
                                           maximumBytes: context.maximumResultBytes))
        }),
        (FilterSignature("remove_last", 1...1, usage: "remove_last: \"text\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: "", in: input.liquidString, mode: .last,
                                           maximumBytes: context.maximumResultBytes))
        }),
        (FilterSignature("replace", 1...2, usage: "replace: \"old\", \"new\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .all,
                                           maximumBytes: context.maximumResultBytes))
        }),
        (FilterSignature("replace_first", 1...2, usage: "replace_first: \"old\", \"new\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .first,
                                           maximumBytes: context.maximumResultBytes))
        }),
        (FilterSignature("replace_last", 2...2, usage: "replace_last: \"old\", \"new\""), { input, arguments, context throws(FilterError) in
            .string(try UTF8Search.replace(arguments.value(0).liquidString, with: arguments.value(1).liquidString,
                                       in: input.liquidString, mode: .last,
                                           maximumBytes: context.maximumResultBytes))
        }),
    ]
}
