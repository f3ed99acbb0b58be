import FerryCore

/// Times a block over many iterations and reports the best of several runs, so a busy machine distorts the
/// figure as little as possible.
struct Measurement {
    let name: String
    let iterations: Int
    let bestSeconds: Double
    let medianSeconds: Double

    /// Operations per second in the best run.
    var opsPerSecond: Double { Double(iterations) / bestSeconds }
    /// Microseconds per operation in the best run.
    var microsecondsPerOp: Double { bestSeconds / Double(iterations) * 1e6 }

    /// Runs `body` `iterations` times per run, `repeats` runs after one warm-up run.
    static func run(_ name: String, iterations: Int, repeats: Int = 5, _ body: () throws -> Void) rethrows -> Measurement {
        let clock = ContinuousClock()
        for _ in 0..<max(1, iterations / 10) { try body() }
        var runs: [Double] = []
        for _ in 0..<repeats {
            let start = clock.now
            for _ in 0..<iterations { try body() }
            runs.append((clock.now - start).seconds)
        }
        runs.sort()
        return Measurement(name: name, iterations: iterations, bestSeconds: runs[0], medianSeconds: runs[runs.count / 2])
    }

    /// One line: name, ops/s, µs/op.
    var line: String {
        "\(name.padding(toLength: 36, withPad: " ", startingAt: 0)) \(format(opsPerSecond, 0)) ops/s  \(format(microsecondsPerOp, 2)) µs/op  (median run \(format(Double(iterations) / medianSeconds, 0)) ops/s)"
    }
}

/// Formats a number with a fixed number of decimals (no Foundation formatter, so output is stable).
func format(_ value: Double, _ decimals: Int) -> String {
    var factor = 1.0
    for _ in 0..<decimals { factor *= 10 }
    let rounded = (value * factor).rounded() / factor
    if decimals == 0 { return String(Int64(rounded)) }
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let fraction = text.distance(from: dot, to: text.endIndex) - 1
        if fraction < decimals { text += String(repeating: "0", count: decimals - fraction) }
    }
    return text
}
