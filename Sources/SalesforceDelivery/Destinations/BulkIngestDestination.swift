import FerryCore
import FerryDelivery
import Foundation
import SalesforceModels

/// Delivers large backfills through Bulk API 2.0 ingest: one job per batch (CSV upload, close, poll with backoff),
/// then the result CSVs mapped back to the items.
///
/// Use it for many thousands of records at once; for a live stream, ``SObjectCollectionsDestination`` answers
/// faster. Result rows come back in no particular order: they are matched to items by the external ID field for
/// upserts, and otherwise by their field values (identical rows are interchangeable). A job still running after
/// ``maximumWait`` is aborted and its items are retried later.
///
/// A batch whose CSV would be over ``maximumUploadBytes`` (100 MB: Salesforce base64-encodes an upload, which
/// grows it by about a half, and refuses more than 150 MB encoded) runs as several jobs, each under the limit; a
/// single record over it fails at once with ``/FerryDelivery/DeliveryErrorCode/payloadTooLarge`` and is not sent.
public struct BulkIngestDestination: Destination {
    /// The most CSV one job uploads: 100,000,000 bytes, Salesforce's advice for staying under its 150 MB limit
    /// on base64-encoded upload data.
    public static let uploadLimit = 100_000_000


    /// The org's endpoints.
    public let endpoints: SalesforceEndpoints
    /// The object, e.g. `Feedback__c`.
    public let object: APIName
    /// Insert, or upsert by external ID (recommended: a retried job then never duplicates).
    public let mode: SObjectWriteMode
    /// Records per job (default 10,000).
    public let batchSize: Int
    /// The first pause between status polls (default 1 s); it grows by half each time up to 30 s.
    public let pollInterval: Duration
    /// How long to wait for a job before aborting it (default 30 minutes).
    public let maximumWait: Duration
    /// The clock for polling.
    public let clock: any FerryClock
    /// The most CSV bytes one job uploads (default ``uploadLimit``); a larger batch runs as several jobs.
    public let maximumUploadBytes: Int

    /// Creates the destination.
    /// - Parameters:
    ///   - endpoints: The org's endpoints.
    ///   - object: The object.
    ///   - mode: Insert (`.create`) or upsert by external ID.
    ///   - batchSize: Records per job (default 10,000).
    ///   - pollInterval: The first pause between polls (default 1 s).
    ///   - maximumWait: The longest to wait for a job (default 30 minutes).
    ///   - clock: The clock for polling.
    ///   - maximumUploadBytes: The most CSV bytes one job uploads (default ``uploadLimit``, 100 MB).
    public init(
        endpoints: SalesforceEndpoints, object: APIName, mode: SObjectWriteMode = .create, batchSize: Int = 10_000,
        pollInterval: Duration = .seconds(1), maximumWait: Duration = .seconds(1800), clock: any FerryClock = SystemClock(),
        maximumUploadBytes: Int = BulkIngestDestination.uploadLimit
    ) {
        self.maximumUploadBytes = maximumUploadBytes
        self.endpoints = endpoints
        self.object = object
        self.mode = mode
        self.batchSize = max(1, batchSize)
        self.pollInterval = pollInterval
        self.maximumWait = maximumWait
        self.clock = clock
    }

    /// Records per job.
    public var maximumBatchSize: Int { batchSize }

    /// Runs one ingest job for the batch (several when its CSV is over ``maximumUploadBytes``).
    /// - Parameters:
    ///   - batch: The items.
    ///   - transport: The authorising transport.
    /// - Returns: One result per item, in order.
    public func deliver(_ batch: [DeliveryItem], using transport: any HTTPTransport) async -> [DeliveryAttemptResult] {
        var results = [DeliveryAttemptResult?](repeating: nil, count: batch.count)
        let table = BulkTable(batch, externalIDField: mode.externalIDField)
        for (index, failure) in table.rejected { results[index] = .failed(failure) }
        let (jobs, oversized) = table.rows.isEmpty ? ([], []) : table.uploads(maximumBytes: maximumUploadBytes)
        for (index, bytes) in oversized {
            results[index] = .failed(.payloadTooLarge(
                bytes: bytes, limit: maximumUploadBytes, what: "this record's Bulk API CSV upload (with the header row)",
                fix: "Salesforce refuses Bulk API 2.0 uploads over 150 MB once base64-encoded (about 100 MB of CSV): "
                    + "shorten the record's fields."))
        }
        for (job, csv) in jobs {
            let outcomes: [Int: DeliveryAttemptResult]
            do {
                outcomes = try await runJob(job, csv: csv, using: transport)
            } catch let failure as DeliveryFailure {
                outcomes = Dictionary(uniqueKeysWithValues: job.itemIndices.map { ($0, .failed(failure)) })
            } catch {
                let failure = DeliveryFailure(error: error)
                outcomes = Dictionary(uniqueKeysWithValues: job.itemIndices.map { ($0, .failed(failure)) })
            }
            for (index, outcome) in outcomes { results[index] = outcome }
        }
        return results.map {
            $0 ?? .failed(DeliveryFailure(
                status: nil, errorCode: .bulkResultMissing,
                message: "the Bulk API job reported no result for this record; it may or may not be stored",
                retryability: mode.externalIDField == nil ? .final : .transient))
        }
    }

    private var context: String { "Bulk API \(mode.externalIDField == nil ? "insert" : "upsert") into \(object.fullName)" }

    /// Creates the job, uploads `csv` (the table's rows), closes and polls the job, then maps its results. Throws a
    /// ``/FerryDelivery/DeliveryFailure`` for a failure of the whole job.
    private func runJob(_ table: BulkTable, csv: String, using transport: any HTTPTransport) async throws -> [Int: DeliveryAttemptResult] {
        let jobRequest: BulkIngestJobRequest
        do {
            jobRequest = try BulkIngestJobRequest(
                object: object, operation: mode.externalIDField == nil ? .insert : .upsert,
                externalIDField: mode.externalIDField)
        } catch {
            throw DeliveryFailure(status: nil, errorCode: .bulkJobInvalid, message: "\(error)", retryability: .final)
        }
        let created = try await expect(
            [200, 201],
            HTTPRequest(method: .post, url: endpoints.bulkIngestJobs,
                        headers: ["Content-Type": "application/json", "Accept": "application/json"],
                        body: jobRequest.jsonValue.jsonData()),
            transport, step: "creating the job")
        let job = try decodeJob(created)
        let jobURL = try url { () throws(SalesforceOrgError) in try endpoints.bulkIngestJob(job.id) }
        _ = try await expect(
            [201],
            HTTPRequest(method: .put, url: try url { () throws(SalesforceOrgError) in try endpoints.bulkIngestBatches(job.id) },
                        headers: ["Content-Type": "text/csv"], body: Data(csv.utf8)),
            transport, step: "uploading the CSV")
        _ = try await expect(
            [200],
            HTTPRequest(method: .patch, url: jobURL, headers: ["Content-Type": "application/json"],
                        body: BulkIngestJobRequest.uploadCompleteBody.jsonData()),
            transport, step: "closing the job")

        let final = try await poll(jobURL, using: transport)
        guard final.state == .jobComplete else {
            let reason = final.errorMessage.map { ": \($0)" } ?? ""
            throw DeliveryFailure(
                status: nil, errorCode: .bulkJobEnded(final.state.rawValue),
                message: "\(context): the job \(job.id) ended \(final.state)\(reason)",
                retryability: final.state == .failed ? .final : .transient)
        }
        var outcomes: [Int: DeliveryAttemptResult] = [:]
        var matcher = table.matcher()
        let successCSV = try await fetchCSV(
            try url { () throws(SalesforceOrgError) in try endpoints.bulkIngestSuccessfulResults(job.id) }, transport, "successful results")
        for row in (try? BulkSuccessfulRow.parse(successCSV)) ?? [] {
            if let index = matcher.take(row.fields) {
                outcomes[index] = .delivered(DeliveryReceipt(status: 200, salesforceID: row.id, created: row.created))
            }
        }
        let failedCSV = try await fetchCSV(
            try url { () throws(SalesforceOrgError) in try endpoints.bulkIngestFailedResults(job.id) }, transport, "failed results")
        for row in (try? BulkFailedRow.parse(failedCSV)) ?? [] {
            if let index = matcher.take(row.fields) {
                outcomes[index] = .failed(DeliveryFailure(
                    status: nil, errorCode: .salesforce(row.error.errorCode.rawValue), message: "\(context) failed: \(row.error.message)",
                    retryability: Retryability(row.error.retryAdvice, status: nil)))
            }
        }
        let unprocessedCSV = try await fetchCSV(
            try url { () throws(SalesforceOrgError) in try endpoints.bulkIngestUnprocessedRecords(job.id) }, transport, "unprocessed records")
        for row in (try? CSVTable(parsing: unprocessedCSV).dictionaries) ?? [] {
            if let index = matcher.take(row) {
                outcomes[index] = .failed(DeliveryFailure(
                    status: nil, errorCode: .bulkUnprocessed,
                    message: "\(context): the job ended before processing this record", retryability: .transient))
            }
        }
        return outcomes
    }

    private func poll(_ jobURL: URL, using transport: any HTTPTransport) async throws -> BulkIngestJobInfo {
        let started = clock.now
        var pause = pollInterval
        while true {
            let response = try await expect(
                [200], HTTPRequest(method: .get, url: jobURL, headers: ["Accept": "application/json"]), transport,
                step: "polling the job")
            let info = try decodeJob(response)
            if info.state.isTerminal { return info }
            if clock.now.timeIntervalSince(started) >= maximumWait.seconds {
                _ = try? await transport.send(HTTPRequest(
                    method: .patch, url: jobURL, headers: ["Content-Type": "application/json"],
                    body: BulkIngestJobRequest.abortBody.jsonData()))
                throw DeliveryFailure(
                    status: nil, errorCode: .bulkJobTimeout,
                    message: "\(context): the job \(info.id) was still \(info.state) after \(Int(maximumWait.seconds)) s and was aborted; its records will be retried",
                    retryability: .transient)
            }
            try await clock.sleep(for: pause)
            pause = min(pause * 1.5, .seconds(30))
        }
    }

    private func expect(_ statuses: Set<Int>, _ request: HTTPRequest, _ transport: any HTTPTransport, step: String)
        async throws -> HTTPResponse
    {
        let response = try await transport.send(request)
        guard statuses.contains(response.status) else {
            throw DeliveryFailure(response: response, context: "\(context) (\(step))")
        }
        return response
    }

    private func fetchCSV(_ url: URL, _ transport: any HTTPTransport, _ what: String) async throws -> String {
        let response = try await expect(
            [200], HTTPRequest(method: .get, url: url, headers: ["Accept": "text/csv"]), transport,
            step: "downloading the \(what)")
        return response.bodyText
    }

    private func decodeJob(_ response: HTTPResponse) throws -> BulkIngestJobInfo {
        do {
            return try BulkIngestJobInfo.decode(from: response.body)
        } catch {
            throw DeliveryFailure(
                status: response.status, errorCode: .bulkJobUnreadable, message: "\(context): \(error)",
                retryability: .transient)
        }
    }

    private func url(_ make: () throws(SalesforceOrgError) -> URL) throws -> URL {
        do {
            return try make()
        } catch {
            throw DeliveryFailure(status: nil, errorCode: .bulkJobInvalid, message: "\(error)", retryability: .final)
        }
    }
}
