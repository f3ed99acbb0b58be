import Ferry
import Foundation

/// `ferry send`: renders every line of a JSONL file with a payload template and delivers it to an Apex REST class
/// or through sObject Collections, with retries, an optional durable outbox, and a report that accounts for
/// every line.
enum SendCommand: Command {
    static let name = "send"
    static let summary = "Send each line of a JSONL file to Salesforce (Apex REST or sObject Collections)."
    static let help = """
        USAGE: ferry send --domain BASE_URL --client-id ID --template FILE --data FILE.jsonl
                          (--apex PATH [--order-by PATH.TO.FIELD] | --sobject NAME [--external-id FIELD])
                          [--api-version N] [--concurrency N] [--max-attempts N] [--report FILE] [--outbox DIR]

        Renders each line of FILE.jsonl with the JSON payload template FILE and delivers the result to Salesforce,
        with an OAuth 2.0 client-credentials token, retries with exponential backoff, and a report.

        OPTIONS:
          --domain BASE_URL     The org's My Domain, e.g. https://acme.my.salesforce.com (http:// only for loopback
                                test servers; anything else is refused before any traffic).
          --client-id ID        The External Client App's Consumer Key.
          --template FILE       A JSON payload template (Liquid): values are escaped for their JSON context, and
                                {% abort %} skips a line (counted as aborted, not failed).
          --data FILE.jsonl     One render context per line: a JSON object whose top-level keys are template
                                variables, e.g. {"Profile": {...}, "Event": {...}}. Blank lines are skipped.
          --apex PATH           POST each payload to BASE_URL/services/apexrest/PATH (include the namespace, e.g.
                                CleverTap/InsertNPSFeedback). Every request carries an Idempotency-Key that stays
                                the same across retries and runs: line-<line number>-<hash of the line>.
          --order-by PATH.TO.FIELD
                                With --apex: the lines whose render context has the same value at this path
                                (e.g. Profile.Identity) are delivered one at a time, in file order, across retries
                                and runs with --outbox; other values still go in parallel. A line without a text
                                or number there fails with ORDER_BY_MISSING.
          --sobject NAME        Render one record's fields per line and send sObject Collections batches of up to
                                200 records (create).
          --external-id FIELD   With --sobject: upsert on FIELD instead of create, so a retry or a second run
                                updates instead of duplicating. The template must fill FIELD. Lines with the same
                                FIELD value are delivered one at a time, in file order (never two in one request,
                                which the org would refuse with DUPLICATE_EXTERNAL_ID), so the last line wins.
          --api-version N       The REST API version for --sobject, e.g. 66.0 (default v66.0).
          --concurrency N       Requests in flight at once, 1 to 50 (default 8; Salesforce allows 25 long-running
                                requests per org, 5 in Developer Edition orgs).
          --max-attempts N      Attempts per line, the first included, 1 to 50 (default 8).
          --api-reserve-percent P
                                Keep P % of the org's daily API requests for its other integrations, 0 to 100
                                (default 10; 0 turns it off): once an answer's Sforce-Limit-Info shows no more
                                left than that, no request starts and the remaining lines fail with
                                API_RESERVE_REACHED and the org's used/limit (with --outbox they stay in the
                                outbox: run the same command again once the allowance allows).
          --report FILE         Write a JSON report: {"total", "delivered", "failed", "attempts", "token_requests",
                                "api_calls", "failures": [{"line", "status", "error_code", "message"}],
                                "aborted", "delivered_in_earlier_runs"} (line = 1-based line of FILE.jsonl;
                                delivered includes lines an earlier run with the same --outbox delivered).
          --outbox DIR          Keep accepted lines in a durable journal in DIR. If the run is killed, running the
                                same command again resumes: lines delivered before are recognised by their line
                                number and content hash and not sent again; lines accepted but not delivered are
                                delivered. Lines that failed for good in an earlier run are reported again from
                                the outbox's dead letters without being resent.

        TUNING (for tests and slow orgs):
          --retry-base-ms MS    The upper bound of the first retry pause, 1 to 600000 (default 500; pauses double
                                up to the cap, with full jitter).
          --retry-max-ms MS     The cap on every pause, including the longer pause after REQUEST_LIMIT_EXCEEDED
                                (30 s unless the cap is lower) and Retry-After, from --retry-base-ms to 3600000
                                (default 60000).
          --cooldown-ms MS      How long the circuit breaker pauses delivery after 5 consecutive transient
                                failures before it probes again, 1 to 3600000 (default 30000; later pauses double
                                up to ten times this).
          --lease-ms MS         How long a deliverer holds the lines it took before another may take them
                                (default 300000, 100 to 3600000). A deliverer renews its leases every third of this
                                while it works, so a slow org never gets a line twice; short leases hand back the
                                lines of a deliverer that stopped sooner.

        Retried: timeouts and connection failures, 5xx (a 500 after the record was stored is safe: the key is the
        same), UNABLE_TO_LOCK_ROW, SERVER_UNAVAILABLE, REQUEST_LIMIT_EXCEEDED (after a longer pause). An expired
        session (401 INVALID_SESSION_ID) fetches one new token and replays. Final after one attempt: 400-class
        errors such as REQUIRED_FIELD_MISSING, a 404 (wrong Apex path or missing namespace), an Apex "Error: ..."
        reply.

        ENVIRONMENT:
          FERRY_CLIENT_SECRET   The Consumer Secret (required; never passed on the command line).

        OUTPUT: a summary on stdout; each failed line on stderr as FILE.jsonl:LINE: CODE (HTTP status): reason
        (the first 20); a progress line on stderr while it runs, when stderr is a terminal.

        EXIT STATUS: 0 every line delivered (or aborted by the template); 1 some lines failed (see the report);
        2 usage or configuration error: bad flags, unreadable files, a template that does not parse
        (FILE:LINE:COLUMN: error: MESSAGE), a refused client id or secret, a locked outbox, or http:// to a host
        that is not loopback. Nothing is delivered then.
        """

    /// Lines per `send(contentsOf:)`: with a durable outbox, one group commit for the whole chunk.
    static let chunkSize = 256

    static func run(_ arguments: [String]) async -> Int32 {
        let options: SendOptions
        do {
            options = try SendOptions(arguments, environment: ProcessInfo.processInfo.environment)
        } catch {
            return usage(error.message)
        }
        let template: PayloadTemplate
        do {
            template = try PayloadTemplate(options.templateSource, name: options.templatePath)
        } catch {
            Console.err(error.description + "\n")
            return ExitStatus.usage
        }
        guard let data = FileManager.default.contents(atPath: options.dataPath) else {
            return usage("cannot read data file '\(options.dataPath)'")
        }
        let input = SendInput(Array(data))

        var fileOutbox: FileOutbox?
        if let path = options.outboxPath {
            do {
                fileOutbox = try FileOutbox(
                    directory: URL(fileURLWithPath: path),
                    configuration: FileOutbox.Configuration(
                        acknowledgedIDMemory: try PositiveCount(max(input.lines.count, 10_000), for: "acknowledgedIDMemory")))
            } catch {
                Console.err("error: --outbox: \(error)\n")
                return ExitStatus.usage
            }
        }

        // One transport for the token and the records, with a connection for each request the pipeline keeps in
        // flight: URLSession's default of 6 per host would cap any --concurrency above 6.
        let transport = URLSessionTransport(
            configuration: URLSessionTransport.Configuration(maximumConnectionsPerHost: options.concurrency.value))
        // The report's token_requests is the number of requests sent to the token endpoint (the figure
        // Salesforce's login limits count): the provider reports the end of every fetch, failed ones included.
        let tokenRequests = FerryMutex(0)
        let provider: ClientCredentialsTokenProvider
        do {
            provider = try ClientCredentialsTokenProvider.salesforce(
                org: options.org, clientID: options.clientID, clientSecret: options.secret, transport: transport,
                onEvent: { event in if event.kind.endsFetch { tokenRequests.withLock { $0 += 1 } } })
        } catch {
            try? await fileOutbox?.close()
            return usage("\(error)")
        }
        // One token before any data: refused credentials are a configuration error, not a thousand failed lines.
        // A passing failure (the token endpoint answering 503) is left to the pipeline's retries.
        do {
            _ = try await provider.token()
        } catch let error as AuthError where !error.isRetryable {
            var message = "error: \(error)\n"
            if let code = error.oauthError { message += "oauth error: \(code)\n" }
            Console.err(message + "Nothing was sent.\n")
            try? await fileOutbox?.close()
            return ExitStatus.usage
        } catch {}

        let tally = SendTally(input: input)
        let destination: any Destination
        let targetDescription: String
        switch options.target {
        case .apex(let mapping):
            let url = options.endpoints.apexREST(mapping: mapping)
            destination = ApexRESTDestination(url: url)
            targetDescription = url.absoluteString
        case .collections(let object, let externalID):
            destination = SObjectCollectionsDestination(
                endpoints: options.endpoints, object: object,
                mode: externalID.map { .upsert(externalIDField: $0) } ?? .create)
            targetDescription = "\(object.fullName) (sObject Collections, "
                + (externalID.map { "upsert on \($0.fullName))" } ?? "create)")
        }
        let reserve = APIReserve(percent: Double(options.apiReservePercent))
        let configuration = DeliveryPipeline.Configuration(
            concurrency: options.concurrency,
            retryPolicy: options.retryPolicy,
            circuitBreaker: CircuitBreaker.Configuration(cooldown: options.cooldown, maximumCooldown: options.cooldown * 10),
            leaseDuration: options.lease,
            outcomeHandler: { tally.record($0) },
            apiReserve: reserve)
        let renderer = TemplatePayloadRenderer(template)
        let pipeline = DeliveryPipeline(
            destination: destination, transport: transport, tokenProvider: provider,
            origin: options.org.baseURL, outbox: fileOutbox ?? InMemoryOutbox(),
            configuration: configuration)

        // Lines an earlier run with this outbox finished are accounted for, not sent again.
        var finishedEarlier = [Bool](repeating: false, count: input.lastLineNumber + 1)
        var foreignDeadLetters = 0
        if let fileOutbox {
            (finishedEarlier, foreignDeadLetters) = await accountForEarlierRuns(of: input, in: fileOutbox, tally: tally)
        }

        let progress = SendProgress(enabled: Console.stderrIsTerminal) {
            let totals = tally.totals(of: input, withFailures: false)
            return "ferry send: \(totals.sent + totals.deliveredEarlier)/\(totals.total) lines accepted, "
                + "\(totals.delivered) delivered, \(totals.failed) failed, \(totals.aborted) aborted"
        }

        await handOver(
            input, skipping: finishedEarlier, to: pipeline, renderer: renderer, tally: tally, orderBy: options.orderBy)
        // Waits until every accepted line (and whatever an earlier run left in the outbox) is delivered or failed.
        let result = await pipeline.shutdown(within: nil)
        await progress.finish()
        var outboxCloseError: (any Error)?
        if let fileOutbox {
            do { try await fileOutbox.close() } catch { outboxCloseError = error }
        }

        // Nothing should be left open once shutdown has waited for everything; if it is, say so for each line.
        // Lines the org's API reserve stopped stay in a durable outbox: say why, and what to do.
        let reserveFailure = reserve.failure
        tally.failOpenLines(of: input) { _ in
            if var failure = reserveFailure, options.outboxPath != nil {
                failure.message += "; it is kept in the outbox: run the same command again"
                return failure
            }
            return DeliveryFailure(
                status: nil, errorCode: .notDelivered,
                message: "the run ended before this line was delivered"
                    + (options.outboxPath == nil ? "" : "; it is kept in the outbox: run the same command again"),
                retryability: .final)
        }
        let totals = tally.totals(of: input)
        let reportJSON = report(totals, pipeline: result.report, tokenRequests: tokenRequests.withLock { $0 })

        printSummary(
            totals, report: result.report, tokenRequests: tokenRequests.withLock { $0 }, options: options,
            target: targetDescription, foreignDeadLetters: foreignDeadLetters, outboxCloseError: outboxCloseError)

        if let reportPath = options.reportPath {
            do {
                try Data((reportJSON.jsonString(prettyPrinted: true) + "\n").utf8)
                    .write(to: URL(fileURLWithPath: reportPath), options: .atomic)
            } catch {
                Console.err("error: could not write the report to '\(reportPath)': \(error.localizedDescription)\n")
                return ExitStatus.usage
            }
        }
        return totals.failed > 0 ? ExitStatus.failure : ExitStatus.success
    }

    /// The `--report` JSON: the documented keys first, then `aborted` and `delivered_in_earlier_runs`.
    static func report(_ totals: SendTally.Totals, pipeline: DeliveryReport, tokenRequests: Int) -> JSONValue {
        var object: JSONObject = [:]
        object["total"] = .int(totals.total)
        object["delivered"] = .int(totals.delivered)
        object["failed"] = .int(totals.failed)
        object["attempts"] = .int(pipeline.attempts)
        object["token_requests"] = .int(tokenRequests)
        object["api_calls"] = .int(pipeline.apiCalls)
        object["failures"] = .array(totals.failures.map { failure in
            var entry: JSONObject = [:]
            entry["line"] = .int(failure.line)
            entry["status"] = failure.status.map { .int($0) } ?? .null
            entry["error_code"] = .string(failure.errorCode.rawValue)
            entry["message"] = .string(failure.message)
            return .object(entry)
        })
        object["aborted"] = .int(totals.aborted)
        object["delivered_in_earlier_runs"] = .int(totals.deliveredEarlier)
        return .object(object)
    }

    static func usage(_ message: String) -> Int32 {
        Console.err("error: \(message)\nRun 'ferry send --help' for usage.\n")
        return ExitStatus.usage
    }
}
