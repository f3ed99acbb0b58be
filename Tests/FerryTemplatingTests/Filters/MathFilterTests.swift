import FerryCore
import FerryTemplating
import Testing

@Suite("Math filters")
struct MathFilterTests {
    static let cases: [FilterCase] = [
        FilterCase("plus", 10.1, [2.2], 12.3),
        FilterCase("plus", 0.1, [0.2], 0.3),
        FilterCase("plus", 1, [2], 3),
        FilterCase("plus", 1, [2.0], 3.0),
        FilterCase("plus", "12abc", [" 3 "], 15),
        FilterCase("plus", "1e3", [0], 1),
        FilterCase("plus", "+5.5", [0], 5),
        FilterCase("plus", "-2.50", [0], -2.5),
        FilterCase("plus", true, [1], 1),
        FilterCase("plus", [1], [1], 1),
        FilterCase("plus", 9_223_372_036_854_775_807, [1], exact("9223372036854775808")),
        FilterCase("plus", "99999999999999999999", [1], exact("100000000000000000000")),
        FilterCase("minus", 0.3, [0.1], 0.2),
        FilterCase("minus", 1, ["x"], 1),
        FilterCase("minus", -9_223_372_036_854_775_807, [2], exact("-9223372036854775809")),
        FilterCase("times", 1.1, [1.1], 1.21),
        FilterCase("times", 3, [-4], -12),
        FilterCase("times", 4_611_686_018_427_387_904, [4], exact("18446744073709551616")),
        FilterCase("times", 0.5, [4], 2.0),
        FilterCase("divided_by", 7, [2], 3),
        FilterCase("divided_by", -7, [2], -4),
        FilterCase("divided_by", 7, [-2], -4),
        FilterCase("divided_by", -8, [2], -4),
        FilterCase("divided_by", 7, [2.0], 3.5),
        FilterCase("divided_by", "7.5", ["2.5"], 3.0),
        FilterCase("divided_by", .int(Int.min), [-1], exact("9223372036854775808")),
        FilterCase("modulo", 7, [3], 1),
        FilterCase("modulo", -7, [3], 2),
        FilterCase("modulo", 7, [-3], -2),
        FilterCase("modulo", 5.5, [2], 1.5),
        FilterCase("modulo", -5.5, [2], 0.5),
        FilterCase("modulo", 10.1, [7.0], 3.1),
        FilterCase("modulo", 5, [-1], 0),
        FilterCase("abs", -3, 3),
        FilterCase("abs", "-0.5", 0.5),
        FilterCase("abs", .int(Int.min), exact("9223372036854775808")),
        FilterCase("ceil", 1.0001, 2),
        FilterCase("ceil", -1.9, -1),
        FilterCase("ceil", "3", 3),
        FilterCase("ceil", 1e20, exact("100000000000000000000")),
        FilterCase("floor", -1.1, -2),
        FilterCase("floor", 1.9999, 1),
        FilterCase("floor", 0.0, 0),
        FilterCase("round", 2.5, 3),
        FilterCase("round", -2.5, -3),
        FilterCase("round", 1.005, [2], 1.01),
        FilterCase("round", 1.2345, [3], 1.235),
        FilterCase("round", 1234, [-2], 1200),
        FilterCase("round", 1250, [-2], 1300),
        FilterCase("round", 1234, [2], 1234),
        FilterCase("round", 1234.5678, [-2], 1200),
        FilterCase("round", 0.5, [1.9], 0.5),
        FilterCase("round", 3.14159, [30], 3.14159),
        FilterCase("round", 3.7, [nil], 4),
        FilterCase("at_least", 5, [5.5], 5.5),
        FilterCase("at_least", 5.5, [5], 5.5),
        FilterCase("at_least", "7", ["8"], 8),
        FilterCase("at_most", 5, [5.5], 5),
        FilterCase("at_most", -1, ["x"], -1),
        FilterCase("at_most", 3, [nil], 0),
    ]

    @Test(arguments: cases)
    func mathFilter(_ testCase: FilterCase) throws {
        try checkFilterCase(testCase)
    }

    static let errors: [FilterErrorCase] = [
        FilterErrorCase("divided_by", 10, [0], .invalidArgument(""), "cannot divide by zero: the divisor is 0"),
        FilterErrorCase("divided_by", 10, [0.0], .invalidArgument(""), "cannot divide by zero"),
        FilterErrorCase("divided_by", 10.5, ["abc"], .invalidArgument(""), "abc (read as 0)"),
        FilterErrorCase("divided_by", 10, [nil], .invalidArgument(""), "an undefined value (read as 0)"),
        FilterErrorCase("modulo", 10, [0], .invalidArgument(""), "cannot divide by zero"),
        FilterErrorCase("modulo", 1.5, [""], .invalidArgument(""), "\"\" (read as 0)"),
        FilterErrorCase("divided_by", 10, [], .argumentCount(""), "expects 1 argument, got 0"),
        FilterErrorCase("plus", 10, [1, 2], .argumentCount(""), "got 2. Write it as `plus: 1`"),
        FilterErrorCase("abs", 10, [1], .argumentCount(""), "expects no arguments, got 1"),
        FilterErrorCase("round", 10, [1, 2], .argumentCount(""), "expects at most 1 argument, got 2"),
        FilterErrorCase("at_least", 10, [], .argumentCount(""), "at_least: 0"),
    ]

    @Test(arguments: errors)
    func mathFilterError(_ testCase: FilterErrorCase) {
        checkFilterError(testCase)
    }
}
