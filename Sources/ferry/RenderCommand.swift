import Foundation
import Ferry

/// `ferry render`: previews a template against sample data, one file or a batch of cases.
enum RenderCommand: Command {
    static let name = "render"
    static let summary = "Render a Liquid template or JSON payload against sample data (preview)."
    static let help = """
        USAGE: ferry render TEMPLATE_FILE [--data JSON_FILE] [--partials DIR] [--strict] [--mode text|json]
               ferry render --batch CASES_FILE

        Renders TEMPLATE_FILE against the JSON object in JSON_FILE (default: {}) and writes the output to stdout
        exactly, without an added newline. This is the "Preview" step: check a payload before anything is sent.

        OPTIONS:
          --data JSON_FILE   The render context: a JSON object of top-level variables (Profile, Event, ...).
          --partials DIR     Directory of partials for include/render ('footer' reads DIR/footer.liquid).
          --strict           Undefined variables and filters are errors (default: lax, they render empty).
          --mode json        Render as a JSON payload: values are escaped for their JSON context and the output
                             is validated as JSON. Default: text.
          --batch CASES_FILE A JSON array of {"template": str, "data": obj?, "partials": {name: source}?,
                             "strict": bool?, "mode": "text"|"json"?}; prints a JSON array, in the same order,
                             of {"output": str} or {"error": str} (plus "aborted" when {% abort %} stopped it).

        EXIT STATUS: 0 rendered (or aborted by {% abort %}, reported on stderr); 1 parse or render error, first
        stderr line "TEMPLATE_FILE:LINE:COLUMN: error: MESSAGE"; 2 usage error or unreadable input.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(arguments, spec: .init(valued: ["data", "partials", "mode", "batch"], flags: ["strict"]))
        } catch {
            return usage(error.message)
        }
        if let batch = parsed.value("batch") {
            guard parsed.positionals.isEmpty, parsed.value("data") == nil, parsed.value("partials") == nil,
                  parsed.value("mode") == nil, !parsed.flag("strict") else {
                return usage("--batch takes no template file and no other options; put them in the cases file")
            }
            return runBatch(batch)
        }
        guard parsed.positionals.count == 1, let templatePath = parsed.positionals.first else {
            return usage(parsed.positionals.isEmpty ? "missing TEMPLATE_FILE" : "expected one TEMPLATE_FILE, got \(parsed.positionals.count)")
        }
        let mode = parsed.value("mode") ?? "text"
        guard mode == "text" || mode == "json" else { return usage("--mode must be 'text' or 'json', got '\(mode)'") }

        guard let source = readText(templatePath) else { return usage("cannot read template file '\(templatePath)'") }
        var context: JSONValue = [:]
        if let dataPath = parsed.value("data") {
            guard let data = FileManager.default.contents(atPath: dataPath) else {
                return usage("cannot read data file '\(dataPath)'")
            }
            do {
                context = try JSONValue(parsing: data)
            } catch {
                return usage("data file '\(dataPath)' is not valid JSON: \(error.description)")
            }
            guard context.objectValue != nil else {
                return usage("data file '\(dataPath)' must hold a JSON object of variables, got \(context.kindName)")
            }
        }
        var environment = TemplateEnvironment(mode: parsed.flag("strict") ? .strict : .lax)
        if let directory = parsed.value("partials") {
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue else {
                return usage("partials directory '\(directory)' does not exist")
            }
            environment.loader = DirectoryTemplateLoader(directory: URL(fileURLWithPath: directory))
        }
        do {
            let result = try render(source, name: templatePath, context: context, environment: environment, json: mode == "json")
            switch result {
            case .rendered(let output):
                Console.out(output)
            case .aborted(let reason):
                Console.err("\(templatePath): aborted by {% abort %}\(reason.map { ": \($0)" } ?? ""); nothing would be sent\n")
            }
            return ExitStatus.success
        } catch {
            Console.err(error.description + "\n")
            return ExitStatus.failure
        }
    }

    static func render(_ source: String, name: String, context: JSONValue, environment: TemplateEnvironment, json: Bool)
        throws(TemplateError) -> RenderResult
    {
        if json {
            return try PayloadTemplate(source, name: name, environment: environment).render(context)
        }
        return try Template(source, name: name, environment: environment).render(context)
    }

    static func runBatch(_ path: String) -> Int32 {
        guard let data = FileManager.default.contents(atPath: path) else { return usage("cannot read cases file '\(path)'") }
        let cases: [JSONValue]
        do {
            guard let array = try JSONValue(parsing: data).arrayValue else {
                return usage("cases file '\(path)' must hold a JSON array of cases")
            }
            cases = array
        } catch {
            return usage("cases file '\(path)' is not valid JSON: \(error.description)")
        }
        var results: [JSONValue] = []
        results.reserveCapacity(cases.count)
        for (index, testCase) in cases.enumerated() {
            guard let source = testCase["template"]?.stringValue else {
                results.append(["error": .string("case \(index): \"template\" must be a string")])
                continue
            }
            var partials: [String: String] = [:]
            for (key, value) in testCase["partials"]?.objectValue ?? JSONObject() {
                partials[key] = value.stringValue ?? ""
            }
            let environment = TemplateEnvironment(mode: testCase["strict"]?.boolValue == true ? .strict : .lax,
                                                  loader: InMemoryTemplateLoader(partials))
            let mode = testCase["mode"]?.stringValue ?? "text"
            guard mode == "text" || mode == "json" else {
                results.append(["error": .string("case \(index): \"mode\" must be \"text\" or \"json\"")])
                continue
            }
            do {
                switch try render(source, name: "template", context: testCase["data"] ?? [:], environment: environment,
                                  json: mode == "json") {
                case .rendered(let output): results.append(["output": .string(output)])
                case .aborted(let reason): results.append(["output": "", "aborted": reason.map(JSONValue.string) ?? .null])
                }
            } catch {
                results.append(["error": .string(error.summary)])
            }
        }
        Console.out(JSONValue.array(results).jsonString() + "\n")
        return ExitStatus.success
    }

    static func readText(_ path: String) -> String? {
        guard let data = FileManager.default.contents(atPath: path) else { return nil }
        return String(data: data, encoding: .utf8)
    }

    static func usage(_ message: String) -> Int32 {
        Console.err("error: \(message)\nRun 'ferry render --help' for usage.\n")
        return ExitStatus.usage
    }
}
