/// Random CleverTap-style templates and contexts for the differential test against Ruby Liquid.
///
/// Deterministic for a seed (SplitMix64), so a failing case can be reproduced by its seed and index. Templates mix
/// output tags with filter chains, `if`/`unless`/`case`/`for`/`assign`/`capture`, whitespace control and literals;
/// contexts carry the values that break engines: 19-digit identities, `Int64.max`, negative zero, floats at the
/// edges of Ruby's float layout (`1e15`, `1e16`, `0.0001`, `1e-05`, `1e20`), dates with and without offsets, and
/// epoch timestamps.
struct DifferentialCaseGenerator {
    /// One template and its context, as JSON text (so both engines parse the same numbers themselves).
    struct Case: Sendable {
        var template: String
        var context: String
    }

    private var state: UInt64

    init(seed: UInt64) { state = seed }

    private mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    private mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }

    private mutating func pick<T>(_ choices: [T]) -> T { choices[below(choices.count)] }

    private mutating func chance(_ percent: Int) -> Bool { below(100) < percent }

    // MARK: Context

    static let integers = ["0", "1", "-1", "7", "-7", "42", "9", "100", "1722945600", "9223372036854775807",
                           "-9223372036854775808", "4611686018427387904", "1234567890123456789",
                           "9876543210987654321", "18446744073709551616", "-12345678901234567890123"]
    static let floats = ["0.0", "-0.0", "0.5", "-0.5", "1.5", "2.5", "-2.5", "10.1", "2.2", "1243.5", "3.14159",
                         "1e15", "1e16", "999999999999999.0", "1234567890123456.0", "0.0001", "0.00001", "1e-05",
                         "1e20", "-1e20", "1.5e300", "123456.789", "0.1", "1e-10", "4.35", "100.0"]
    static let strings = ["Jane.Doe@Example.COM", "  padded  ", "hello world", "vip", "ÄÖÜ straße", "a,b,c",
                          "12abc", "-3.5", "42", "", "O'Brien & \"Co\"", "<b>bold</b>", "9223372036854775808"]
    static let dates = ["2024-03-05T07:08:09+00:00", "2024-03-05T07:08:09Z", "2024-03-05T07:08:09-07:00",
                        "2024-03-05T07:08:09+05:30", "2024-12-31 23:59:59", "2024-02-29", "2023-01-01T00:00:00Z",
                        "2024-03-05T07:08:09.123456+02:00", "2021-01-03 12:00:00 UTC"]

    private mutating func scalar() -> String {
        switch below(10) {
        case 0...2: return pick(Self.integers)
        case 3...5: return pick(Self.floats)
        case 6, 7: return jsonString(pick(Self.strings))
        case 8: return jsonString(pick(Self.dates))
        default: return pick(["true", "false", "null"])
        }
    }

    private func jsonString(_ text: String) -> String {
        var escaped = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": escaped += "\\\""
            case "\\": escaped += "\\\\"
            default: escaped.unicodeScalars.append(scalar)
            }
        }
        return escaped + "\""
    }

    private mutating func context() -> String {
        var tags: [String] = []
        for _ in 0..<below(5) { tags.append(jsonString(pick(["vip", "ios", "beta", "churn-risk", "Newsletter"]))) }
        var scores: [String] = []
        for _ in 0..<below(4) { scores.append(pick(Self.integers + Self.floats)) }
        return """
            {"Profile": {"Identity": \(pick(Self.integers)), "Phone": \(pick(["14155550123", "919876543210123456", "\"+14155550123\""])), \
            "Email": \(jsonString(pick(Self.strings))), "Score": \(scalar()), "Balance": \(pick(Self.floats)), \
            "Tags": [\(tags.joined(separator: ", "))], "Scores": [\(scores.joined(separator: ", "))], \
            "DOB": \(jsonString(pick(Self.dates))), "ts": \(pick(["1722945600", "0", "1700000000", "-86400", "\"1700000000\""]))}, \
            "Event": {"User Rating": \(scalar()), "Amount": \(pick(Self.floats)), "Count": \(pick(Self.integers)), \
            "Date": \(jsonString(pick(Self.dates))), "Name": \(jsonString(pick(Self.strings)))}, \
            "x": \(scalar()), "y": \(scalar()), "n": \(pick(Self.integers)), "f": \(pick(Self.floats))}
            """
    }

    // MARK: Template

    /// What a value in a filter chain is known to be, so chains stay the kind Liquid users write: array filters on
    /// arrays, `date` on dates. (A string filter on an array shows Ruby's `Array#inspect`, `["vip"]`, a host
    /// detail no template relies on; `date` on floats and on 13-digit epoch milliseconds is Ferry's documented
    /// CleverTap addition.)
    enum Kind { case scalar, date, array }

    static let scalarVariables = ["Profile.Identity", "Profile.Phone", "Profile.Email", "Profile.Score",
                                  "Profile.Balance", "Event[\"User Rating\"]", "Event.Amount", "Event.Count",
                                  "Event.Name", "x", "y", "n", "f", "Profile.Missing"]
    static let dateVariables = ["Profile.DOB", "Profile.ts", "Event.Date"]
    static let arrayVariables = ["Profile.Tags", "Profile.Scores"]
    static let variables = scalarVariables + dateVariables + arrayVariables
    static let numberLiterals = ["0", "1", "-1", "2", "3", "-2", "10", "0.5", "-0.5", "2.5", "1.5", "0.1", "100",
                                 "9223372036854775807", "12345678901234567890", "-0.0", "1000000"]
    static let dateFormats = ["%Y-%m-%d", "%Y-%m-%dT%H:%M:%S%z", "%Z", "%z", "%:z", "%-d/%-m/%y", "%^a %b %e",
                              "%A %B %d %Y", "%I:%M %p", "%l %P", "%j %U %W", "%s", "%L %N", "%3N", "%F %T",
                              "%c", "%D", "%G-W%V-%u", "%H%M%S", "%y%C", "%%Y", "%_m %_d", "%010N", "%#b", "%^B",
                              "%-H:%M", "%k", "%Z %z", "%e %-I%p", "%v", "%x %X", "%r", "%R", "%a %h"]

    private mutating func argument() -> String {
        switch below(5) {
        case 0, 1, 2: return pick(Self.numberLiterals)
        case 3: return pick(Self.scalarVariables)
        default: return "\"" + pick(["3", "-2.5", "abc", "10", "1.0"]) + "\""
        }
    }

    /// A filter for a value of `kind`, and the kind of its result.
    private mutating func filter(for kind: Kind) -> (String, Kind) {
        switch kind {
        case .array:
            switch below(6) {
            case 0: return ("join: \(pick(["\", \"", "\"-\"", "\"\""]))", .scalar)
            case 1: return (pick(["first", "last"]), .scalar)
            case 2: return ("size", .scalar)
            default: return (pick(["reverse", "uniq", "compact", "sort"]), .array)
            }
        case .date:
            if chance(70) { return ("date: \"\(pick(Self.dateFormats))\"", .scalar) }
            return filter(for: .scalar)
        case .scalar:
            break
        }
        switch below(22) {
        case 0: return ("plus: \(argument())", .scalar)
        case 1: return ("minus: \(argument())", .scalar)
        case 2: return ("times: \(argument())", .scalar)
        case 3: return ("divided_by: \(pick(["2", "3", "-2", "7", "0.5", "-4", "2.0", "1000000000000"]))", .scalar)
        case 4: return ("modulo: \(pick(["2", "3", "-2", "7", "0.5", "-4", "2.5"]))", .scalar)
        case 5: return ("abs", .scalar)
        case 6: return ("ceil", .scalar)
        case 7: return ("floor", .scalar)
        case 8: return (pick(["round", "round: 2", "round: 1", "round: 0", "round: 3", "round: -1"]), .scalar)
        case 9: return ("at_least: \(argument())", .scalar)
        case 10: return ("at_most: \(argument())", .scalar)
        case 11: return ("append: \(pick(["\"!\"", "\"\"", "x", "f", "n"]))", .scalar)
        case 12: return ("prepend: \(pick(["\"#\"", "n", "f"]))", .scalar)
        case 13: return (pick(["upcase", "downcase", "capitalize", "strip", "lstrip", "rstrip"]), .scalar)
        case 14: return ("default: \(pick(["\"none\"", "0", "f", "n"]))", .scalar)
        case 15: return ("split: \(pick(["\",\"", "\" \"", "\".\""]))", .array)
        case 16: return ("replace: \(pick(["\"a\", \"b\"", "\"0\", \"\""]))", .scalar)
        case 17: return ("truncate: \(pick(["5", "10", "3"]))", .scalar)
        case 18: return (pick(["escape", "url_encode", "strip_html"]), .scalar)
        case 19: return ("slice: \(pick(["0", "1, 3", "-2, 2"]))", .scalar)
        case 20: return ("size", .scalar)
        default: return (pick(["plus: 0", "times: 1", "minus: 0.0"]), .scalar)
        }
    }

    private mutating func expression() -> String {
        var text: String
        var kind: Kind
        switch below(8) {
        case 0: (text, kind) = (pick(Self.numberLiterals), .scalar)
        case 1: (text, kind) = ("\"" + pick(Self.strings.filter { !$0.contains("\"") }) + "\"", .scalar)
        case 2: (text, kind) = ("\"" + pick(Self.dates) + "\"", .date)
        case 3: (text, kind) = (pick(Self.dateVariables), .date)
        case 4: (text, kind) = (pick(Self.arrayVariables), .array)
        default: (text, kind) = (pick(Self.scalarVariables), .scalar)
        }
        for _ in 0..<below(4) {
            let (name, result) = filter(for: kind)
            text += " | " + name
            kind = result
        }
        return text
    }

    private mutating func output() -> String {
        let open = chance(15) ? "{{-" : "{{"
        let close = chance(15) ? "-}}" : "}}"
        return "\(open) \(expression()) \(close)"
    }

    private mutating func condition() -> String {
        let left = pick(Self.variables)
        switch below(4) {
        case 0: return left
        case 1: return "\(left) \(pick(["==", "!=", ">", "<", ">=", "<="])) \(pick(Self.numberLiterals))"
        case 2: return "\(left) contains \"\(pick(["a", "vip", "1"]))\""
        default: return "\(left) \(pick(["and", "or"])) \(pick(Self.variables))"
        }
    }

    private mutating func text() -> String { pick(["", " ", "\n", "a", " - ", "\n  ", ",", "{\"k\": "]) }

    private mutating func block(depth: Int) -> String {
        var parts: [String] = []
        for _ in 0..<(1 + below(3)) {
            parts.append(text())
            if depth >= 2 {
                parts.append(output())
                continue
            }
            let dash = chance(20) ? "-" : ""
            switch below(9) {
            case 0:
                parts.append("{%\(dash) if \(condition()) %}\(block(depth: depth + 1)){% else %}\(block(depth: depth + 1)){% endif \(dash)%}")
            case 1:
                parts.append("{% unless \(condition()) %}\(block(depth: depth + 1)){% endunless %}")
            case 2:
                let loopVariable = "item\(depth)"
                let source = pick(["Profile.Tags", "Profile.Scores", "(1..3)", "(-1..1)", "(3..1)", "Profile.Email"])
                parts.append("{%\(dash) for \(loopVariable) in \(source)\(pick(["", " limit: 2", " reversed"])) %}{{ \(loopVariable) | \(filter(for: .scalar).0) }}{% unless forloop.last %},{% endunless %}{% endfor %}")
            case 3:
                parts.append("{% assign v\(depth) = \(expression()) %}{{ v\(depth) }}")
            case 4:
                parts.append("{% capture c\(depth) %}\(block(depth: depth + 1)){% endcapture %}[{{ c\(depth) | size }}]")
            case 5:
                parts.append("{% case \(pick(Self.variables)) %}{% when \(pick(Self.numberLiterals)) %}one{% when \"vip\", 0 %}two{% else %}other{% endcase %}")
            default:
                parts.append(output())
            }
        }
        return parts.joined()
    }

    /// The next case.
    mutating func nextCase() -> Case {
        let template = block(depth: 0)
        return Case(template: template, context: context())
    }
}
