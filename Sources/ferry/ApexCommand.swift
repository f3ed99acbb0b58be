import Ferry
import Foundation

/// `ferry apex`: generates the Apex REST class, its test class, and Salesforce DX metadata from an object spec.
enum ApexCommand: Command {
    static let name = "apex"
    static let summary = "Generate an Apex REST class, its test class and DX metadata."
    static let help = """
        USAGE: ferry apex --object API_NAME --field NAME:TYPE [--field ...] [--namespace NS] [--mapping /Path]
                          [--test] [--metadata DIR]

        Prints an Apex REST class that stores JSON payloads as records of a custom object: it parses ISO 8601
        date-times correctly, answers 201 on insert and 200 on a repeat of the same Idempotency-Key header,
        answers 400 with a JSON error body on bad input, and answers 200 to {"is_test": true} pings without
        storing them.

        OPTIONS:
          --object API_NAME   The custom object, e.g. Feedback__c (without a namespace prefix).
          --field NAME:TYPE   A field and its type; repeat for each field. TYPE is one of Text, LongText, Number,
                              Checkbox, Date, DateTime, Email, Phone, Url, Picklist. Picklists list their values:
                              Channel:Picklist(Email|Push|SMS).
          --namespace NS      The org's namespace prefix; the endpoint becomes /services/apexrest/NS/<mapping>.
          --mapping /Path     The URL mapping (default /<ObjectName>); the class is named after its last segment.
          --test              Print the Apex test class instead of the REST class.
          --metadata DIR      Write every Salesforce DX source file under DIR (e.g. force-app/main/default):
                              the object, its fields, both classes, and a permission set. Prints the paths.

        Invalid names or types exit with status 2 and the rule that was broken.

        EXAMPLE:
          ferry apex --object Feedback__c --field Score:Number --field Comment:Text \\
                     --namespace CleverTap --mapping /InsertNPSFeedback
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let generator: ApexGenerator
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(
                arguments, spec: .init(valued: ["object", "field", "namespace", "mapping", "metadata"], flags: ["test"]))
            guard parsed.positionals.isEmpty else {
                throw UsageError("unexpected argument '\(parsed.positionals[0])'; see ferry apex --help")
            }
            let object = try parsed.required("object")
            var fields: [ApexFieldSpec] = []
            for text in parsed.all("field") { fields.append(try ApexFieldSpec(parsing: text)) }
            let spec = try ApexObjectSpec(
                object: object, fields: fields, namespace: parsed.value("namespace"), mapping: parsed.value("mapping"))
            generator = ApexGenerator(spec: spec)
        } catch let error as UsageError {
            Console.err("error: \(error.message)\nRun 'ferry apex --help' for the options.\n")
            return ExitStatus.usage
        } catch {
            Console.err("error: \(error)\n")
            return ExitStatus.usage
        }
        if let directory = parsed.value("metadata") {
            let root = URL(fileURLWithPath: directory, isDirectory: true)
            do {
                for file in generator.metadataFiles {
                    let url = root.appendingPathComponent(file.path)
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try Data(file.contents.utf8).write(to: url, options: .atomic)
                    Console.out(url.path + "\n")
                }
            } catch {
                Console.err("error: could not write the metadata under \(directory): \(error.localizedDescription)\n")
                return ExitStatus.failure
            }
            return ExitStatus.success
        }
        Console.out(parsed.flag("test") ? generator.testClass : generator.restClass)
        return ExitStatus.success
    }
}
