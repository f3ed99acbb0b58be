import Foundation
import FerryCore
import FerryTemplating
import Testing

@Suite("Liquid tags and expressions")
struct TagTests {
    struct Case: CustomTestStringConvertible, Sendable {
        let source: String
        let data: JSONValue
        let want: String
        init(_ source: String, _ want: String) {
            self.init(source, [:], want)
        }
        init(_ source: String, _ data: JSONValue, _ want: String) {
            self.source = source
            self.data = data
            self.want = want
        }
        var testDescription: String { source }
    }

    static let product: JSONValue = ["product": ["title": "foo", "tags": ["sports", "garden"]]]

    static let cases: [Case] = [
        // Output, literals, paths.
        Case("{{ 'hello' }} {{ 123 }} {{ -1.5 }} {{ true }} {{ nil }}", "hello 123 -1.5 true "),
        Case("{{ product.title }}|{{ product.tags[1] }}|{{ product.tags[-2] }}|{{ product.nope }}", product, "foo|garden|sports|"),
        Case("{{ product.tags.size }} {{ product.tags.first }} {{ product.tags.last }} {{ product.title.size }}", product, "2 sports garden 3"),
        Case("{{ a[b] }} {{ [key] }}", ["a": ["x": 1], "b": "x", "key": "b"], "1 x"),
        Case("{{ product.tags }}", product, "sportsgarden"),
        Case("{{ product.tags | join: ', ' | upcase }}", product, "SPORTS, GARDEN"),
        Case("{{ (1..4) | join: '#' }} {{ (x..3) | join: ',' }}", ["x": 1], "1#2#3#4 1,2,3"),
        // Conditions.
        Case("{% if product.title == 'foo' %}yes{% elsif x %}x{% else %}no{% endif %}", product, "yes"),
        Case("{% if 1 == 1.0 and 'a' != 'b' %}T{% endif %}{% if 0 %}zero{% endif %}{% if '' %}empty{% endif %}", "Tzeroempty"),
        Case("{% if true and false and false or true %}T{% else %}F{% endif %}", "F"),
        Case("{% if false or true and true %}T{% else %}F{% endif %}", "T"),
        Case("{% unless x %}no x{% else %}x{% endunless %}", "no x"),
        Case("{% if product.tags contains 'garden' %}G{% endif %}{% if 'hello' contains 'ell' %}E{% endif %}{% if product contains 'title' %}K{% endif %}", product, "GEK"),
        Case("{% if 'abc' < 'abd' %}L{% endif %}{% if 2 >= 2 %}GE{% endif %}{% if nil < 1 %}X{% endif %}", "LGE"),
        Case("{% if a == empty %}E{% endif %}{% if b == blank %}B{% endif %}{% if nope == blank %}U{% endif %}", ["a": [], "b": "  "], "EBU"),
        Case("{% case x %}{% when 1, 2 %}low{% when 3 or 4 %}mid{% else %}high{% endcase %}", ["x": 4], "mid"),
        Case("{% case x %}{% when 'a' %}A{% else %}other{% endcase %}", ["x": "b"], "other"),
        // Loops.
        Case("{% for t in product.tags %}{{ forloop.index }}:{{ t }}{% unless forloop.last %},{% endunless %}{% endfor %}", product, "1:sports,2:garden"),
        Case("{% for i in (1..6) limit: 2 offset: 1 %}{{ i }}{% endfor %}", "23"),
        Case("{% for i in (1..3) reversed %}{{ i }}{% endfor %}", "321"),
        Case("{% for i in (1..5) %}{% if i == 2 %}{% continue %}{% endif %}{% if i == 4 %}{% break %}{% endif %}{{ i }}{% endfor %}", "13"),
        Case("{% for x in nope %}x{% else %}none{% endfor %}", "none"),
        Case("{% for i in (1..2) %}{% for j in (1..2) %}{{ forloop.parentloop.index }}{{ j }} {% endfor %}{% endfor %}", "11 12 21 22 "),
        Case("{% for p in obj %}{{ p[0] }}={{ p[1] }};{% endfor %}", ["obj": ["a": 1, "b": 2]], "a=1;b=2;"),
        Case("{% for i in (1..6) limit: 2 %}{{ i }}{% endfor %}-{% for i in (1..6) offset: continue limit: 2 %}{{ i }}{% endfor %}", "12-34"),
        Case("{% for i in (1..3) %}{{ forloop.rindex }}{{ forloop.first }}{% endfor %}", "3true2false1false"),
        Case("{% tablerow i in (1..3) cols: 2 %}{{ i }}{% endtablerow %}",
             "<tr class=\"row1\">\n<td class=\"col1\">1</td><td class=\"col2\">2</td></tr>\n<tr class=\"row2\"><td class=\"col1\">3</td></tr>\n"),
        Case("{% for i in (1..4) %}{% cycle 'a', 'b', 'c' %}{% endfor %}", "abca"),
        Case("{% for i in (1..3) %}{% ifchanged %}{{ i }}{% endifchanged %}{% endfor %}", "123"),
        // Variables.
        Case("{% assign x = 'a' | upcase %}{{ x }}", "A"),
        Case("{% capture c %}hi {{ name }}{% endcapture %}{{ c | upcase }}", ["name": "jo"], "HI JO"),
        Case("{% increment n %}{% increment n %}{% decrement m %}{{ n }}", "01-12"),
        Case("{% assign foo = 'x' %}{% for i in (1..2) %}{% assign foo = i %}{% endfor %}{{ foo }}", "2"),
        // Whitespace control, raw, comments, liquid, echo.
        Case("a  {{- 'b' -}}  c\n{%- if true -%}\n d {%- endif %}", "abcd"),
        Case("{% raw %}{{ not parsed }}{% endraw %}", "{{ not parsed }}"),
        Case("x{% comment %}{% if %}{% endcomment %}y{% # note %}{%# another %}z", "xyz"),
        Case("{% doc %}{{ unclosed {% enddoc %}ok", "ok"),
        Case("{% liquid\n  assign x = 2\n  if x == 2\n    echo 'two'\n  endif\n  # comment\n%}", "two"),
        Case("{% echo 'a' | upcase %}", "A"),
        Case("{{ 'a' | no_such_filter }}", "a"),
        Case("{% if true %}\n  {% assign x = 1 %}\n{% endif %}|", "|"),
        Case("{% if true %}\n  {{ 'kept' }}\n{% endif %}", "\n  kept\n"),
    ]

    @Test("renders", arguments: cases)
    func renders(_ testCase: Case) {
        #expect(render(testCase.source, testCase.data) == testCase.want)
    }

    @Test("data paths read through nested objects, and names bound by the template hide data of that name")
    func dataPathsAndShadowing() {
        let data: JSONValue = ["Profile": ["Email": "a@b.c", "Tags": ["x", "y"], "Address": ["City": "Pune"]]]
        #expect(render("{{ Profile.Address.City }}|{{ Profile.Tags.size }}|{{ Profile.Address.size }}", data)
                == "Pune|2|1")
        #expect(render("{{ Profile.Phone.size }}|{{ Profile.Email.size }}|{{ Profile.Tags.first }}", data) == "|5|x")
        #expect(render("{% assign Profile = 'plain' %}{{ Profile.size }}", data) == "5")
        #expect(render("{% for Profile in Profile.Tags %}{{ Profile.size }}{% endfor %}", data) == "11")
        #expect(render("{% capture Profile %}abc{% endcapture %}{{ Profile.size }}", data) == "3")
    }

    @Test("include shares the caller's scope; render isolates it")
    func partials() {
        let partials = ["greet": "Hi {{ name }}{% assign seen = true %}", "item": "[{{ item }}{{ forloop.index }}]",
                        "args": "{{ a }}-{{ b }}"]
        #expect(render("{% assign name = 'jo' %}{% include 'greet' %} {{ seen }}", partials: partials) == "Hi jo true")
        #expect(render("{% assign name = 'jo' %}{% render 'greet' %} {{ seen }}", partials: partials) == "Hi  ")
        #expect(render("{% render 'greet', name: 'al' %}", partials: partials) == "Hi al")
        #expect(render("{% render 'item' for list %}", ["list": [1, 2]], partials: partials) == "[11][22]")
        #expect(render("{% include 'args' a: 1, b: 'x' %}", partials: partials) == "1-x")
        #expect(render("{% include 'greet' with 'zed' as name %}", partials: partials) == "Hi zed")
    }

    @Test("a custom tag writes what its closure returns, escaped like any output")
    func customTag() throws {
        var environment = TestFilters.environment()
        environment.register(tag: "nps_band", CustomTag { arguments, _ in
            guard let score = arguments.first?.intValue else { return "unknown" }
            return score >= 9 ? "promoter" : score >= 7 ? "passive" : "detractor"
        })
        let template = try Template("{% nps_band Event.score %}/{% nps_band %}", environment: environment)
        #expect(try template.render(["Event": ["score": 9]]).output == "promoter/unknown")
    }

    @Test("a custom filter registered in the environment is used by name")
    func customFilter() throws {
        var environment = TemplateEnvironment()
        environment.register(filter: "truncate_nps") { input, _, _ in .int(min(max(input.intValue ?? 0, 0), 10)) }
        let template = try Template("{{ score | truncate_nps }}", environment: environment)
        #expect(try template.render(["score": 14]).output == "10")
    }

    @Test("the clock and time zone of the environment reach filters")
    func clockReachesFilters() throws {
        let clock = ManualClock(now: Date(timeIntervalSince1970: 1_700_000_000))
        var environment = TemplateEnvironment(clock: clock)
        environment.register(filter: "epoch", TestFilters.now)
        let template = try Template("{{ 'now' | epoch }}", environment: environment)
        #expect(try template.render([:]).output == "1700000000")
    }
}
