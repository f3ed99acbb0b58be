/// The arguments of one `ferry` command after parsing: positionals, options with values, and flags.
///
/// Accepts `--name value`, `--name=value` and repeated options (`--field a --field b`). Anything after `--`
/// is positional.
struct CommandLineArguments {
    /// What a command accepts.
    struct Spec {
        /// Options that take a value, without the leading dashes.
        var valued: Set<String>
        /// Options that take no value.
        var flags: Set<String>
    }

    private(set) var positionals: [String] = []
    private var values: [String: [String]] = [:]
    private var setFlags: Set<String> = []

    /// Parses `arguments` against `spec`.
    /// - Throws: ``UsageError`` for an unknown option or a missing value.
    init(_ arguments: [String], spec: Spec) throws(UsageError) {
        var index = 0
        var onlyPositionals = false
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if onlyPositionals || !argument.hasPrefix("-") || argument == "-" {
                positionals.append(argument)
                continue
            }
            if argument == "--" {
                onlyPositionals = true
                continue
            }
            var name = String(argument.drop { $0 == "-" })
            var inlineValue: String?
            if let equals = name.firstIndex(of: "=") {
                inlineValue = String(name[name.index(after: equals)...])
                name = String(name[..<equals])
            }
            if spec.flags.contains(name) {
                if inlineValue != nil { throw UsageError("--\(name) takes no value") }
                setFlags.insert(name)
            } else if spec.valued.contains(name) {
                if let inlineValue {
                    values[name, default: []].append(inlineValue)
                } else {
                    guard index < arguments.count else { throw UsageError("--\(name) needs a value") }
                    values[name, default: []].append(arguments[index])
                    index += 1
                }
            } else {
                throw UsageError("unknown option '\(argument)'")
            }
        }
    }

    /// The last value given for `name`, if any.
    func value(_ name: String) -> String? { values[name]?.last }

    /// Every value given for `name`, in order.
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// Whether the flag `name` was given.
    func flag(_ name: String) -> Bool { setFlags.contains(name) }

    /// The value of a required option.
    /// - Throws: ``UsageError`` when it is missing.
    func required(_ name: String) throws(UsageError) -> String {
        guard let value = value(name) else { throw UsageError("missing required option --\(name)") }
        return value
    }

    /// An integer option, or `defaultValue` when absent.
    /// - Throws: ``UsageError`` when the value is not an integer within `range`.
    func integer(_ name: String, default defaultValue: Int, in range: ClosedRange<Int> = 1...Int.max)
        throws(UsageError) -> Int
    {
        guard let text = value(name) else { return defaultValue }
        guard let number = Int(text), range.contains(number) else {
            throw UsageError("--\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound); got '\(text)'")
        }
        return number
    }
}

/// A mistake in how a command was called: exit status 2, message on stderr.
struct UsageError: Error, CustomStringConvertible {
    let message: String
    init(_ message: String) { self.message = message }
    var description: String { message }
}
