import Ferry
import Foundation

/// The checked options of one `ferry send` run. Everything here is validated before any request is sent, so
/// a mistake costs no traffic (exit status 2).
struct SendOptions {
    /// Where each payload goes.
    enum Target {
        case apex(ApexURLMapping)
        case collections(APIName, externalID: APIName?)
    }

    let org: SalesforceOrg
    let clientID: String
    let secret: Secret
    let templatePath: String
    let templateSource: String
    let dataPath: String
    let target: Target
    let version: APIVersion
    let concurrency: PositiveCount
    let maximumAttempts: Int
    let reportPath: String?
    let outboxPath: String?
    let retryBase: Duration
    let retryCap: Duration
    let cooldown: Duration
    let lease: Duration
    let apiReservePercent: Int
    /// `--order-by`: the keys of a path into each line's render context whose value orders Apex deliveries.
    let orderBy: [String]?

    static let spec = CommandLineArguments.Spec(
        valued: [
            "domain", "client-id", "template", "data", "apex", "sobject", "external-id", "api-version",
            "concurrency", "max-attempts", "report", "outbox", "retry-base-ms", "retry-max-ms", "cooldown-ms",
            "api-reserve-percent", "lease-ms", "order-by",
        ],
        flags: [])

    /// Parses and checks the arguments and the environment; reads the template (parsed by the caller, whose errors
    /// have their own `FILE:LINE:COLUMN: error:` form).
    /// - Throws: ``UsageError`` with a message that says what to fix.
    init(_ arguments: [String], environment: [String: String]) throws(UsageError) {
        let parsed = try CommandLineArguments(arguments, spec: SendOptions.spec)
        guard parsed.positionals.isEmpty else { throw UsageError("unexpected argument '\(parsed.positionals[0])'") }
        let domain = try parsed.required("domain")
        clientID = try parsed.required("client-id")
        guard !clientID.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw UsageError("--client-id is empty: give the External Client App's Consumer Key")
        }
        templatePath = try parsed.required("template")
        dataPath = try parsed.required("data")

        switch (parsed.value("apex"), parsed.value("sobject")) {
        case (nil, nil):
            throw UsageError("say where records go: --apex PATH (an Apex REST class) or --sobject NAME (sObject Collections)")
        case (.some, .some):
            throw UsageError("--apex and --sobject exclude each other: choose one destination")
        case (let path?, nil):
            guard parsed.value("external-id") == nil else {
                throw UsageError("--external-id applies to --sobject only; an Apex class upserts on the Idempotency-Key header")
            }
            let trimmed = path.hasPrefix("/") ? String(path.dropFirst()) : path
            let mapping: ApexURLMapping
            do { mapping = try ApexURLMapping("/" + trimmed) } catch { throw UsageError("--apex: \(error.message)") }
            guard !mapping.hasWildcard else {
                throw UsageError("--apex '\(path)' holds a '*' wildcard; give the path to call, with the wildcard replaced")
            }
            target = .apex(mapping)
        case (nil, let name?):
            let object: APIName
            do { object = try APIName(name) } catch { throw UsageError("--sobject: \(error)") }
            var externalID: APIName?
            if let field = parsed.value("external-id") {
                do { externalID = try APIName(field) } catch { throw UsageError("--external-id: \(error)") }
            }
            target = .collections(object, externalID: externalID)
        }
        if let path = parsed.value("order-by") {
            guard case .apex = target else {
                throw UsageError("--order-by applies to --apex only; with --sobject, --external-id FIELD orders the lines of each record by that field's value")
            }
            let keys = path.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            guard keys.allSatisfy({ !$0.isEmpty && !$0.contains(where: \.isWhitespace) }) else {
                throw UsageError("--order-by '\(path)' is not a path: give dot-separated keys into each line's render context, e.g. Profile.Identity")
            }
            orderBy = keys
        } else {
            orderBy = nil
        }

        if let text = parsed.value("api-version") {
            do { version = try APIVersion(text) } catch { throw UsageError("--api-version: \(error.message)") }
        } else {
            version = .default
        }
        // The range starts at 1, so the count is positive; the check stays where the value is made.
        let requested = try parsed.integer("concurrency", default: 8, in: 1...50)
        do { concurrency = try PositiveCount(requested, for: "--concurrency") } catch { throw UsageError(error.message) }
        maximumAttempts = try parsed.integer("max-attempts", default: 8, in: 1...50)
        retryBase = .milliseconds(try parsed.integer("retry-base-ms", default: 500, in: 1...600_000))
        retryCap = .milliseconds(try parsed.integer("retry-max-ms", default: 60_000, in: 1...3_600_000))
        guard retryCap >= retryBase else {
            throw UsageError(
                "--retry-max-ms (\(Self.milliseconds(retryCap))) must not be below --retry-base-ms "
                    + "(\(Self.milliseconds(retryBase))): the cap bounds every retry pause; raise --retry-max-ms or "
                    + "lower --retry-base-ms")
        }
        cooldown = .milliseconds(try parsed.integer("cooldown-ms", default: 30_000, in: 1...3_600_000))
        lease = .milliseconds(try parsed.integer("lease-ms", default: 300_000, in: 100...3_600_000))
        apiReservePercent = try parsed.integer("api-reserve-percent", default: 10, in: 0...100)
        reportPath = parsed.value("report")
        outboxPath = parsed.value("outbox")

        let secretText = environment["FERRY_CLIENT_SECRET"] ?? ""
        guard !secretText.isEmpty else {
            throw UsageError(
                "the client secret is missing: set the environment variable FERRY_CLIENT_SECRET to the External Client App's Consumer Secret (it is never read from the command line)")
        }
        secret = Secret(secretText)

        // The org last among the flags: an http:// host other than loopback is refused here, before any traffic.
        do { org = try SalesforceOrg(domain) } catch { throw UsageError("--domain: \(error.message)") }

        guard let templateData = FileManager.default.contents(atPath: templatePath) else {
            throw UsageError("cannot read template file '\(templatePath)'")
        }
        guard let source = String(data: templateData, encoding: .utf8) else {
            throw UsageError("template file '\(templatePath)' is not UTF-8 text")
        }
        templateSource = source
        if let reportPath {
            let directory = URL(fileURLWithPath: reportPath).deletingLastPathComponent().path
            var isDirectory: ObjCBool = false
            guard FileManager.default.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue,
                FileManager.default.isWritableFile(atPath: directory)
            else {
                throw UsageError("--report: the directory '\(directory)' does not exist or is not writable")
            }
        }
    }

    /// The endpoints at the chosen API version.
    var endpoints: SalesforceEndpoints { SalesforceEndpoints(org: org, version: version) }

    /// The retry policy the flags describe.
    var retryPolicy: ExponentialBackoff {
        ExponentialBackoff(
            base: retryBase, cap: retryCap, maximumAttempts: maximumAttempts, limitPause: min(.seconds(30), retryCap))
    }

    /// A duration given in whole milliseconds, as the flags spell it.
    private static func milliseconds(_ duration: Duration) -> String {
        "\(duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000)"
    }
}
