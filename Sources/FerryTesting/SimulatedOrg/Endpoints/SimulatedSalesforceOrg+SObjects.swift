import FerryCore
import Foundation
import SalesforceModels

extension SimulatedSalesforceOrg {
    /// `/services/data/vXX.X/...`.
    func handleData(_ request: HTTPRequest, lockFault: Bool) -> HTTPResponse {
        let encodedPath = URLComponents(url: request.url, resolvingAgainstBaseURL: false)?.percentEncodedPath ?? request.url.path
        let segments = encodedPath.dropFirst("/services/data/".count).split(separator: "/")
            .map { String($0).removingPercentEncoding ?? String($0) }
        guard let versionText = segments.first, versionText.hasPrefix("v"), let version = try? APIVersion(versionText) else {
            return Replies.notFound
        }
        let rest = Array(segments.dropFirst())
        let method = request.method
        switch (rest.first, rest.count) {
        case ("sobjects"?, 2) where method == .post:
            return lockFault ? Replies.error(400, SimulatedSalesforceOrg.lockError) : create(rest[1], request)
        case ("sobjects"?, 3) where rest[2] == "describe" && method == .get:
            return describe(rest[1], version: version)
        case ("sobjects"?, 3) where method == .get:
            return read(rest[1], id: rest[2], version: version)
        case ("sobjects"?, 3) where method == .delete:
            return delete(rest[1], id: rest[2])
        case ("query"?, 1) where method == .get:
            return query(request, version: version)
        case ("sobjects"?, 4) where method == .patch:
            if lockFault { return Replies.error(400, SimulatedSalesforceOrg.lockError) }
            return upsert(rest[1], field: rest[2], value: rest[3], request, version: version)
        case ("composite"?, 2) where rest[1] == "sobjects" && method == .post:
            return collections(request, upsertOn: nil, lockFault: lockFault)
        case ("composite"?, 4) where rest[1] == "sobjects" && method == .patch:
            return collections(request, upsertOn: (rest[2], rest[3]), lockFault: lockFault)
        case ("jobs"?, _) where rest.count >= 2 && rest[1] == "ingest":
            if lockFault { return Replies.error(400, SimulatedSalesforceOrg.lockError) }
            return bulk(Array(rest.dropFirst(2)), request, version: version)
        case ("sobjects"?, _), ("composite"?, _):
            return Replies.error(405, .methodNotAllowed, "HTTP Method '\(method)' not allowed. Allowed are GET, POST, PATCH")
        default:
            return Replies.notFound
        }
    }

    private func body(_ request: HTTPRequest) -> Result<JSONObject, SimulatedDMLError> {
        guard let data = request.body, !data.isEmpty else {
            return .failure(SimulatedDMLError(.jsonParserError, "The HTTP entity body is required, but this request has no entity body."))
        }
        let value: JSONValue
        do {
            value = try JSONValue(parsing: data)
        } catch {
            return .failure(SimulatedDMLError(.jsonParserError, "Unexpected character: \(error)"))
        }
        guard let object = value.objectValue else {
            return .failure(SimulatedDMLError(
                .jsonParserError, "Cannot deserialize instance of sobject from \(value.kindName == "array" ? "START_ARRAY" : "VALUE_STRING") value"))
        }
        return .success(object)
    }

    private func create(_ object: String, _ request: HTTPRequest) -> HTTPResponse {
        let now = clock.now
        let outcome = state.withLock { state -> Result<SimulatedRecord, SimulatedDMLError> in
            do throws(SimulatedDMLError) {
                let (key, validator) = try SimulatedSalesforceOrg.validator(object, state, .json)
                let fields = try body(request).get()
                return .success(try state.insert(key, try validator.normalise(fields), validator: validator, now: now))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(let record):
            return HTTPResponse(status: 201, json: Replies.saveResult(id: record.id))
        case .failure(let error) where error.code == .invalidType:
            return Replies.error(404, .notFound, "The requested resource does not exist")
        case .failure(let error):
            return Replies.error(400, error)
        }
    }

    private func upsert(_ object: String, field: String, value: String, _ request: HTTPRequest, version: APIVersion)
        -> HTTPResponse
    {
        let now = clock.now
        let updateOnly = request.url.query?.contains("updateOnly=true") == true
        let outcome = state.withLock { state -> Result<OrgState.UpsertResult, SimulatedDMLError> in
            do throws(SimulatedDMLError) {
                let (key, validator) = try SimulatedSalesforceOrg.validator(object, state, .json)
                guard let external = validator.schema.field(named: field), external.externalID else {
                    throw SimulatedDMLError(.notFound, "Provided external ID field does not exist or is not accessible: \(field)")
                }
                var fields = try body(request).get()
                if let sent = fields.keys.first(where: { $0.lowercased() == external.name.fullName.lowercased() }) {
                    fields[sent] = nil
                }
                return .success(try state.upsert(
                    key, field: external, value: value, try validator.normalise(fields), validator: validator, now: now,
                    updateOnly: updateOnly))
            } catch {
                return .failure(error)
            }
        }
        switch outcome {
        case .success(.created(let record)):
            return HTTPResponse(status: 201, json: Replies.saveResult(id: record.id, created: true))
        case .success(.updated(let record)):
            return HTTPResponse(status: 200, json: Replies.saveResult(id: record.id, created: false))
        case .success(.several(let ids)):
            return HTTPResponse(
                status: 300, json: .array(ids.map { .string("/services/data/\(version)/sobjects/\(object)/\($0)") }))
        case .success(.notFound):
            return Replies.notFound
        case .failure(let error) where error.code == .invalidType || error.code == .notFound:
            return Replies.error(404, .notFound, error.code == .notFound ? error.message : "The requested resource does not exist")
        case .failure(let error):
            return Replies.error(400, error)
        }
    }

    private func describe(_ object: String, version: APIVersion) -> HTTPResponse {
        guard let schema = state.withLock({ $0.objects[object.lowercased()]?.schema }) else {
            return Replies.error(404, .notFound, "The requested resource does not exist")
        }
        return HTTPResponse(status: 200, json: schema.describeJSON(apiVersion: version))
    }
}
