import Foundation
import FerryCore
import FerryTemplating
import Testing

/// Numbers as Shopify's Ruby Liquid computes and prints them (every expectation here was rendered by Ruby Liquid
/// 5.4.0 on Ruby 3.1): integers of any size, floored division, signed zeros, and Ruby's `Float#to_s`.
@Suite("Numbers as Ruby Liquid computes them")
struct RubyNumberTests {
    /// A context with a 19-digit identity, the largest Int64, a 30-digit integer and edge floats, read from JSON text
    /// as a host reads its data.
    static let context: JSONValue = {
        let text = """
            {"id": 1234567890123456789, "max": 9223372036854775807, "min": -9223372036854775808,
             "huge": 123456789012345678901234567890, "big": 1e20, "e15": 1e15, "e16": 1e16, "nz": -0.0,
             "small": 0.0001, "smaller": 0.00001, "frac16": 1234567890123458.5, "whole16": 1234567890123456.0,
             "list": [1e20, 0.0001, -0.0], "f18": 1.2345678901234568e18}
            """
        return (try? JSONValue(parsing: Data(text.utf8))) ?? .null
    }()

    static func standard(_ source: String) -> String {
        do {
            return try Template(source).render(context).output ?? "ABORTED"
        } catch {
            return "ERROR: \(error)"
        }
    }

    static let cases: [(String, String)] = [
        // Integers leave 64 bits exactly, as Ruby's Integer does.
        ("{{ max | plus: 1 }}", "9223372036854775808"),
        ("{{ min | minus: 1 }}", "-9223372036854775809"),
        ("{{ max | times: max }}", "85070591730234615847396907784232501249"),
        ("{{ id | times: 10 }}", "12345678901234567890"),
        ("{{ huge | minus: 1 }}", "123456789012345678901234567889"),
        ("{{ huge | plus: 0.5 }}", "1.2345678901234568e+29"),
        ("{{ huge | divided_by: -7 }}", "-17636684144620811271604938270"),
        ("{{ huge | modulo: -7 }}", "0"),
        ("{{ huge | modulo: 11 }}", "7"),
        ("{{ huge | times: -1 | modulo: 11 }}", "4"),
        ("{{ min | divided_by: -1 }}", "9223372036854775808"),
        ("{{ min | abs }}", "9223372036854775808"),
        ("{{ \"-123456789012345678901234567890\" | abs }}", "123456789012345678901234567890"),
        ("{{ max | at_most: huge }}", "9223372036854775807"),
        ("{{ huge | at_least: 5 }}", "123456789012345678901234567890"),
        ("{{ 5 | at_least: huge }}", "123456789012345678901234567890"),
        ("{{ huge | round: -10 }}", "123456789012345678900000000000"),
        ("{{ id | plus: 1 | json }}", "1234567890123456790"),
        // Comparisons are exact at any size.
        ("{% if huge == 123456789012345678901234567891 %}eq{% else %}ne{% endif %}", "ne"),
        ("{% if max == 9223372036854775808 %}eq{% else %}ne{% endif %}", "ne"),
        ("{% if 12345678901234567891 > 12345678901234567890 %}gt{% else %}le{% endif %}", "gt"),
        ("{% if nz == 0 %}z{% endif %}{% if 1 == 1.0 %}one{% endif %}", "zone"),
        // Range bounds are exact integers.
        ("{{ (id..id) | first }} {% for i in (id..id) %}{{ i | plus: 1 }}{% endfor %}", "1234567890123456789 1234567890123456790"),
        // Ruby floors integer division and takes the divisor's sign for the remainder.
        ("{{ -7 | divided_by: 2 }}", "-4"),
        ("{{ -7 | modulo: 2 }}", "1"),
        ("{{ 7 | modulo: -2 }}", "-1"),
        // floor, ceil and round of large floats are integers, from the float's shortest digits.
        ("{{ big | floor }}", "100000000000000000000"),
        ("{{ big | ceil }}", "100000000000000000000"),
        ("{{ big | round }}", "100000000000000000000"),
        ("{{ f18 | floor }} {{ id | plus: 0.5 | floor }}", "1234567890123456800 1234567890123456800"),
        ("{{ \"12345678901234567891243.5\" | floor }}", "12345678901234567891243"),
        ("{{ 1234.5 | round: -1 }}", "1230"),
        // Signs of zero are kept, as IEEE and BigDecimal keep them.
        ("{{ 0 | times: -0.5 | round: 3 }}", "-0.0"),
        ("{{ 0.0 | times: -1 }}", "-0.0"),
        ("{{ nz }}", "-0.0"),
        ("{{ nz | times: 1 }}", "-0.0"),
        ("{{ nz | plus: 0 }}", "0.0"),
        ("{{ nz | abs }}", "0.0"),
        ("{{ nz | round }}", "0"),
        ("{{ nz | modulo: 7 }}", "0.0"),
        // Division of floats as BigDecimal does it, then rounded to a double.
        ("{{ 3.1 | divided_by: 7 }}", "0.44285714285714284"),
        ("{{ 10.0 | divided_by: 3 }}", "3.3333333333333335"),
        // One float layout everywhere: Ruby's Float#to_s.
        ("{{ big }}|{{ big | append: \"\" }}|{{ list | join: \",\" }}", "1.0e+20|1.0e+20|1.0e+20,0.0001,-0.0"),
        ("{{ e15 }} {{ e16 }} {{ 999999999999999.0 }}", "1.0e+15 1.0e+16 999999999999999.0"),
        ("{{ frac16 }} {{ whole16 }}", "1234567890123458.5 1.234567890123456e+15"),
        ("{{ small }} {{ smaller }} {{ 0.00012 }}", "0.0001 1.0e-05 0.00012"),
        ("{{ e15 | prepend: \"x\" }} {{ smaller | size }}", "x1.0e+15 0"),
    ]

    @Test("numbers render as Ruby Liquid renders them", arguments: cases)
    func rendersLikeRuby(_ source: String, _ expected: String) {
        #expect(Self.standard(source) == expected)
    }

    @Test("range bounds beyond 2^62 are clamped, so no range's size overflows (such ranges crashed the render)")
    func hugeRangeBounds() {
        // A filter sees the range as an array: too many items is the iteration limit's clear error.
        #expect(Self.standard(#"{{ ("-9223372036854775808".."9223372036854775807") | size }}"#)
            .contains("range (-4611686018427387903..4611686018427387903) has more than"))
        #expect(Self.standard(#"{% assign r = ("-9223372036854775808".."9223372036854775807") %}{{ r.size }}"#)
            == "9223372036854775807")
        #expect(Self.standard(#"{% for i in ("-9223372036854775808".."9223372036854775807") %}{{ i }}{% break %}{% endfor %}"#)
            == "-4611686018427387903")
        #expect(Self.standard("{{ (max..max) | first }}") == "4611686018427387903")
    }

    @Test("integers stop at about 10,000 digits: squaring in a loop ends as nil instead of running for hours")
    func integerSizeLimit() {
        let squaring = "{% assign x = 99999999999999999999 %}{% for i in (1..40) %}{% assign x = x | times: x %}"
            + "{% endfor %}[{{ x }}]"
        #expect(Self.standard(squaring) == "[0]")  // past the limit x is nil, and nil times nil is 0
        #expect(Self.standard("{{ 1.5 | round: -1000000 }} {{ max | round: -1000000 }}") == "0 0")
        let longDigits = String(repeating: "9", count: 20_000)
        #expect(Self.standard("[{{ \"\(longDigits)\" | plus: 1 }}]") == "[]")
        let fiveThousand = String(repeating: "9", count: 5_000)
        #expect(Self.standard("{{ \"\(fiveThousand)\" | plus: 1 | size }}") == "0")
        #expect(Self.standard("{{ \"\(fiveThousand)\" | plus: 1 | append: \"\" | size }}") == "5001")
    }

    @Test("JSON payload mode writes floats with the same formatter as text mode")
    func payloadModeUsesRubyFloats() throws {
        let payload = try PayloadTemplate(#"{"a": {{ big }}, "b": {{ nz }}, "c": {{ max | plus: 1 }}, "d": "{{ e15 }}"}"#)
        let output = try #require(try payload.render(Self.context).output)
        #expect(output == #"{"a": 1.0e+20, "b": -0.0, "c": 9223372036854775808, "d": "1.0e+15"}"#)
    }
}
