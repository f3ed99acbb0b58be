import Ferry
import Foundation

/// `ferry apex`: generates the Apex REST class, its test class, and Salesforce DX metadata from an object spec.
enum ApexCommand: Command {
    static let name = "apex"
    static let summary = "Generate an Apex REST class, its test class and DX metadata."
    static let help = """
        USAGE: ferry apex --object API_NAME --field NAME:TYPE [--field ...] [--namespace NS] [--mapping /Path]
                          [--record-name PREFIX{key}|auto] [--missing-datetime now|empty] [--test] [--metadata DIR]

        Prints an Apex REST class that stores JSON payloads as records of a custom object: it parses ISO 8601
        date-times correctly, answers 201 on insert and 200 on a repeat of the same Idempotency-Key header (also
        when two first requests with one key race), answers 400 with a JSON error body on bad input, and answers
        200 to {"is_test": true} pings without storing them.

        OPTIONS:
          --object API_NAME   The custom object: short (CleverTap_NPS__c) or its full API name as the object's
                              page shows it (CleverTap__CleverTap_NPS__c); a prefix must match --namespace.
          --field NAME:TYPE   A field and its type; repeat for each field. NAME is userId, userId__c or the full
                              CleverTap__userId__c; the payload key is userId. TYPE is one of
                              Text, LongText, Number, Checkbox, Date, DateTime, Email, Phone, Url, Picklist.
                              Picklists list their values: Channel:Picklist(Email|Push|SMS).
          --namespace NS      The org's namespace prefix: the class uses full names (NS__Object__c), which compile
                              inside the namespace and outside it, and the endpoint is /services/apexrest/NS/<mapping>.
          --mapping /Path     The URL mapping (default /<ObjectName>); the class is named after its last segment.
          --record-name R     How Name is filled: PREFIX{key}, e.g. NPS-{userId} as the seed's 'NPS-' + userId
                              (default: the object's last word, '-', and the first Text field), or auto for an
                              auto-number (REC-0000001).
          --missing-datetime  now (default, as the seed's DateTime.now()): a missing Date/Time is the time of
                              receipt; empty: it stays empty.
          --test              Print the Apex test class instead of the REST class.
          --metadata DIR      Write a complete Salesforce DX project under DIR: sfdx-project.json and, under
                              force-app/main/default, the object, its fields, both classes and a permission set.
                              Prints the paths. Deploy from DIR: sf project deploy start --source-dir force-app

        Invalid names, types or options exit with status 2 and the rule that was broken.

        EXAMPLE (the seed's object and class):
          ferry apex --object CleverTap__CleverTap_NPS__c --namespace CleverTap --mapping /InsertNPSFeedback \\
                     --field CleverTap__userId__c:Text --field CleverTap__npsScore__c:Number \\
                     --field CleverTap__timestamp__c:DateTime --record-name 'NPS-{userId}'
        """

    static func run(_ arguments: [String]) async -> Int32 {
        let generator: ApexGenerator
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(
                arguments, spec: .init(
                    valued: ["object", "field", "namespace", "mapping", "metadata", "record-name", "missing-datetime"],
                    flags: ["test"]))
            guard parsed.positionals.isEmpty else {
                throw UsageError("unexpected argument '\(parsed.positionals[0])'; see ferry apex --help")
            }
            let object = try parsed.required("object")
            var fields: [ApexFieldSpec] = []
            for text in parsed.all("field") { fields.append(try ApexFieldSpec(parsing: text)) }
            let recordName = try parsed.value("record-name").map { text throws(ApexSpecError) in try ApexRecordName(parsing: text) }
            let missingDateTime = try parsed.value("missing-datetime").map { text throws(ApexSpecError) in
                try ApexMissingDateTime(parsing: text)
            }
            let spec = try ApexObjectSpec(
                object: object, fields: fields, namespace: parsed.value("namespace"), mapping: parsed.value("mapping"),
                recordName: recordName, missingDateTime: missingDateTime ?? .receiptTime)
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
                for file in generator.projectFiles {
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
