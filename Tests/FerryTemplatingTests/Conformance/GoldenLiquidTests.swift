import Foundation
import FerryCore
import FerryTemplating
import Testing

/// Runs the golden-liquid conformance suite (Shopify Liquid's reference behaviour) when `FERRY_GOLDEN_LIQUID`
/// points at `golden_liquid.json` (the suite lives in `../shared/conformance/golden-liquid/`, never in this
/// repository).
@Suite("golden-liquid conformance")
struct GoldenLiquidTests {
    /// The pass count this engine reached; the test fails if a change makes it drop.
    static let minimumPassing = 1_053

    static var suitePath: String? {
        let path = ProcessInfo.processInfo.environment["FERRY_GOLDEN_LIQUID"]
        return path?.isEmpty == false ? path : nil
    }

    struct Outcome {
        var passed = 0
        var failures: [String] = []
    }

    static func run(_ cases: [JSONValue]) -> Outcome {
        var outcome = Outcome()
        for testCase in cases {
            let name = testCase["name"]?.stringValue ?? "?"
            let source = testCase["template"]?.stringValue ?? ""
            let data = testCase["data"] ?? [:]
            var partials: [String: String] = [:]
            for (key, value) in testCase["partials"]?.objectValue ?? JSONObject() { partials[key] = value.stringValue ?? "" }
            let environment = TemplateEnvironment(mode: testCase["strict"]?.boolValue == true ? .strict : .lax,
                                                  loader: InMemoryTemplateLoader(partials))
            let expectsError = testCase["error"]?.boolValue == true
            var wants: [String] = []
            if let want = testCase["want"]?.stringValue { wants = [want] }
            if let list = testCase["wants"]?.arrayValue { wants = list.compactMap(\.stringValue) }
            do {
                let result = try Template(source, environment: environment).render(data)
                let output = result.output ?? ""
                if !expectsError && wants.contains(output) {
                    outcome.passed += 1
                } else if expectsError {
                    outcome.failures.append("\(name): expected an error, rendered \(output.debugDescription)")
                } else {
                    outcome.failures.append("\(name): rendered \(output.debugDescription), want \(wants.first?.debugDescription ?? "?")")
                }
            } catch {
                if expectsError {
                    outcome.passed += 1
                } else {
                    outcome.failures.append("\(name): \(error.summary)")
                }
            }
        }
        return outcome
    }

    @Test("the golden-liquid suite passes at least the recorded number of cases",
          .enabled(if: GoldenLiquidTests.suitePath != nil))
    func goldenLiquid() throws {
        let path = try #require(GoldenLiquidTests.suitePath)
        let data = try Data(contentsOf: URL(fileURLWithPath: path))
        let suite = try JSONValue(parsing: data)
        let cases = try #require(suite.arrayValue)
        let outcome = GoldenLiquidTests.run(cases)
        print("golden-liquid: \(outcome.passed) of \(cases.count) cases pass")
        for failure in outcome.failures { print("  FAIL \(failure)") }
        #expect(cases.count > 1000)
        #expect(outcome.passed >= GoldenLiquidTests.minimumPassing)
    }

    @Test("the suite is skipped, with a note, when FERRY_GOLDEN_LIQUID is not set")
    func skippedNote() {
        if GoldenLiquidTests.suitePath == nil {
            print("golden-liquid: SKIPPED (set FERRY_GOLDEN_LIQUID to the path of golden_liquid.json to run the suite)")
        }
        #expect(GoldenLiquidTests.suitePath == nil || FileManager.default.fileExists(atPath: GoldenLiquidTests.suitePath ?? ""))
    }
}
