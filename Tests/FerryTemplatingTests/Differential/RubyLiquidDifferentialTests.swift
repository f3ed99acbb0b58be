import Foundation
import FerryCore
import FerryTemplating
import Testing

/// Renders a fixed seed of generated CleverTap-style cases with Shopify's Ruby Liquid and with Ferry, and fails on
/// any difference that ``RubyHostQuirk/all`` does not explain.
///
/// Runs when `FERRY_RUBY` names a Ruby interpreter with Debian's `ruby-liquid` installed (`.ci/ruby-liquid` sets
/// it up); otherwise it reports that it skipped. `FERRY_DIFFERENTIAL_SEED` and `FERRY_DIFFERENTIAL_CASES` change
/// the seed (default 18) and the number of cases (default 400) to explore further.
@Suite("differential against Ruby Liquid")
struct RubyLiquidDifferentialTests {
    static var ruby: String? {
        let path = ProcessInfo.processInfo.environment["FERRY_RUBY"]
        return path?.isEmpty == false ? path : nil
    }

    static func environmentInteger(_ name: String, default value: Int) -> Int {
        ProcessInfo.processInfo.environment[name].flatMap { Int($0) } ?? value
    }

    /// `.ci/ruby-liquid-render.rb`, found from this file's place in the repository.
    static let renderScript = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent(".ci/ruby-liquid-render.rb").path

    /// What one engine made of a case: its output, or that it failed.
    enum Outcome: Equatable, CustomStringConvertible {
        case output(String)
        case error(String)

        var description: String {
            switch self {
            case .output(let text): return text.debugDescription
            case .error(let message): return "error (\(message))"
            }
        }

        /// Both rendered the same text, or both failed (the messages are each engine's own).
        func agrees(with other: Outcome) -> Bool {
            switch (self, other) {
            case (.output(let a), .output(let b)): return a == b
            case (.error, .error): return true
            default: return false
            }
        }
    }

    /// Renders the cases with Ruby Liquid through `.ci/ruby-liquid-render.rb`.
    static func renderWithRuby(_ cases: [DifferentialCaseGenerator.Case], ruby: String) throws -> [Outcome] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-differential-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let casesFile = directory.appendingPathComponent("cases.json")
        let list = JSONValue.array(cases.map { ["template": .string($0.template), "context": .string($0.context)] })
        try list.jsonData().write(to: casesFile)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: ruby)
        process.arguments = [renderScript, casesFile.path]
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardOutput = stdout
        process.standardError = stderr
        try process.run()
        let data = stdout.fileHandleForReading.readDataToEndOfFile()
        let errors = String(decoding: stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw DifferentialError("\(ruby) \(renderScript) exited with \(process.terminationStatus): \(errors)")
        }
        guard let results = try JSONValue(parsing: data).arrayValue, results.count == cases.count else {
            throw DifferentialError("the Ruby script returned \(data.count) bytes that are not one result per case")
        }
        return results.map { result in
            if let output = result["output"]?.stringValue { return .output(output) }
            return .error(result["error"]?.stringValue ?? "unknown")
        }
    }

    static func renderWithFerry(_ testCase: DifferentialCaseGenerator.Case) -> Outcome {
        do {
            let context = try JSONValue(parsing: Data(testCase.context.utf8))
            let result = try Template(testCase.template).render(context)
            return .output(result.output ?? "")
        } catch {
            return .error("\(error)")
        }
    }

    struct DifferentialError: Error, CustomStringConvertible {
        let description: String
        init(_ description: String) { self.description = description }
    }

    @Test("Ferry renders generated CleverTap-style templates as Ruby Liquid does",
          .enabled(if: ruby != nil, "FERRY_RUBY is not set: skipped (run .ci/ruby-liquid to compare with Ruby Liquid)"))
    func matchesRubyLiquid() throws {
        let ruby = try #require(Self.ruby)
        let seed = Self.environmentInteger("FERRY_DIFFERENTIAL_SEED", default: 18)
        let count = Self.environmentInteger("FERRY_DIFFERENTIAL_CASES", default: 400)
        var generator = DifferentialCaseGenerator(seed: UInt64(truncatingIfNeeded: seed))
        let cases = (0..<count).map { _ in generator.nextCase() }
        let rubyOutcomes = try Self.renderWithRuby(cases, ruby: ruby)

        var identical = 0
        var differing: [Int] = []
        for (index, testCase) in cases.enumerated() {
            if Self.renderWithFerry(testCase).agrees(with: rubyOutcomes[index]) {
                identical += 1
            } else {
                differing.append(index)
            }
        }

        // A quirk explains a difference when the template without the quirk's construct renders the same in both.
        var retries: [(index: Int, quirk: RubyHostQuirk, testCase: DifferentialCaseGenerator.Case)] = []
        for index in differing {
            for quirk in RubyHostQuirk.all {
                if let template = quirk.neutralize(cases[index].template) {
                    retries.append((index, quirk, DifferentialCaseGenerator.Case(template: template, context: cases[index].context)))
                }
            }
        }
        let retryOutcomes = retries.isEmpty ? [] : try Self.renderWithRuby(retries.map(\.testCase), ruby: ruby)
        var explained: [String: Int] = [:]
        var unexplained: [String] = []
        for index in differing {
            let testCase = cases[index]
            let isExplained = retries.indices.contains { position in
                retries[position].index == index
                    && Self.renderWithFerry(retries[position].testCase).agrees(with: retryOutcomes[position])
            }
            if isExplained, let position = retries.firstIndex(where: { $0.index == index }) {
                explained[retries[position].quirk.name, default: 0] += 1
                continue
            }
            if case .output(let rubyText) = rubyOutcomes[index], case .output(let ferryText) = Self.renderWithFerry(testCase),
               let quirk = RubyHostQuirk.all.first(where: { $0.rubyOutput(rubyText) == ferryText }) {
                explained[quirk.name, default: 0] += 1
                continue
            }
            unexplained.append("""
                case \(index) (seed \(seed)): \(testCase.template.debugDescription)
                  context: \(testCase.context)
                  Ruby:  \(rubyOutcomes[index])
                  Ferry: \(Self.renderWithFerry(testCase))
                """)
        }
        let quirkSummary = explained.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ")
        print("differential against Ruby Liquid: \(count) cases (seed \(seed)), \(identical) identical, "
              + "\(explained.values.reduce(0, +)) explained by host quirks [\(quirkSummary)], \(unexplained.count) unexplained")
        #expect(unexplained.isEmpty, """
            \(unexplained.count) of \(count) cases differ from Ruby Liquid; the first ones:
            \(unexplained.prefix(15).joined(separator: "\n"))
            """)
        #expect(identical > count * 3 / 4, "fewer than three quarters of the cases agree exactly: \(identical) of \(count)")
    }
}
