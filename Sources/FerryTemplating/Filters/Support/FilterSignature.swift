import FerryCore

/// What a standard filter accepts: how many positional arguments, which keyword arguments, and how to call it
/// (shown in argument errors so the person fixing the template sees the right form).
struct FilterSignature: Sendable {
    /// The filter's name in templates.
    let name: String
    /// The allowed number of positional arguments.
    let positional: ClosedRange<Int>
    /// The keyword arguments the filter understands.
    let keywords: [String]
    /// An example call, e.g. `append: "text"`.
    let usage: String

    init(_ name: String, _ positional: ClosedRange<Int> = 0...0, keywords: [String] = [], usage: String) {
        self.name = name
        self.positional = positional
        self.keywords = keywords
        self.usage = usage
    }

    /// Checks the argument count and keyword names.
    /// - Throws: `FilterError.argumentCount` for too few or too many arguments or an unknown keyword.
    @inline(__always)
    func check(_ arguments: FilterArguments) throws(FilterError) {
        if positional.contains(arguments.positional.count), arguments.keyword.isEmpty { return }
        try checkSlowly(arguments)
    }

    private func checkSlowly(_ arguments: FilterArguments) throws(FilterError) {
        for key in arguments.keyword.keys where !keywords.contains(key) {
            let accepted = keywords.isEmpty ? "it takes no keyword arguments"
                : "it accepts only \(keywords.map { "'\($0):'" }.joined(separator: ", "))"
            throw .argumentCount("unknown keyword argument '\(key):'; \(accepted). Write it as `\(usage)`.")
        }
        let count = arguments.positional.count
        guard !positional.contains(count) else { return }
        throw .argumentCount("expects \(FilterSignature.describe(positional)), got \(count). Write it as `\(usage)`.")
    }

    static func describe(_ range: ClosedRange<Int>) -> String {
        func arguments(_ n: Int) -> String { n == 1 ? "1 argument" : "\(n) arguments" }
        if range.lowerBound == range.upperBound {
            return range.lowerBound == 0 ? "no arguments" : arguments(range.lowerBound)
        }
        if range.lowerBound == 0 { return "at most \(arguments(range.upperBound))" }
        return "\(range.lowerBound) to \(range.upperBound) arguments"
    }
}

extension FilterArguments {
    /// The positional argument at `index`, or `nil` (undefined) when it was not given.
    @inline(__always)
    func value(_ index: Int) -> JSONValue {
        index < positional.count ? positional[index] : .null
    }
}
