import Ferry
import Foundation

extension SendCommand {
    /// Marks the lines an earlier run with this outbox finished: delivered (the outbox remembers their ids) or
    /// failed for good (in its dead letters, reported again with their reason). They are not sent again.
    /// - Returns: Which lines are finished, by line number, and how many dead letters belong to another input.
    static func accountForEarlierRuns(of input: SendInput, in outbox: FileOutbox, tally: SendTally) async
        -> (finished: [Bool], foreignDeadLetters: Int)
    {
        var finished = [Bool](repeating: false, count: input.lastLineNumber + 1)
        var dead: [String: DeliveryFailure] = [:]
        for letter in (try? await outbox.deadLetters(limit: Int.max)) ?? [] { dead[letter.item.id] = letter.failure }
        var matched = 0
        for line in input.lines {
            let id = line.id
            if outbox.wasAcknowledged(id) {
                tally.recordDeliveredEarlier(line: line.number)
                finished[line.number] = true
            } else if let failure = dead[id] {
                tally.recordFailedEarlier(line: line.number, failure: failure)
                finished[line.number] = true
                matched += 1
            }
        }
        return (finished, dead.count - matched)
    }

    /// Parses and renders each line not yet finished and hands the payloads to the pipeline in chunks (one group
    /// commit per chunk with a durable outbox). Lines that cannot be parsed or rendered, and lines the template
    /// aborts, are recorded with the pipeline so they reach the report with their line number.
    ///
    /// With `orderBy` (`--order-by`), each item's ordering key is the value at that path in its line's context, so
    /// the lines of one record (one user, say) are delivered one at a time in file order; a line without a text
    /// or number there fails with `ORDER_BY_MISSING` rather than going out unordered.
    static func handOver(
        _ input: SendInput, skipping finished: [Bool], to pipeline: DeliveryPipeline, renderer: any PayloadRenderer,
        tally: SendTally, orderBy: [String]? = nil
    ) async {
        var chunk: [DeliveryItem] = []
        chunk.reserveCapacity(chunkSize)
        func record(_ outcome: DeliveryOutcome) {
            pipeline.record(outcome)
            tally.countSent()
        }
        for line in input.lines where !finished[line.number] {
            let id = line.id
            switch SendInput.context(of: line) {
            case .failure(let failure):
                record(.failed(DeliveryItem(id: id, payload: .null, sequence: line.number), failure, gaveUp: false))
            case .success(let context):
                var orderingKey: String?
                if let orderBy {
                    guard let key = Self.orderingKey(in: context, at: orderBy) else {
                        record(.failed(DeliveryItem(id: id, payload: .null, sequence: line.number), DeliveryFailure(
                            status: nil, errorCode: .orderByMissing,
                            message: "line \(line.number) has no text or number at \(orderBy.joined(separator: ".")) for --order-by, so it cannot be ordered with the other lines of its record; add the value to the line, or drop --order-by",
                            retryability: .final), gaveUp: false))
                        continue
                    }
                    orderingKey = key
                }
                switch renderer.render(context) {
                case .payload(let payload):
                    var item = DeliveryItem(id: id, payload: payload, sequence: line.number)
                    item.orderingKey = orderingKey
                    chunk.append(item)
                case .aborted(let reason):
                    record(.aborted(itemID: id, sequence: line.number, reason: reason))
                case .failed(let failure):
                    record(.failed(DeliveryItem(id: id, payload: .null, sequence: line.number), failure, gaveUp: false))
                }
            }
            if chunk.count >= chunkSize {
                await send(chunk, to: pipeline, tally: tally)
                chunk.removeAll(keepingCapacity: true)
            }
        }
        if !chunk.isEmpty { await send(chunk, to: pipeline, tally: tally) }
    }

    /// The text of the string or number at `path` in a line's context, or `nil` when there is none.
    static func orderingKey(in context: JSONValue, at path: [String]) -> String? {
        guard let object = context.objectValue, let first = path.first,
            let (value, depth) = object.descend(first, Array(path.dropFirst())), depth == path.count - 1
        else { return nil }
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let number): return number.text
        default: return nil
        }
    }

    /// Hands a chunk to the pipeline. When the outbox refuses it, the items are handed over one by one, so one
    /// item the outbox cannot take (too large, say) fails alone, with the outbox's reason, and the run goes on.
    static func send(_ chunk: [DeliveryItem], to pipeline: DeliveryPipeline, tally: SendTally) async {
        do {
            try await pipeline.send(contentsOf: chunk)
            tally.countSent(chunk.count)
            return
        } catch {}
        for item in chunk {
            do {
                try await pipeline.send(item)
            } catch {
                pipeline.record(.failed(item, DeliveryFailure(
                    status: nil, errorCode: .notAccepted,
                    message: "line \(item.sequence ?? 0) was not accepted for delivery: \(error); nothing was sent",
                    retryability: .final), gaveUp: false))
            }
            tally.countSent()
        }
    }

    /// The summary on stdout, and each failed line (the first 20) on stderr.
    static func printSummary(
        _ totals: SendTally.Totals, report: DeliveryReport, tokenRequests: Int, options: SendOptions, target: String,
        foreignDeadLetters: Int, outboxCloseError: (any Error)?
    ) {
        Console.out(
            "Sent \(options.dataPath) to \(target): \(totals.delivered) of \(totals.total) lines delivered"
                + (totals.deliveredEarlier > 0 ? " (\(totals.deliveredEarlier) by an earlier run)" : "")
                + ", \(totals.failed) failed, \(totals.aborted) aborted; \(report.attempts) attempts, "
                + "\(report.apiCalls) API calls, \(tokenRequests) token requests.\n")
        var diagnostics = ""
        for failure in totals.failures.prefix(20) {
            diagnostics += "\(options.dataPath):\(failure.line): \(failure.errorCode)"
                + (failure.status.map { " (HTTP \($0))" } ?? "") + ": \(failure.message)\n"
        }
        if totals.failures.count > 20 {
            diagnostics += "... and \(totals.failures.count - 20) more failed lines"
                + (options.reportPath.map { " in \($0)" } ?? "; --report FILE lists them all") + "\n"
        }
        if totals.foreignDelivered + totals.foreignFailed > 0 || foreignDeadLetters > 0 {
            diagnostics += "note: the outbox also held items of another input: \(totals.foreignDelivered) delivered, "
                + "\(totals.foreignFailed) failed in this run, \(foreignDeadLetters) dead letters; they are not counted above\n"
        }
        if let outboxCloseError { diagnostics += "warning: --outbox: \(outboxCloseError)\n" }
        if !diagnostics.isEmpty { Console.err(diagnostics) }
    }
}
