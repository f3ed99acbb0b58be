import FerryCore
import FerryTemplating
import Testing

/// Random templates built from Liquid's own pieces must parse or fail cleanly, and render or fail cleanly, within
/// the limits: never crash, never hang.
@Suite("Robustness")
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64), so failures reproduce.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces = [
        "{{", "}}", "{%", "%}", "{%-", "-%}", " if ", " for ", " in ", " endif ", " endfor ", " else ", " elsif ",
        " unless ", " case ", " when ", " endcase ", " assign ", " capture ", " endcapture ", " = ", " | ", ": ",
        ", ", "upcase", "default", "join", "append", "(1..", "5)", "a", "b.c", "[0]", "['k']", "\"", "'", "x",
        "forloop.index", " break ", " continue ", " cycle ", " raw ", " endraw ", " comment ", " endcomment ",
        " liquid ", "\n", " echo ", " increment ", " tablerow ", " endtablerow ", " include ", " render ",
        " abort ", " == ", " contains ", " and ", " or ", "limit:", "offset:", "reversed", "{{ a }}", "#", "..",
        "-", "9", "1.5", "nil", "empty", "blank", "\u{2028}", "😀",
    ]

    @Test("random templates never crash or hang, in text and payload mode")
    func randomTemplates() {
        var generator = Generator(state: 20_261_129)
        let limits = TemplateLimits(maximumOutputBytes: 64 << 10, maximumLoopIterations: 10_000)
        let environment = TemplateEnvironment(loader: InMemoryTemplateLoader(["x": "{{ a }}{% include 'x' %}"]),
                                              limits: limits)
        let strict = TemplateEnvironment(mode: .strict, limits: limits)
        let data: JSONValue = ["a": ["1", "2"], "b": ["c": "q\"uote"], "k": 3]
        var parsed = 0
        for _ in 0..<10_000 {
            let count = Int.random(in: 1...24, using: &generator)
            let source = (0..<count).map { _ in Self.pieces.randomElement(using: &generator) ?? "" }.joined()
            for env in [environment, strict] {
                if let template = try? Template(source, environment: env) {
                    parsed += 1
                    _ = try? template.render(data)
                }
                if let payload = try? PayloadTemplate(source, environment: env) {
                    if case .rendered(let text)? = try? payload.render(data) {
                        #expect((try? JSONValue(parsing: text)) != nil, "payload output must be JSON: \(source)")
                    }
                }
            }
        }
        #expect(parsed > 100)
    }
}
