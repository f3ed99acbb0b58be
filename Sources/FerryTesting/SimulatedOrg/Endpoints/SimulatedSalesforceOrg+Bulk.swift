import FerryCore
import Foundation
import SalesforceModels

extension SimulatedSalesforceOrg {
    /// `/services/data/vXX.X/jobs/ingest[/<id>[/batches|/successfulResults/|/failedResults/|/unprocessedrecords/]]`.
    func bulk(_ rest: [String], _ request: HTTPRequest, version: APIVersion) -> HTTPResponse {
        let method = request.method
        if rest.isEmpty {
            guard method == .post else {
                return Replies.error(405, .methodNotAllowed, "HTTP Method '\(method)' not allowed. Allowed are POST")
            }
            return createJob(request, version: version)
        }
        let id = rest[0]
        return state.withLock { state -> HTTPResponse in
            guard var job = state.jobs[id] else {
                return Replies.error(404, .notFound, "The requested resource does not exist")
            }
            defer { state.jobs[id] = job }
            switch (rest.count > 1 ? rest[1] : nil, method) {
            case (nil, .get):
                if job.state == .uploadComplete || job.state == .inProgress {
                    if job.pollsInProgress < configuration.bulkPollsBeforeCompletion {
                        job.pollsInProgress += 1
                        job.state = .inProgress
                    } else {
                        process(&job, in: &state)
                    }
                }
                return HTTPResponse(status: 200, json: job.info(version: version))
            case (nil, .patch):
                let wanted = request.body.flatMap { try? JSONValue(parsing: $0) }?["state"]?.stringValue
                switch wanted {
                case "UploadComplete"? where job.state == .open:
                    job.state = .uploadComplete
                case "Aborted"? where !job.state.isTerminal:
                    job.state = .aborted
                    job.unprocessedCSV = job.uploads.joined()
                default:
                    return Replies.error(
                        400, "INVALIDJOBSTATE", "Invalid state transition from \(job.state) to \(wanted ?? "(none)")")
                }
                return HTTPResponse(status: 200, json: job.info(version: version))
            case ("batches"?, .put):
                guard job.state == .open else {
                    return Replies.error(409, "INVALIDJOBSTATE", "Job state is \(job.state); data can only be uploaded to an Open job")
                }
                job.uploads.append(request.body.map { String(decoding: $0, as: UTF8.self) } ?? "")
                return HTTPResponse(status: 201)
            case ("successfulResults"?, .get), ("failedResults"?, .get), ("unprocessedrecords"?, .get):
                guard job.state.isTerminal else {
                    return Replies.error(400, "INVALIDJOBSTATE", "Job \(id) is not complete: its state is \(job.state)")
                }
                let text = rest[1] == "successfulResults" ? job.successfulCSV
                    : rest[1] == "failedResults" ? job.failedCSV : job.unprocessedCSV
                return HTTPResponse(status: 200, headers: ["Content-Type": "text/csv"], text: text)
            default:
                return Replies.error(405, .methodNotAllowed, "HTTP Method '\(method)' not allowed")
            }
        }
    }

    private func createJob(_ request: HTTPRequest, version: APIVersion) -> HTTPResponse {
        guard let data = request.body, let value = try? JSONValue(parsing: data), value.objectValue != nil else {
            return Replies.error(400, .jsonParserError, "The job definition must be a JSON object")
        }
        guard let object = value["object"]?.stringValue, let operation = value["operation"]?.stringValue else {
            return Replies.error(400, "INVALIDJOB", "The job definition needs 'object' and 'operation'")
        }
        guard operation == "insert" || operation == "upsert" else {
            return Replies.error(400, "INVALIDJOB", "The simulated org ingests insert and upsert jobs only, not '\(operation)'")
        }
        let external = value["externalIdFieldName"]?.stringValue
        let now = clock.now
        return state.withLock { state -> HTTPResponse in
            guard let schema = state.objects[object.lowercased()]?.schema else {
                return Replies.error(400, "INVALIDJOB", "Unable to find object: \(object)")
            }
            if operation == "upsert" {
                guard let external, let field = schema.field(named: external), field.externalID else {
                    return Replies.error(
                        400, "INVALIDJOB", "External ID was blank or not an External ID field for \(schema.name.fullName): \(external ?? "")")
                }
            }
            let id = SalesforceIDs.make(prefix: "750", sequence: state.nextSequence)
            state.nextSequence += 1
            let job = BulkJob(
                id: id, object: schema.name.fullName, operation: operation, externalIDField: external,
                lineEnding: value["lineEnding"]?.stringValue ?? "LF", createdDate: now)
            state.jobs[id] = job
            return HTTPResponse(status: 200, json: job.info(version: version))
        }
    }

    /// Processes every uploaded row: stores what is valid, writes the result CSVs, and completes the job.
    private func process(_ job: inout BulkJob, in state: inout OrgState) {
        let key = job.object.lowercased()
        guard let schema = state.objects[key]?.schema else {
            job.state = .failed
            job.errorMessage = "InvalidJob : Unable to find object: \(job.object)"
            return
        }
        var header: [String]?
        var rows: [[String]] = []
        for upload in job.uploads where !upload.isEmpty {
            let table: CSVTable
            do {
                table = try CSVTable(parsing: upload)
            } catch {
                job.state = .failed
                job.errorMessage = "InvalidBatch : \(error.message)"
                return
            }
            if header == nil { header = table.header }
            guard table.header == header else {
                job.state = .failed
                job.errorMessage = "InvalidBatch : every upload must have the same header"
                return
            }
            rows += table.rows
        }
        let columns = header ?? []
        if let unknown = columns.first(where: { schema.field(named: $0) == nil }) {
            job.state = .failed
            job.errorMessage = "InvalidBatch : Field name not found : \(unknown)"
            return
        }
        job.successfulCSV = BulkJob.row(["sf__Id", "sf__Created"] + columns)
        job.failedCSV = BulkJob.row(["sf__Id", "sf__Error"] + columns)
        job.unprocessedCSV = BulkJob.row(columns)
        let validator = RecordValidator(schema: schema, source: .csv)
        let now = clock.now
        for row in rows {
            var fields = JSONObject()
            for (name, cell) in zip(columns, row) where !cell.isEmpty {
                fields[name] = cell == "#N/A" ? .null : .string(cell)
            }
            do throws(SimulatedDMLError) {
                let normalised = try validator.normalise(fields)
                if let externalName = job.externalIDField, let field = schema.field(named: externalName) {
                    guard let value = normalised[field.name.fullName]?.stringValue, !value.isEmpty else {
                        throw SimulatedDMLError("MISSING_ARGUMENT", "\(field.name.fullName) not specified", fields: [field.name.fullName])
                    }
                    switch try state.upsert(key, field: field, value: value, normalised, validator: validator, now: now) {
                    case .created(let record): job.successfulCSV += BulkJob.row([record.id, "true"] + row)
                    case .updated(let record): job.successfulCSV += BulkJob.row([record.id, "false"] + row)
                    case .several(let ids):
                        throw SimulatedDMLError(
                            "DUPLICATE_EXTERNAL_ID", "more than one record found for external id field: [\(ids.joined(separator: ", "))]",
                            fields: [field.name.fullName])
                    case .notFound:
                        throw SimulatedDMLError(.notFound, "The requested resource does not exist")
                    }
                } else {
                    let record = try state.insert(key, normalised, validator: validator, now: now)
                    job.successfulCSV += BulkJob.row([record.id, "true"] + row)
                }
            } catch {
                job.failed += 1
                let fieldList = error.fields.isEmpty ? "" : ":\(error.fields.joined(separator: ","))"
                job.failedCSV += BulkJob.row(["", "\(error.code.rawValue):\(error.message)\(fieldList) --"] + row)
            }
            job.processed += 1
        }
        job.state = .jobComplete
    }
}
