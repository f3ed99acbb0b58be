import Foundation
import Ferry

/// `ferry-bench json`: parse and serialise a realistic 4 KB profile document with `JSONValue` and with
/// Foundation's `JSONSerialization`, in the same run.
enum JSONBenchmark {
    static let help = """
        USAGE: ferry-bench json [--iterations N]

        Parses and serialises a realistic ~4 KB CleverTap-style profile document N times (default 20000) with
        Ferry's JSONValue and with Foundation's JSONSerialization, and prints ops/s for each and their ratio.
        """

    static func run(_ arguments: [String]) throws -> Int32 {
        var iterations = 20_000
        var index = 0
        while index < arguments.count {
            switch arguments[index] {
            case "--iterations":
                guard index + 1 < arguments.count, let n = Int(arguments[index + 1]), n > 0 else {
                    throw BenchError("--iterations needs a positive whole number")
                }
                iterations = n
                index += 2
            default:
                throw BenchError("unknown option '\(arguments[index])'\n\(help)")
            }
        }
        let document = sampleDocument()
        let data = Data(document.utf8)
        print("document: \(data.count) bytes, \(iterations) iterations per run, best of 5 runs")

        // Both parsers must agree before their speed means anything.
        let ferryValue = try JSONValue(parsing: data)
        let foundationValue = try JSONSerialization.jsonObject(with: data)
        guard let reparsed = try? JSONValue(parsing: ferryValue.jsonData()), reparsed == ferryValue else {
            throw BenchError("JSONValue round trip changed the document")
        }
        guard JSONSerialization.isValidJSONObject(foundationValue) else { throw BenchError("Foundation parse failed") }

        let parseFerry = try Measurement.run("parse     JSONValue", iterations: iterations) {
            _ = try JSONValue(parsing: data)
        }
        let parseFoundation = try Measurement.run("parse     JSONSerialization", iterations: iterations) {
            _ = try JSONSerialization.jsonObject(with: data)
        }
        let serialiseFerry = Measurement.run("serialise JSONValue", iterations: iterations) {
            _ = ferryValue.jsonData()
        }
        let serialiseFoundation = try Measurement.run("serialise JSONSerialization", iterations: iterations) {
            _ = try JSONSerialization.data(withJSONObject: foundationValue)
        }
        for measurement in [parseFerry, parseFoundation, serialiseFerry, serialiseFoundation] {
            print(measurement.line)
        }
        print("parse_ratio=\(format(parseFerry.opsPerSecond / parseFoundation.opsPerSecond, 2))")
        print("serialise_ratio=\(format(serialiseFerry.opsPerSecond / serialiseFoundation.opsPerSecond, 2))")
        print("json_parse_ops_per_sec=\(format(parseFerry.opsPerSecond, 0)) json_serialise_ops_per_sec=\(format(serialiseFerry.opsPerSecond, 0))")
        return 0
    }

    /// A CleverTap-style profile with its latest event: nested objects, arrays, numbers, escapes, non-ASCII.
    static func sampleDocument() -> String {
        var events: [JSONValue] = []
        for index in 0..<16 {
            events.append([
                "Name": "Survey Answered",
                "Timestamp": .string("$D_\(1_700_000_000 + index * 3_600)"),
                "User Rating": .int(index % 11),
                "Comment": .string("Great app \u{1F600} but \"search\" is slow\nplease fix #\(index)"),
                "Score": .double(Double(index) * 1.25 + 0.5),
                "Device": ["OS": "iOS", "Version": "17.2.1", "Model": "iPhone15,3"],
            ])
        }
        let profile: JSONValue = [
            "Profile": [
                "Identity": "user-8c1f2a77-4b1e-4d9a-9f0e-2d6b5a1c3e90",
                "Name": "Jane Q. Doe",
                "Email": "Jane.Doe@Example.COM",
                "Phone": "+14155550123",
                "Gender": "F",
                "DOB": "1990-04-12",
                "City": "San Francisco",
                "Country": "US",
                "Tags": ["vip", "newsletter", "beta-tester", "ios", "churn-risk-low"],
                "MSG-email": true,
                "MSG-push": false,
                "Lifetime Value": 1234.56,
                "Orders": 42,
                "Created": 1_690_000_000_123,
                "Preferences": ["Language": "en-US", "Currency": "USD", "Café": "crème brûlée"],
            ],
            "Events": .array(events),
        ]
        return profile.jsonString()
    }
}

struct BenchError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
