import FerryCore
import FerryTemplating
import Testing

@Suite("String filters")
struct StringFilterTests {
    static let cases: [FilterCase] = [
        FilterCase("append", "a", ["b"], "ab"),
        FilterCase("append", 1.5, [true], "1.5true"),
        FilterCase("append", nil, [nil], ""),
        FilterCase("prepend", "b", ["a"], "ab"),
        FilterCase("prepend", ["x", ["y"]], [2], "2xy"),
        FilterCase("downcase", "HeLLo World", "hello world"),
        FilterCase("downcase", "ÀÉÎ Straße", "àéî straße"),
        FilterCase("downcase", "already", "already"),
        FilterCase("upcase", "hello, world 1", "HELLO, WORLD 1"),
        FilterCase("upcase", "straße ünïcode", "STRASSE ÜNÏCODE"),
        FilterCase("upcase", 5, "5"),
        FilterCase("capitalize", "hELLO wORLD", "Hello world"),
        FilterCase("capitalize", "élan VITAL", "Élan vital"),
        FilterCase("capitalize", "", ""),
        FilterCase("strip", " \t\n\u{0B}\u{0C}\r x y \r\n", "x y"),
        FilterCase("strip", "\u{00A0}x\u{00A0}", "\u{00A0}x\u{00A0}"),
        FilterCase("lstrip", "  x  ", "x  "),
        FilterCase("rstrip", "  x  ", "  x"),
        FilterCase("strip", "   ", ""),
        FilterCase("strip_newlines", "a\r\nb\nc\rd", "abc\rd"),
        FilterCase("newline_to_br", "a\r\nb\n", "a<br />\nb<br />\n"),
        FilterCase("newline_to_br", "no newline", "no newline"),
        FilterCase("split", "a,b,,c,,", [","], ["a", "b", "", "c"]),
        FilterCase("split", ",a", [","], ["", "a"]),
        FilterCase("split", "  one \t two\nthree  ", [" "], ["one", "two", "three"]),
        FilterCase("split", "héllo", [""], ["h", "é", "l", "l", "o"]),
        FilterCase("split", "a--b--c", ["--"], ["a", "b", "c"]),
        FilterCase("split", "", [","], []),
        FilterCase("split", "a1b", [1], ["a", "b"]),
        FilterCase("slice", "héllo wörld", [1, 4], "éllo"),
        FilterCase("slice", "hello", [-3, 2], "ll"),
        FilterCase("slice", "hello", [-6], ""),
        FilterCase("slice", "hello", [5], ""),
        FilterCase("slice", "hello", [2, -1], ""),
        FilterCase("slice", "hello", [" 1 ", "2"], "el"),
        FilterCase("slice", "hello", ["1_0"], ""),
        FilterCase("slice", "hello", [1, false], "e"),
        FilterCase("slice", [1, [2, 3], 4], [1, 5], [[2, 3], 4]),
        FilterCase("slice", [1, 2, 3], [-2], [2]),
        FilterCase("slice", [1, 2, 3], [4], []),
        FilterCase("slice", ["k": 1], [0, 3], "{\"k"),
        FilterCase("slice", "abc", [9_223_372_036_854_775_807, 9_223_372_036_854_775_807], ""),
        FilterCase("slice", "abc", [-9_223_372_036_854_775_807, 2], ""),
        FilterCase("truncate", "Ground control to Major Tom.", [20], "Ground control to..."),
        FilterCase("truncate", "Ground control", [14], "Ground control"),
        FilterCase("truncate", "Ground control", [2], "..."),
        FilterCase("truncate", "héllo wörld", [8, "…"], "héllo w…"),
        FilterCase("truncate", "abcdef", ["3", ""], "abc"),
        FilterCase("truncate", .string(String(repeating: "x", count: 60)), [], .string(String(repeating: "x", count: 47) + "...")),
        FilterCase("truncatewords", "one two three", [3], "one two three"),
        FilterCase("truncatewords", "  one   two  ", [2], "  one   two  "),
        FilterCase("truncatewords", "one two three", [-5], "one..."),
        FilterCase("truncatewords", "one two three", [2, nil], "one two"),
        FilterCase("truncatewords", "one\ttwo\nthree four", [3, "!"], "one two three!"),
        FilterCase("truncatewords", "a b", [9_223_372_036_854_775_807], "a b"),
        FilterCase("size", "héllo", 5),
        FilterCase("size", "👍🏽", 2),
        FilterCase("size", [1, [2, 3]], 2),
        FilterCase("size", ["a": 1], 1),
        FilterCase("size", 12345, 0),
        FilterCase("size", nil, 0),
        FilterCase("remove", "a-b-c", ["-"], "abc"),
        FilterCase("remove", "aaa", ["aa"], "a"),
        FilterCase("remove_first", "a-b-c", ["-"], "ab-c"),
        FilterCase("remove_last", "a-b-c", ["-"], "a-bc"),
        FilterCase("remove_last", "-abc", ["-"], "abc"),
        FilterCase("remove_last", "abc", [""], "abc"),
        FilterCase("replace", "aXbXc", ["X", "--"], "a--b--c"),
        FilterCase("replace", "héllo", ["é", "e"], "hello"),
        FilterCase("replace", "ab", ["", "-"], "-a-b-"),
        FilterCase("replace", "abc", ["b"], "ac"),
        FilterCase("replace_first", "aXbXc", ["X", 1], "a1bXc"),
        FilterCase("replace_first", "abc", ["z", "y"], "abc"),
        FilterCase("replace_last", "aXbXc", ["X", nil], "aXbc"),
        FilterCase("replace_last", "ab", ["", "!"], "ab!"),
        FilterCase("replace", 1.0, [".", ","], "1,0"),
    ]

    @Test(arguments: cases)
    func stringFilter(_ testCase: FilterCase) throws {
        try checkFilterCase(testCase)
    }

    static let errors: [FilterErrorCase] = [
        FilterErrorCase("slice", "hello", [], .argumentCount(""), "expects 1 to 2 arguments, got 0"),
        FilterErrorCase("slice", "hello", [1.5], .invalidArgument(""), "the start position must be a whole number"),
        FilterErrorCase("slice", "hello", [nil], .invalidArgument(""), "an undefined value"),
        FilterErrorCase("slice", "hello", ["1.0"], .invalidArgument(""), "\"1.0\""),
        FilterErrorCase("slice", "hello", [1, "x"], .invalidArgument(""), "the length must be a whole number"),
        FilterErrorCase("slice", "hello", [1, [1]], .invalidArgument(""), "the length"),
        FilterErrorCase("truncate", "hello", [nil], .invalidArgument(""), "the length"),
        FilterErrorCase("truncate", "hello", [2.5], .invalidArgument(""), "2.5"),
        FilterErrorCase("truncatewords", "hello", ["two"], .invalidArgument(""), "the number of words"),
        FilterErrorCase("replace_last", "hello", ["l"], .argumentCount(""), "expects 2 arguments, got 1"),
        FilterErrorCase("split", "hello", [], .argumentCount(""), "split: \",\""),
        FilterErrorCase("upcase", "hello", [], keywords: ["mode": "x"], .argumentCount(""),
                        "unknown keyword argument 'mode:'; it takes no keyword arguments"),
    ]

    @Test(arguments: errors)
    func stringFilterError(_ testCase: FilterErrorCase) {
        checkFilterError(testCase)
    }
}
