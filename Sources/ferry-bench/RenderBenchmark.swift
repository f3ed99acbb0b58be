import Foundation
import Ferry

/// `ferry-bench render`: parse a Liquid template once and render it many times against a JSON context.
enum RenderBenchmark {
    static let help = """
        USAGE: ferry-bench render --template FILE --data FILE [--iterations N] [--mode text|json]
                                  [--compare PEERS_DIR]

        Parses the template (mean of 2,000 parses, best of 5 rounds) and renders it N times (default 100000) per
        run against the JSON object in the data file, best of 5 runs after a warm-up. Compare with
        ../shared/peers/bench_liquid.py on the same template and data, in the same run window.
        --compare PEERS_DIR then runs the peers in PEERS_DIR (bench_liquid.py: python-liquid; bench_liquid.rb:
        Ruby Liquid and liquid-c, with and without YJIT) in the same run window and prints Ferry's ratio to each;
        give it the peers' own template and context (see Documentation/Templates.md, Performance).
        The last line is renders_per_sec=<number>.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var templatePath: String?
        var dataPath: String?
        var iterations = 100_000
        var json = false
        var peersDirectory: String?
        var index = 0
        while index < arguments.count {
            let argument = arguments[index]
            guard index + 1 < arguments.count else { throw BenchError("\(argument) needs a value\n\(help)") }
            let value = arguments[index + 1]
            switch argument {
            case "--template": templatePath = value
            case "--data": dataPath = value
            case "--compare": peersDirectory = value
            case "--iterations":
                guard let n = Int(value), n > 0 else { throw BenchError("--iterations needs a positive whole number") }
                iterations = n
            case "--mode":
                guard value == "text" || value == "json" else { throw BenchError("--mode must be text or json") }
                json = value == "json"
            default: throw BenchError("unknown option '\(argument)'\n\(help)")
            }
            index += 2
        }
        guard let templatePath, let dataPath else { throw BenchError("--template and --data are required\n\(help)") }
        guard let templateData = FileManager.default.contents(atPath: templatePath),
              let source = String(data: templateData, encoding: .utf8) else {
            throw BenchError("cannot read template file '\(templatePath)'")
        }
        guard let data = FileManager.default.contents(atPath: dataPath) else { throw BenchError("cannot read data file '\(dataPath)'") }
        let context = try JSONValue(parsing: data)
        let environment = TemplateEnvironment()

        // Parse time: mean over 2,000 parses (as bench_liquid.py measures it), best of 5 such rounds.
        let clock = ContinuousClock()
        let parseCount = 2_000
        var parseMicroseconds = Double.infinity
        for _ in 0..<5 {
            let parseStart = clock.now
            for _ in 0..<parseCount {
                if json {
                    _ = try PayloadTemplate(source, environment: environment)
                } else {
                    _ = try Template(source, environment: environment)
                }
            }
            parseMicroseconds = min(parseMicroseconds, (clock.now - parseStart).seconds / Double(parseCount) * 1e6)
        }

        let measurement: Measurement
        let output: String
        if json {
            let payload = try PayloadTemplate(source, environment: environment)
            output = try payload.render(context).output ?? ""
            measurement = try Measurement.run("render    PayloadTemplate", iterations: iterations) {
                _ = try payload.render(context)
            }
        } else {
            let template = try Template(source, environment: environment)
            output = try template.render(context).output ?? ""
            measurement = try Measurement.run("render    Template", iterations: iterations) {
                _ = try template.render(context)
            }
        }
        print("template: \(source.utf8.count) bytes, output: \(output.utf8.count) bytes, \(iterations) renders per run, best of 5 runs")
        print("output: \(output)")
        print(measurement.line)
        print("parse_us=\(format(parseMicroseconds, 2))")
        print("us_per_render=\(format(measurement.microsecondsPerOp, 3))")
        if let peersDirectory {
            LiquidPeers.compare(ferryRendersPerSecond: measurement.opsPerSecond, directory: peersDirectory)
        }
        print("renders_per_sec=\(format(measurement.opsPerSecond, 0))")
        return 0
    }
}
