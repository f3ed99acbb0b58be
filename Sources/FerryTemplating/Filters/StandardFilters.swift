import FerryCore

/// The standard Shopify Liquid 5 filters, plus CleverTap's `date_tz`, ready to register in a template
/// environment.
///
/// Semantics follow Shopify Liquid 5 as pinned by the golden-liquid conformance suite; where the suite is
/// silent and Shopify (Ruby) and python-liquid disagree, Ferry follows Shopify. In summary:
///
/// - **Strings** (`append`, `prepend`, `capitalize`, `downcase`, `upcase`, `strip`, `lstrip`, `rstrip`,
///   `strip_newlines`, `newline_to_br`, `remove`, `remove_first`, `remove_last`, `replace`, `replace_first`,
///   `replace_last`, `split`, `slice`, `truncate`, `truncatewords`, `size`): any input is first turned into
///   text (`nil` is `""`, numbers as written). Lengths and positions count Unicode scalars, as Ruby does.
/// - **Maths** (`abs`, `at_least`, `at_most`, `ceil`, `floor`, `round`, `plus`, `minus`, `times`,
///   `divided_by`, `modulo`): numbers and numeric strings are read as Liquid does (`"3.5"` is a float, `"12abc"`
///   is 12, anything else 0). Integer operands give integers (`divided_by` floors), a float operand gives a
///   float computed on decimal digits (`10.1 | plus: 2.2` is `12.3`). Dividing by zero is an error.
/// - **Arrays** (`join`, `first`, `last`, `concat`, `map`, `reverse`, `sort`, `sort_natural`, `where`,
///   `reject`, `find`, `find_index`, `has`, `uniq`, `compact`, `sum`): nested arrays are flattened, `nil` is
///   an empty array and any other single value an array of one. With a property, objects are read by key and
///   strings match a contained substring; a number where a property is needed is an error.
/// - **Dates** (`date`, `date_tz`): see *Dates* below.
/// - **HTML, URL and Base64** (`escape`, `h`, `escape_once`, `strip_html`, `url_encode`, `url_decode`,
///   `base64_encode`, `base64_decode`, `base64_url_safe_encode`, `base64_url_safe_decode`).
/// - **`default`**: the argument when the input is `nil`, `false` or empty (`""`, `[]`, `{}`); keeps `false`
///   with `allow_false: true`. Numbers, including `0`, are never replaced.
///
/// Dates: `date: "<strftime format>"` reads `"now"` and `"today"` (the render's clock, in its time zone),
/// CleverTap's `"$D_<epoch seconds>"`, epoch numbers and digit strings (seconds; values of 100,000,000,000 or
/// more, which would be past the year 5000, are read as milliseconds), ISO 8601 (`2024-03-14T10:20:30+05:30`)
/// and common written forms (`March 14, 2016`, `14 Mar 2016 10:20 PM`, `03/14/2016`,
/// `Mon, 14 Mar 2016 10:20:30 +0000`). Text without a zone is read in the render's time zone; a written offset
/// is kept for display. Input that is not a date comes back unchanged. `date_tz: "<format>", "<IANA zone>"`
/// shows the same instant in another zone (`"Asia/Kolkata"`, `"UTC"`, or an offset such as `"+05:30"`).
/// Formats support `%Y %C %y %m %B %b %h %d %e %j %H %k %I %l %M %S %L %N %p %P %A %a %u %w %U %W %G %g %V
/// %z %:z %::z %Z %s %c %D %F %T %R %r %x %X %v %+ %n %t %%`, the flags `-` (no padding), `_` (spaces),
/// `0` (zeros), `^` (upper case), `#` (swap case), and a width (`%3N`).
///
/// Choices where the suite is silent (Shopify's, unless noted): `split` drops trailing empty strings;
/// `truncatewords` returns a text of at most the given number of words unchanged; `round` rounds halves away
/// from zero and gives an integer for 0 or negative places; `modulo` and integer `divided_by` floor (`-7 |
/// modulo: 3` is 2); `"12abc"` reads as 12 in maths; `size` of a number is 0 (Ruby would say 8); an object shown
/// as text is its compact JSON; floats are accepted as epoch seconds by `date` (Ferry's addition).
///
/// Argument errors (a missing required argument, one too many, an unknown keyword, a property read from a
/// number, dividing by zero, invalid Base64, an unknown time zone) throw ``FilterError``; the engine adds the
/// filter's name and the template position.
public enum StandardFilters {
    /// Every standard filter by name, for registering in a template environment.
    ///
    /// ```swift
    /// let upcase = StandardFilters.all["upcase"]!
    /// try upcase("hi", FilterArguments(), FilterContext())   // .string("HI")
    /// ```
    public static let all: [String: LiquidFilter] = definitions.mapValues { checked($0.signature, $0.body) }

    /// The standard filters by name, unchecked bodies beside their signatures. Templates bind these directly
    /// (a struct in a dictionary keeps its closure in its own form, see ``FilterDefinition``) and check the
    /// arguments themselves, once at parse time when they are constants.
    static let definitions: [String: FilterDefinition] = {
        var table: [String: FilterDefinition] = [:]
        for family in [stringFilters, substitutionFilters, mathFilters, arrayFilters, propertyFilters,
                       htmlFilters, urlFilters, base64Filters, dateFilters, miscellaneousFilters] {
            for definition in family {
                precondition(table[definition.signature.name] == nil, "duplicate filter \(definition.signature.name)")
                table[definition.signature.name] = definition
            }
        }
        return table
    }()

    /// The names of all standard filters, sorted.
    public static var names: [String] { all.keys.sorted() }

    /// Wraps a filter body with its argument check.
    static func checked(_ signature: FilterSignature, _ body: @escaping LiquidFilter) -> LiquidFilter {
        { input, arguments, context throws(FilterError) in
            try signature.check(arguments)
            return try body(input, arguments, context)
        }
    }

    /// Ruby Liquid's `Utils.to_integer`: an integer, or a string that reads exactly as one (surrounding white
    /// space and `_` between digits allowed).
    /// - Throws: `FilterError.invalidArgument` for anything else (a float, `nil`, other text).
    static func integerArgument(_ value: JSONValue, _ role: String) throws(FilterError) -> Int {
        switch value {
        case .number(let number) where number.isInteger:
            if let int = number.intValue { return int }
        case .string(let string):
            if let int = parseStrictInteger(string) { return int }
        default:
            break
        }
        let shown: String
        switch value {
        case .null: shown = "nothing (an undefined value)"
        case .string(let string): shown = "\"\(string)\""
        default: shown = value.liquidString
        }
        throw .invalidArgument("\(role) must be a whole number, got \(shown). Pass an integer such as 3.")
    }

    static func parseStrictInteger(_ string: String) -> Int? {
        var digits = ""
        var previousWasDigit = false
        var sawDigit = false
        var trimmed = Substring(string)
        while let first = trimmed.utf8.first, first.isASCIIWhitespace { trimmed = trimmed.dropFirst() }
        while let last = trimmed.utf8.last, last.isASCIIWhitespace { trimmed = trimmed.dropLast() }
        for (offset, byte) in trimmed.utf8.enumerated() {
            if offset == 0, byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") {
                digits.append(Character(UnicodeScalar(byte)))
            } else if byte.isASCIIDigit {
                digits.append(Character(UnicodeScalar(byte)))
                previousWasDigit = true
                sawDigit = true
            } else if byte == UInt8(ascii: "_"), previousWasDigit {
                previousWasDigit = false
            } else {
                return nil
            }
        }
        guard sawDigit, previousWasDigit else { return nil }
        return Int(digits)
    }
}
