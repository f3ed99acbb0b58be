import FerryCore
import FerryTemplating
import Foundation
import Testing

/// One filter call in a golden case: name, positional arguments and keyword arguments as JSON text.
struct GoldenFilterStep: Sendable, CustomStringConvertible {
    let name: String
    let arguments: String
    let keywords: String

    init(_ name: String, _ arguments: String, _ keywords: String) {
        self.name = name
        self.arguments = arguments
        self.keywords = keywords
    }

    var description: String { "\(name): \(arguments) \(keywords)" }
}

/// A golden-liquid case reduced to an input, a chain of filters and the expected output (`nil`: an error).
struct GoldenFilterCase: Sendable, CustomTestStringConvertible {
    let name: String
    let input: String
    let steps: [GoldenFilterStep]
    let shape: GoldenFilterShape
    let want: String?

    init(_ name: String, input: String, _ steps: [GoldenFilterStep], shape: GoldenFilterShape = .plain, want: String?) {
        self.name = name
        self.input = input
        self.steps = steps
        self.shape = shape
        self.want = want
    }

    var testDescription: String { name }
}

enum GoldenFilterCases {}

/// How a golden template shows the filtered value after `{% assign v = ... %}`: the loops it runs over it,
/// reproduced here so the filter result can be compared with the suite's text.
enum GoldenFilterShape: Sendable {
    /// `{{ v }}`
    case plain
    /// `{% for o in v %}{% for i in o %}(PREFIX){{ i[0] }}MIDDLE{{ i[1] }}SUFFIX{% endfor %}{% endfor %}`
    case nestedPairs(String, String, String)
    /// `{% for i in v %}({{ i[0] }},{{ i[1] }}){% endfor %}`
    case pairs
    /// `({{ v[0] }},{{ v[1] }})`
    case indexPair
    /// `{{ v.NAME }}`
    case member(String)
    /// `{% for o in v %}{{ o }}SEPARATOR{% endfor %}`
    case items(String)
    /// `{% for i in v %}{{ i }}{% unless forloop.last %}SEPARATOR{% endunless %}{% endfor %}`
    case joined(String)
    /// `{% for i in v %}PREFIX{{ forloop.index0 }}{{ i }}{% endfor %}`
    case indexed(String)

    /// What Liquid's `for` iterates: an array's elements, an object's `[key, value]` pairs, nothing for nil,
    /// any other value once.
    static func iterate(_ value: JSONValue) -> [JSONValue] {
        switch value {
        case .null: []
        case .array(let elements): elements
        case .object(let object): object.map { JSONValue.array([.string($0.key), $0.value]) }
        default: [value]
        }
    }

    func render(_ value: JSONValue) -> String {
        switch self {
        case .plain:
            return goldenOutput(value)
        case .nestedPairs(let prefix, let middle, let suffix):
            return GoldenFilterShape.iterate(value).map { outer in
                GoldenFilterShape.iterate(outer).map { inner in
                    prefix + goldenOutput(inner[0] ?? .null) + middle + goldenOutput(inner[1] ?? .null) + suffix
                }.joined()
            }.joined()
        case .pairs:
            return GoldenFilterShape.iterate(value).map { "(\(goldenOutput($0[0] ?? .null)),\(goldenOutput($0[1] ?? .null)))" }
                .joined()
        case .indexPair:
            return "(\(goldenOutput(value[0] ?? .null)),\(goldenOutput(value[1] ?? .null)))"
        case .member(let name):
            return goldenOutput(value[name] ?? .null)
        case .items(let separator):
            return GoldenFilterShape.iterate(value).map { goldenOutput($0) + separator }.joined()
        case .joined(let separator):
            return GoldenFilterShape.iterate(value).map(goldenOutput).joined(separator: separator)
        case .indexed(let prefix):
            return GoldenFilterShape.iterate(value).enumerated().map { "\(prefix)\($0.offset)\(goldenOutput($0.element))" }
                .joined()
        }
    }
}

/// Renders a value as Liquid output does (the engine's job; reproduced here to compare with the suite).
func goldenOutput(_ value: JSONValue) -> String {
    switch value {
    case .null: ""
    case .bool(let flag): flag ? "true" : "false"
    case .number(let number): number.text
    case .string(let string): string
    case .array(let elements): elements.map(goldenOutput).joined()
    case .object: value.jsonString()
    }
}

/// Runs a chain of standard filters.
func applyGoldenSteps(_ steps: [GoldenFilterStep], to input: JSONValue, context: FilterContext = FilterContext(clock: ManualClock()))
    throws -> JSONValue {
    var value = input
    for step in steps {
        let filter = try #require(StandardFilters.all[step.name], "no filter named \(step.name)")
        let positional = try #require(try JSONValue(parsing: step.arguments).arrayValue)
        let keyword = try #require(try JSONValue(parsing: step.keywords).objectValue)
        value = try filter(value, FilterArguments(positional, keyword: keyword), context)
    }
    return value
}

@Suite("Golden-liquid filter cases, called directly")
struct GoldenFilterCaseTests {
    @Test(arguments: GoldenFilterCases.generated)
    func goldenCase(_ golden: GoldenFilterCase) throws {
        let input = try JSONValue(parsing: golden.input)
        if let want = golden.want {
            let output = try applyGoldenSteps(golden.steps, to: input)
            #expect(golden.shape.render(output) == want, "\(golden.steps)")
        } else {
            #expect(throws: FilterError.self, "\(golden.steps)") { try applyGoldenSteps(golden.steps, to: input) }
        }
    }

    @Test func tableCoversEveryFilterFamilyOfTheSuite() {
        let covered = Set(GoldenFilterCases.generated.flatMap { $0.steps.map(\.name) })
        #expect(covered.count >= 55)
        #expect(covered.isSubset(of: Set(StandardFilters.names)))
    }
}
