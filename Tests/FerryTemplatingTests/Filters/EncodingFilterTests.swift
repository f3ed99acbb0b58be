import FerryCore
import FerryTemplating
import Testing

@Suite("HTML, URL, Base64 and default filters")
struct EncodingFilterTests {
    static let cases: [FilterCase] = [
        FilterCase("escape", "<a href=\"x\">Tom & 'Jerry'</a>", "&lt;a href=&quot;x&quot;&gt;Tom &amp; &#39;Jerry&#39;&lt;/a&gt;"),
        FilterCase("h", "a<b", "a&lt;b"),
        FilterCase("escape", "plain ✓", "plain ✓"),
        FilterCase("escape_once", "&amp; &lt; &#39; &#x27; & &copy; &;", "&amp; &lt; &#39; &amp;#x27; &amp; &copy; &amp;;"),
        FilterCase("escape_once", "<b>&quot;</b>", "&lt;b&gt;&quot;&lt;/b&gt;"),
        FilterCase("strip_html", "<p>Hi <b>there</b></p><br/>", "Hi there"),
        FilterCase("strip_html", "a<script>var x = '<p>';</script>b<style>p{}</style>c<!-- <p> -->d", "abcd"),
        FilterCase("strip_html", "<SCRIPT>x</SCRIPT>y", "xy"),
        FilterCase("strip_html", "1 < 2 and 3 > 2", "1  2"),
        FilterCase("strip_html", "unclosed <script> text", "unclosed  text"),
        FilterCase("strip_html", "no tags &amp; entities", "no tags &amp; entities"),
        FilterCase("url_encode", "a b&c=d/é~_.-", "a+b%26c%3Dd%2F%C3%A9~_.-"),
        FilterCase("url_encode", nil, ""),
        FilterCase("url_decode", "a+b%26c%3Dd%2F%C3%A9", "a b&c=d/é"),
        FilterCase("url_decode", "100%+sure%2", "100% sure%2"),
        FilterCase("url_decode", "%zz%4", "%zz%4"),
        FilterCase("base64_encode", "", ""),
        FilterCase("base64_encode", "a", "YQ=="),
        FilterCase("base64_encode", "ab", "YWI="),
        FilterCase("base64_encode", "héllo ✓", "aMOpbGxvIOKckw=="),
        FilterCase("base64_encode", "???>>>", "Pz8/Pj4+"),
        FilterCase("base64_url_safe_encode", "???>>>", "Pz8_Pj4-"),
        FilterCase("base64_url_safe_encode", "a", "YQ=="),
        FilterCase("base64_decode", "aMOpbGxvIOKckw==", "héllo ✓"),
        FilterCase("base64_decode", "Pz8/Pj4+", "???>>>"),
        FilterCase("base64_url_safe_decode", "Pz8_Pj4-", "???>>>"),
        FilterCase("base64_url_safe_decode", "YQ", "a"),
        FilterCase("base64_url_safe_decode", "YWI", "ab"),
        FilterCase("default", nil, ["x"], "x"),
        FilterCase("default", false, ["x"], "x"),
        FilterCase("default", false, ["x"], keywords: ["allow_false": true], false),
        FilterCase("default", false, ["x"], keywords: ["allow_false": "yes"], false),
        FilterCase("default", false, ["x"], keywords: ["allow_false": nil], "x"),
        FilterCase("default", nil, ["x"], keywords: ["allow_false": true], "x"),
        FilterCase("default", "", ["x"], keywords: ["allow_false": true], "x"),
        FilterCase("default", [], [["a"]], ["a"]),
        FilterCase("default", [:], [1], 1),
        FilterCase("default", 0, ["x"], 0),
        FilterCase("default", 0.0, ["x"], 0.0),
        FilterCase("default", " ", ["x"], " "),
        FilterCase("default", true, ["x"], true),
        FilterCase("default", nil, ""),
        FilterCase("default", nil, [nil], nil),
    ]

    @Test(arguments: cases)
    func encodingFilter(_ testCase: FilterCase) throws {
        try checkFilterCase(testCase)
    }

    static let errors: [FilterErrorCase] = [
        FilterErrorCase("base64_decode", "abc", [], .invalidInput(""), "not valid Base64"),
        FilterErrorCase("base64_decode", "ab=c", [], .invalidInput(""), "groups of 4 with = padding"),
        FilterErrorCase("base64_decode", "Pz8_Pj4-", [], .invalidInput(""), "use base64_url_safe_decode"),
        FilterErrorCase("base64_decode", "YQ==YQ==", [], .invalidInput(""), "not valid Base64"),
        FilterErrorCase("base64_decode", "YQ =", [], .invalidInput(""), "not valid Base64"),
        FilterErrorCase("base64_decode", "/w==", [], .invalidInput(""), "not UTF-8 text"),
        FilterErrorCase("base64_url_safe_decode", "Pz8/Pj4+", [], .invalidInput(""), "not valid URL-safe Base64"),
        FilterErrorCase("base64_url_safe_decode", "Y", [], .invalidInput(""), "not valid URL-safe Base64"),
        FilterErrorCase("url_decode", "%FF%FE", [], .invalidInput(""), "not valid UTF-8 text"),
        FilterErrorCase("escape", "x", [1], .argumentCount(""), "expects no arguments, got 1"),
        FilterErrorCase("url_encode", "x", [], keywords: ["safe": "/"], .argumentCount(""), "unknown keyword argument 'safe:'"),
        FilterErrorCase("default", nil, ["a", "b"], .argumentCount(""), "expects at most 1 argument, got 2"),
        FilterErrorCase("default", nil, ["a"], keywords: ["allow_nil": true], .argumentCount(""),
                        "it accepts only 'allow_false:'"),
    ]

    @Test(arguments: errors)
    func encodingFilterError(_ testCase: FilterErrorCase) {
        checkFilterError(testCase)
    }
}

@Suite("HTML filters on hostile input")
struct HostileHTMLTests {
    /// 200 KB of unclosed tags must not take quadratic time (it would take minutes).
    @Test(.timeLimit(.minutes(1)))
    func unclosedTagsStayLinear() throws {
        let opens = String(repeating: "<", count: 100_000)
        #expect(try callFilter("strip_html", .string(opens)) == .string(opens))
        let scripts = String(repeating: "<script<!--<style", count: 10_000)
        #expect(try callFilter("strip_html", .string(scripts + "<b>x</b>")) == .string("x"))
        let halfOpen = String(repeating: "a<b", count: 50_000)
        #expect(try callFilter("strip_html", .string(halfOpen)) == .string(halfOpen))
    }
}
