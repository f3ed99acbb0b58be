import Ferry
import Foundation

/// `ferry check`: the seed's "Verify Integration" and Troubleshooting, automated. Fetches a token, renders one
/// sample line, and checks the destination: an object's fields against the payload, or an Apex path's existence.
enum CheckCommand: Command {
    static let name = "check"
    static let summary = "Check credentials, a template and a destination before sending anything."
    static let help = """
        USAGE: ferry check --domain BASE_URL --client-id ID --template FILE --data FILE.jsonl
                           (--apex PATH [--ping] | --sobject NAME [--external-id FIELD])
                           [--line N] [--api-version N] [--auth basic|body]
                           [--verify [--object NAME] [--key FIELD] [--namespace NS] [--map KEY=FIELD ...] [--keep]]

        Runs the checks a first delivery would trip over, and says how to fix each problem:
          1. fetches a token (wrong id or secret, missing Run As user or scope, wrong host);
          2. renders line N (default 1) of the JSONL data with the JSON payload template;
          3. --sobject: reads the object's describe and reports fields the payload names that do not exist,
             values whose type does not fit, text longer than the field allows, and required fields left out;
             --apex: checks that BASE_URL/services/apexrest/PATH exists (a 404 usually means the namespace is
             missing) and, with --ping, posts {"is_test": true} and judges the reply.
          4. --verify: the seed's "Verify Integration". Sends line N as one marked test record through the
             destination, reads it back through the REST API (by the id in the reply, or with
             SELECT ... WHERE <--key field> = '<marker>' when the reply has none, as with the seed's class),
             compares every mapped field with what was sent (numbers by value, date-times as instants, so a
             time read in the wrong time zone shows), prints a field-by-field table, and deletes the record
             unless --keep is given. For --apex, payload key userId is field userId__c (NS__userId__c with
             --namespace NS), as the seed and ferry apex name them; --map KEY=FIELD overrides one key, and
             --object names the object the class writes (required). For --sobject the keys are the fields.
        Nothing but the --ping payload and the --verify test record is written to the org.

        ENVIRONMENT:
          FERRY_CLIENT_SECRET  The Consumer Secret (required; never passed on the command line).

        EXIT STATUS: 0 no problems (with --verify: every field matches), 1 problems found (listed on stdout
        with their fixes; with --verify, the fields that differ), 2 usage or
        configuration error (bad flags, unreadable files, a template that does not parse, http:// to a
        non-loopback host: nothing was sent).
        """

    /// One finding, printed as `ok` or `problem` with its fix.
    struct Finding {
        let ok: Bool
        let text: String
    }

    static func run(_ arguments: [String]) async -> Int32 {
        let parsed: CommandLineArguments
        do {
            parsed = try CommandLineArguments(
                arguments,
                spec: .init(
                    valued: ["domain", "client-id", "template", "data", "apex", "sobject", "external-id", "line",
                             "api-version", "auth", "object", "key", "namespace", "map"],
                    flags: ["ping", "verify", "keep"]))
            guard parsed.positionals.isEmpty else { throw UsageError("unexpected argument '\(parsed.positionals[0])'") }
            guard (parsed.value("apex") == nil) != (parsed.value("sobject") == nil) else {
                throw UsageError("give exactly one of --apex PATH or --sobject NAME")
            }
            if parsed.flag("ping") && parsed.value("apex") == nil { throw UsageError("--ping goes with --apex") }
            if parsed.value("external-id") != nil && parsed.value("sobject") == nil {
                throw UsageError("--external-id goes with --sobject")
            }
            for option in ["object", "key", "namespace", "map", "keep"]
            where (parsed.value(option) != nil || parsed.flag(option)) && !parsed.flag("verify") {
                throw UsageError("--\(option) goes with --verify")
            }
            _ = try fieldOverrides(parsed)
            _ = try parsed.value("key").map { try APIName($0) }
            _ = try parsed.value("object").map { try APIName($0) }
            if parsed.flag("verify") && parsed.value("apex") != nil && parsed.value("object") == nil {
                throw UsageError("--verify with --apex needs --object NAME: the object the class writes, e.g. --object CleverTap__CleverTap_NPS__c")
            }
        } catch {
            Console.err("error: \(error)\nRun 'ferry check --help' for the options.\n")
            return ExitStatus.usage
        }
        do {
            return try await check(parsed)
        } catch let error as UsageError {
            Console.err("error: \(error)\n")
            return ExitStatus.usage
        } catch {
            Console.err("error: \(error)\n")
            return ExitStatus.usage
        }
    }

    static func check(_ parsed: CommandLineArguments) async throws -> Int32 {
        let org = try SalesforceOrg(try parsed.required("domain"))
        let version = try parsed.value("api-version").map { text in
            try APIVersion(text.hasPrefix("v") ? text : "v" + text)
        } ?? .default
        let endpoints = SalesforceEndpoints(org: org, version: version)
        let secret = Secret(ProcessInfo.processInfo.environment["FERRY_CLIENT_SECRET"] ?? "")
        guard !secret.isEmpty else {
            throw UsageError("the client secret is missing: set FERRY_CLIENT_SECRET to the External Client App's Consumer Secret")
        }
        let templatePath = try parsed.required("template")
        guard let templateData = FileManager.default.contents(atPath: templatePath) else {
            throw UsageError("cannot read the template file \(templatePath)")
        }
        let template: PayloadTemplate
        do {
            template = try PayloadTemplate(String(decoding: templateData, as: UTF8.self), name: templatePath)
        } catch {
            throw UsageError(error.summary)
        }
        let dataPath = try parsed.required("data")
        guard let data = FileManager.default.contents(atPath: dataPath) else {
            throw UsageError("cannot read the data file \(dataPath)")
        }
        let lineNumber = try parsed.integer("line", default: 1)
        let lines = String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false)
        guard lineNumber <= lines.count, !lines[lineNumber - 1].trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("\(dataPath) has no line \(lineNumber) with data")
        }
        let authentication: ClientAuthentication = parsed.value("auth") == "body" ? .body : .basic
        let transport = URLSessionTransport()
        let provider = try ClientCredentialsTokenProvider.salesforce(
            org: org, clientID: try parsed.required("client-id"), clientSecret: secret,
            authentication: authentication, transport: transport)

        var findings: [Finding] = []
        var table = ""
        defer {
            var text = ""
            for finding in findings { text += (finding.ok ? "ok       " : "PROBLEM  ") + finding.text + "\n" }
            if !table.isEmpty { text += "\n" + table }
            let problems = findings.filter { !$0.ok }.count
            text += problems == 0 ? "\nNo problems found.\n" : "\n\(problems) problem\(problems == 1 ? "" : "s") found.\n"
            Console.out(text)
        }

        // 1. Token.
        do {
            let token = try await provider.token()
            findings.append(Finding(ok: true, text: "token: received from \(endpoints.token.absoluteString) (\(token.redactedValue))"))
        } catch {
            findings.append(Finding(ok: false, text: "token: \(error)"))
            return ExitStatus.failure
        }

        // 2. Render the sample.
        let context: JSONValue
        do {
            context = try JSONValue(parsing: String(lines[lineNumber - 1]))
        } catch {
            findings.append(Finding(ok: false, text: "data line \(lineNumber): not valid JSON (\(error)); each line must be one JSON object"))
            return ExitStatus.failure
        }
        let payload: JSONValue
        do {
            switch try template.render(context) {
            case .aborted(let reason):
                findings.append(Finding(ok: false, text: "render: the template aborted line \(lineNumber)\(reason.map { " (\($0))" } ?? ""); pick a line it would send with --line"))
                return ExitStatus.failure
            case .rendered(let text):
                payload = try JSONValue(parsing: text)
                findings.append(Finding(ok: true, text: "render: line \(lineNumber) renders to \(text.count) bytes of valid JSON"))
            }
        } catch let error as TemplateError {
            findings.append(Finding(ok: false, text: "render: \(error.summary)"))
            return ExitStatus.failure
        }

        let authorised = AuthorizingTransport(tokenProvider: provider, transport: transport, origin: org.baseURL)
        if let object = parsed.value("sobject") {
            findings += try await checkObject(
                try APIName(object), externalID: parsed.value("external-id"), payload: payload, endpoints: endpoints,
                transport: authorised)
        } else if let path = parsed.value("apex") {
            findings += try await checkApex(path: path, ping: parsed.flag("ping"), endpoints: endpoints, transport: authorised)
        }
        if parsed.flag("verify") && findings.allSatisfy(\.ok) {
            let plan = try verificationPlan(parsed, payload: payload, endpoints: endpoints)
            do {
                let report = try await IntegrationVerifier(transport: authorised, endpoints: endpoints)
                    .verify(payload: payload.objectValue ?? [:], plan: plan)
                table = report.table
                let mismatches = report.mismatches.count
                findings.append(Finding(
                    ok: mismatches == 0,
                    text: "verify: test record \(report.recordID) in \(report.object.fullName), found by \(report.foundBy): "
                        + (mismatches == 0 ? "all \(report.comparisons.count) fields match" : "\(mismatches) of \(report.comparisons.count) fields differ (table below)")))
                if !report.unmappedKeys.isEmpty {
                    findings.append(Finding(ok: true, text: "verify: not compared (no field name follows from them; use --map KEY=FIELD): \(report.unmappedKeys.joined(separator: ", "))"))
                }
                if let problem = report.deleteProblem {
                    findings.append(Finding(ok: false, text: "verify: \(problem)"))
                } else {
                    findings.append(Finding(ok: true, text: report.deleted ? "verify: test record deleted" : "verify: test record kept (--keep)"))
                }
            } catch {
                findings.append(Finding(ok: false, text: "verify: \(error.message)"))
            }
        }
        return findings.allSatisfy(\.ok) ? ExitStatus.success : ExitStatus.failure
    }

    /// The plan `--verify` runs: the destination checked above, the object and key to read back by, and the
    /// payload's keys mapped to fields (by the seed's convention for Apex, as they are for an sObject).
    static func verificationPlan(_ parsed: CommandLineArguments, payload: JSONValue, endpoints: SalesforceEndpoints)
        throws -> VerificationPlan
    {
        guard let object = payload.objectValue else {
            throw UsageError("--verify needs a payload that renders to a JSON object")
        }
        let overrides = try fieldOverrides(parsed)
        let keyField = try parsed.value("key").map { try APIName($0) }
        if let path = parsed.value("apex") {
            let namespace = try parsed.value("namespace").map { try ApexNamespace($0) }
            let (mapping, _) = VerificationPlan.conventionalFieldMap(
                payloadKeys: Array(object.keys), namespace: namespace?.prefix, overrides: overrides)
            var plan = VerificationPlan(
                destination: .apexREST(try apexURL(path: path, endpoints: endpoints)), object: try APIName(try parsed.required("object")),
                keyField: keyField, fieldMap: mapping)
            plan.keep = parsed.flag("keep")
            return plan
        }
        let target = try APIName(try parsed.required("sobject"))
        let mapping = object.keys.compactMap { key -> VerificationPlan.FieldMapping? in
            if let field = overrides[key] { return VerificationPlan.FieldMapping(key: key, field: field) }
            return (try? APIName(key)).map { VerificationPlan.FieldMapping(key: key, field: $0) }
        }
        var plan = VerificationPlan(destination: .sObject, object: target, keyField: keyField, fieldMap: mapping)
        plan.keep = parsed.flag("keep")
        return plan
    }

    /// The `--map KEY=FIELD` pairs, checked before anything is sent.
    static func fieldOverrides(_ parsed: CommandLineArguments) throws -> [String: APIName] {
        var overrides: [String: APIName] = [:]
        for pair in parsed.all("map") {
            guard let equals = pair.firstIndex(of: "="), equals != pair.startIndex, pair.index(after: equals) != pair.endIndex else {
                throw UsageError("--map '\(pair)' must be KEY=FIELD, e.g. --map \"User Rating=CleverTap__npsScore__c\"")
            }
            overrides[String(pair[..<equals])] = try APIName(String(pair[pair.index(after: equals)...]))
        }
        return overrides
    }

    /// `BASE_URL/services/apexrest/PATH`, with a leading namespace segment recognised as such.
    static func apexURL(path: String, endpoints: SalesforceEndpoints) throws -> URL {
        let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
        var parts = trimmed.split(separator: "/", maxSplits: 1).map(String.init)
        if parts.count == 2, (try? ApexNamespace(parts[0])) != nil {
            let namespace = try ApexNamespace(parts.removeFirst())
            return endpoints.apexREST(mapping: try ApexURLMapping("/" + parts[0]), namespace: namespace)
        }
        return endpoints.apexREST(mapping: try ApexURLMapping("/" + trimmed))
    }

    static func checkObject(
        _ object: APIName, externalID: String?, payload: JSONValue, endpoints: SalesforceEndpoints,
        transport: any HTTPTransport
    ) async throws -> [Finding] {
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(
                method: .get, url: endpoints.sObjectDescribe(object), headers: ["Accept": "application/json"]))
        } catch {
            return [Finding(ok: false, text: "describe \(object.fullName): \(error)")]
        }
        switch response.status {
        case 200:
            break
        case 404:
            return [Finding(ok: false, text: "describe \(object.fullName): the object does not exist or the Run As user cannot see it; check the API name (with __c and any namespace prefix) and the user's object permissions")]
        default:
            return [Finding(ok: false, text: "describe \(object.fullName): \(DeliveryFailure(response: response, context: "reading the object's fields").message)")]
        }
        let describe: SObjectDescribe
        do {
            describe = try SObjectDescribe.decode(from: response.body)
        } catch {
            return [Finding(ok: false, text: "describe \(object.fullName): \(error)")]
        }
        let problems = describe.problems(in: payload, externalIDField: externalID)
        if problems.isEmpty {
            return [Finding(ok: true, text: "fields: the payload fits \(describe.name) (\(payload.objectValue?.count ?? 0) fields checked)")]
        }
        return problems.map { Finding(ok: false, text: "fields: \($0.message)") }
    }

    static func checkApex(path: String, ping: Bool, endpoints: SalesforceEndpoints, transport: any HTTPTransport)
        async throws -> [Finding]
    {
        let url = try apexURL(path: path, endpoints: endpoints)
        var findings: [Finding] = []
        let probe: HTTPResponse
        do {
            // A GET reaches the class's URL without writing: a class with only @HttpPost answers 405, a wrong
            // path 404.
            probe = try await transport.send(HTTPRequest(method: .get, url: url, headers: ["Accept": "application/json"]))
        } catch {
            return [Finding(ok: false, text: "apex \(url.path): \(error)")]
        }
        if probe.status == 404 {
            findings.append(Finding(ok: false, text: "apex \(url.path): no Apex REST class answers here (404). The usual cause is a missing namespace prefix: use /services/apexrest/<namespace>/<mapping>, e.g. --apex CleverTap/InsertNPSFeedback; also check the class's urlMapping (case-sensitive)"))
            return findings
        }
        if probe.status == 401 || probe.status == 403 {
            findings.append(Finding(ok: false, text: "apex \(url.path): \(DeliveryFailure(response: probe, context: "reaching the class").message); give the Run As user access to the Apex class"))
            return findings
        }
        findings.append(Finding(ok: true, text: "apex \(url.path): the class is there (HTTP \(probe.status) to GET)"))
        if ping {
            let request = HTTPRequest(
                method: .post, url: url, headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: Data(#"{"is_test":true}"#.utf8))
            do {
                let response = try await transport.send(request)
                switch StandardApexReplyInterpreter().interpret(response, for: request) {
                case .success(let success):
                    findings.append(Finding(ok: true, text: "ping: {\"is_test\": true} accepted (HTTP \(success.status))"))
                case .failure(let failure):
                    findings.append(Finding(ok: false, text: "ping: \(failure.description)"))
                }
            } catch {
                findings.append(Finding(ok: false, text: "ping: \(error)"))
            }
        }
        return findings
    }
}
