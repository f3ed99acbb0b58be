import FerryCore
import FerryTemplating
import Testing

@Suite("Array filters")
struct ArrayFilterTests {
    static let people: JSONValue = [
        ["name": "Ana", "age": 31, "vip": true, "city": "Pune"],
        ["name": "bob", "age": 25, "vip": false],
        ["name": "Cy", "age": 25.0, "vip": nil, "city": "Delhi"],
    ]

    static let cases: [FilterCase] = [
        FilterCase("join", [1, [2, [3]], nil, true, 1.5], ["-"], "1-2-3--true-1.5"),
        FilterCase("join", ["a", "b"], "a b"),
        FilterCase("join", ["a": 1], [","], "{\"a\":1}"),
        FilterCase("first", [[1, 2], 3], [1, 2]),
        FilterCase("first", ["k": "v", "l": 2], ["k", "v"]),
        FilterCase("first", [:], nil),
        FilterCase("last", [1, [2, 3]], [2, 3]),
        FilterCase("last", "abc", nil),
        FilterCase("concat", [1, [2]], [[3, [4]]], [1, 2, 3, [4]]),
        FilterCase("concat", "a", [["b"]], ["a", "b"]),
        FilterCase("reverse", [1, [2, 3]], [3, 2, 1]),
        FilterCase("reverse", "abc", ["abc"]),
        FilterCase("compact", [nil, 1, [nil, 2]], [1, 2]),
        FilterCase("compact", people, ["city"], [people[0]!, people[2]!]),
        FilterCase("compact", [nil, ["a": 1]], ["a"], [["a": 1]]),
        FilterCase("uniq", [1, 1.0, "1", [1], nil, nil], [1, "1", nil]),
        FilterCase("uniq", people, ["age"], [people[0]!, people[1]!]),
        FilterCase("uniq", [["a": 1], ["b": 2], ["c": 3]], ["a"], [["a": 1], ["b": 2]]),
        FilterCase("map", people, ["name"], ["Ana", "bob", "Cy"]),
        FilterCase("map", people, ["city"], ["Pune", nil, "Delhi"]),
        FilterCase("map", [["t": [1, 2]], nil, "tea"], ["t"], [[1, 2], nil, "t"]),
        FilterCase("map", [[1, 2], [3, 4]], [3], [false, false, true, false]),
        FilterCase("sum", [1, "2", 3.5, nil, true, ["x": 1]], 6.5),
        FilterCase("sum", [0.1, 0.2], 0.3),
        FilterCase("sum", people, ["age"], 81.0),
        FilterCase("sum", [["n": 1], nil, ["m": 2]], ["n"], 1),
        FilterCase("sum", [9_223_372_036_854_775_807, 1], exact("9223372036854775808")),
        FilterCase("sum", [], 0),
        FilterCase("sort", [3, 1.5, 2, nil, -1], [-1, 1.5, 2, 3, nil]),
        FilterCase("sort", ["b", "B", "a", "é", "A"], ["A", "B", "a", "b", "é"]),
        FilterCase("sort", [[2, 1], [1, 5], [1]], [1, 1, 1, 2, 5]),
        FilterCase("sort", [["k": [2, 1]], ["k": [1, 5]], ["k": [1]]], ["k"], [["k": [1]], ["k": [1, 5]], ["k": [2, 1]]]),
        FilterCase("sort", [true, true], [true, true]),
        FilterCase("sort", people, ["name"], [people[0]!, people[2]!, people[1]!]),
        FilterCase("sort", people, ["city"], [people[2]!, people[0]!, people[1]!]),
        FilterCase("sort", [["a": 1], nil], ["a"], nil),
        FilterCase("sort", [], [nil], []),
        FilterCase("sort_natural", ["b", "B", "a", "A", nil, "10", "9"], ["10", "9", "a", "A", "b", "B", nil]),
        FilterCase("sort_natural", people, ["name"], [people[0]!, people[1]!, people[2]!]),
        FilterCase("sort_natural", [["a": 1], nil], ["a"], nil),
        FilterCase("sort_natural", [], [nil], []),
        FilterCase("where", people, ["vip"], [people[0]!]),
        FilterCase("where", people, ["age", 25], [people[1]!, people[2]!]),
        FilterCase("where", people, ["vip", false], [people[1]!]),
        FilterCase("where", people, ["age", "25"], []),
        FilterCase("where", ["apple", "banana", "cherry"], ["an"], ["banana"]),
        FilterCase("where", [], ["x"], []),
        FilterCase("where", [["a": 1], nil], ["a"], nil),
        FilterCase("reject", people, ["vip"], [people[1]!, people[2]!]),
        FilterCase("reject", people, ["age", 25], [people[0]!]),
        FilterCase("reject", people, [nil], []),
        FilterCase("find", people, ["age", 25], people[1]!),
        FilterCase("find", people, ["name", "Zed"], nil),
        FilterCase("find", [], ["a"], nil),
        FilterCase("find_index", people, ["city", "Delhi"], 2),
        FilterCase("find_index", people, ["vip"], 0),
        FilterCase("find_index", [1, 2, 3], [3], 2),
        FilterCase("has", people, ["city", "Delhi"], true),
        FilterCase("has", people, ["city", "Goa"], false),
        FilterCase("has", [], ["x"], false),
        FilterCase("has", [nil, ["a": 1]], ["a"], nil),
        FilterCase("has", [["a": 1], nil], ["a"], true),
        FilterCase("has", ["héllo"], ["é"], true),
        FilterCase("has", ["abc"], [1], true),
        FilterCase("has", ["abc"], [5], false),
        FilterCase("has", [["a": 1]], [1], false),
    ]

    @Test(arguments: cases)
    func arrayFilter(_ testCase: FilterCase) throws {
        try checkFilterCase(testCase)
    }

    static let errors: [FilterErrorCase] = [
        FilterErrorCase("concat", [1], [2], .invalidArgument(""), "expects an array to append, got a number"),
        FilterErrorCase("concat", [1], [nil], .invalidArgument(""), "nothing (an undefined value)"),
        FilterErrorCase("concat", [1], ["ab"], .invalidArgument(""), "the string \"ab\""),
        FilterErrorCase("concat", [1], [], .argumentCount(""), "concat: other_array"),
        FilterErrorCase("map", [["a": 1], 5], ["a"], .invalidInput(""), "cannot read property 'a' of a number (5)"),
        FilterErrorCase("map", [true], ["a"], .invalidInput(""), "a boolean"),
        FilterErrorCase("where", 123, ["a"], .invalidInput(""), "the items must be objects"),
        FilterErrorCase("where", [1], [nil], .invalidInput(""), "cannot read property nil"),
        FilterErrorCase("reject", ["x", 1], ["c"], .invalidInput(""), "cannot read property 'c'"),
        FilterErrorCase("find", [1], ["c", 1], .invalidInput(""), "cannot read property"),
        FilterErrorCase("find_index", [false], ["c"], .invalidInput(""), "cannot read property"),
        FilterErrorCase("has", [1, 2], ["2"], .invalidInput(""), "cannot read property '2'"),
        FilterErrorCase("sum", [1, 2], ["k"], .invalidInput(""), "cannot read property 'k'"),
        FilterErrorCase("sort", [1, 2], ["k"], .invalidInput(""), "cannot read property 'k'"),
        FilterErrorCase("sort_natural", [1], ["k"], .invalidInput(""), "cannot read property 'k'"),
        FilterErrorCase("uniq", [1], ["k"], .invalidInput(""), "cannot read property 'k'"),
        FilterErrorCase("compact", [1], ["k"], .invalidInput(""), "cannot read property 'k'"),
        FilterErrorCase("sort", [1, "a"], [], .invalidInput(""), "cannot sort values of incompatible types (number and string)"),
        FilterErrorCase("sort", [true, false], [], .invalidInput(""), "boolean and boolean"),
        FilterErrorCase("sort", [["a": 1], ["a": 2]], [], .invalidInput(""), "object and object"),
        FilterErrorCase("sort", [["k": [1]], ["k": ["a"]]], ["k"], .invalidInput(""), "array and array"),
        FilterErrorCase("where", [], [], .argumentCount(""), "expects 1 to 2 arguments, got 0"),
        FilterErrorCase("has", [], ["a", 1, 2], .argumentCount(""), "has: \"property\", value"),
        FilterErrorCase("first", [], [1], .argumentCount(""), "expects no arguments"),
        FilterErrorCase("join", [], [",", ","], .argumentCount(""), "at most 1 argument"),
        FilterErrorCase("uniq", [], [1, 2], .argumentCount(""), "at most 1 argument"),
    ]

    @Test(arguments: errors)
    func arrayFilterError(_ testCase: FilterErrorCase) {
        checkFilterError(testCase)
    }
}
