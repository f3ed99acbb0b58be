import Foundation

/// The seed's "Verify Integration", automated: sends one marked test record through the configured destination,
/// reads it back through the REST API (by the id in the reply, or a SOQL query on a key field when the reply has
/// none, as with the seed's class), compares every mapped field with what was sent, and deletes the record.
///
/// ```swift
/// let verifier = IntegrationVerifier(transport: authorisedTransport, endpoints: endpoints)
/// let report = try await verifier.verify(payload: rendered, plan: plan)
/// print(report.table)            // payload key | field | sent | stored | result
/// report.passed                  // every field matches
/// ```
///
/// The transport must add the access token (e.g. `AuthorizingTransport`). Requests: one `POST` to the
/// destination, one `GET` (record or query), one `DELETE` unless the plan keeps the record.
public struct IntegrationVerifier: Sendable {
    /// The transport (with authorisation).
    public let transport: any HTTPTransport
    /// The org's endpoints (query, record and delete URLs).
    public let endpoints: SalesforceEndpoints
    /// Makes the marker put into the key field and the `Idempotency-Key` header.
    public var makeMarker: @Sendable () -> String = { "ferry-verify-" + UUID().uuidString.prefix(12).lowercased() }

    /// Creates a verifier.
    /// - Parameters:
    ///   - transport: A transport that authorises requests.
    ///   - endpoints: The org's endpoints.
    public init(transport: any HTTPTransport, endpoints: SalesforceEndpoints) {
        self.transport = transport
        self.endpoints = endpoints
    }

    /// Sends, reads back, compares and cleans up one test record.
    /// - Parameters:
    ///   - payload: The rendered payload (a JSON object).
    ///   - plan: Where to send and where to look.
    /// - Returns: The comparison of every mapped field.
    /// - Throws: ``VerificationError`` when the record was refused, or could not be found or read.
    public func verify(payload: JSONObject, plan: VerificationPlan) async throws(VerificationError) -> VerificationReport {
        let marker = makeMarker()
        var sent = payload
        var keyValue: String?
        if let keyField = plan.keyField {
            guard let mapping = plan.fieldMap.first(where: { $0.field.matches(keyField) }) else {
                throw VerificationError(
                    .invalidPlan,
                    "the key field \(keyField.fullName) is not one of the mapped fields (\(plan.fieldMap.map(\.field.fullName).joined(separator: ", "))); map its payload key with --map KEY=\(keyField.fullName)")
            }
            switch sent[mapping.key] {
            case nil, .null?, .string?:
                sent[mapping.key] = .string(marker)
                keyValue = marker
            case let other?:
                keyValue = FieldComparison.text(other)
            }
        }
        let reply = try await send(sent, plan: plan, marker: marker)
        let record: JSONObject
        let foundBy: String
        if let id = reply {
            record = try await read(plan.object, id: id)
            foundBy = "the reply's id \(id)"
        } else if let keyField = plan.keyField, let keyValue {
            let soql = "SELECT Id, \(plan.fieldMap.map(\.field.fullName).joined(separator: ", ")) FROM \(plan.object.fullName) WHERE \(keyField.fullName) = \(SalesforceEndpoints.soqlLiteral(keyValue))"
            record = try await query(soql)
            foundBy = soql
        } else {
            throw VerificationError(
                .noRecordID,
                "the reply carries no record id (the seed's class answers \"Success\"): give the object and a key field to look the record up by, e.g. --object CleverTap__CleverTap_NPS__c --key CleverTap__userId__c")
        }
        guard let id = record["Id"]?.stringValue else {
            throw VerificationError(.unreadable, "the record read back has no Id")
        }
        let comparisons = plan.fieldMap.map { mapping in
            FieldComparison(
                key: mapping.key, field: mapping.field.fullName, sent: sent[mapping.key],
                stored: record.first { $0.key.lowercased() == mapping.field.fullName.lowercased() }?.value)
        }
        let unmapped = payload.keys.filter { key in !plan.fieldMap.contains { $0.key == key } }
        var deleteProblem: String?
        var deleted = false
        if !plan.keep {
            deleteProblem = await delete(plan.object, id: id)
            deleted = deleteProblem == nil
        }
        return VerificationReport(
            object: plan.object, recordID: id, foundBy: foundBy, comparisons: comparisons, unmappedKeys: unmapped,
            deleted: deleted, deleteProblem: deleteProblem)
    }

    /// Sends the record; returns the id in the reply, if any.
    private func send(_ payload: JSONObject, plan: VerificationPlan, marker: String) async throws(VerificationError) -> String? {
        let request: HTTPRequest
        switch plan.destination.code {
        case .apexREST(let url):
            request = HTTPRequest(
                method: .post, url: url,
                headers: ["Content-Type": "application/json", "Accept": "application/json", "Idempotency-Key": marker],
                body: JSONValue.object(payload).jsonData())
        case .sObject:
            request = HTTPRequest(
                method: .post, url: endpoints.sObjectCreate(plan.object),
                headers: ["Content-Type": "application/json", "Accept": "application/json"],
                body: JSONValue.object(payload).jsonData())
        }
        let response: HTTPResponse
        do {
            response = try await transport.send(request)
        } catch {
            throw VerificationError(.refused, "sending the test record failed: \(error)")
        }
        if case .apexREST = plan.destination.code {
            if case .failure(let failure) = StandardApexReplyInterpreter().interpret(response, for: request) {
                throw VerificationError(.refused, "the class did not store the test record: \(failure.description)")
            }
        } else if !(200..<300).contains(response.status) {
            throw VerificationError(
                .refused, "the test record was refused: \(DeliveryFailure(response: response, context: "creating the test record").message)")
        }
        return (try? JSONValue(parsing: response.body))?["id"]?.stringValue
    }

    private func read(_ object: APIName, id: String) async throws(VerificationError) -> JSONObject {
        let url: URL
        do {
            url = try endpoints.sObjectRecord(object, id: id)
        } catch {
            throw VerificationError(.unreadable, "the reply's id '\(id)' is not a Salesforce record id")
        }
        return try await getObject(url, what: "reading \(object.fullName) \(id)") { json in json.objectValue }
    }

    private func query(_ soql: String) async throws(VerificationError) -> JSONObject {
        let records = try await getObject(endpoints.query(soql), what: "running \(soql)") { json in json["records"]?.arrayValue }
        guard let first = records.first?.objectValue else {
            throw VerificationError(.notFound, "no record matched \(soql): the class answered success but stored nothing under that value; check the field names and that the key field is the one the class writes")
        }
        guard records.count == 1 else {
            throw VerificationError(.severalFound, "\(records.count) records matched \(soql); use a key field with unique values")
        }
        return first
    }

    private func getObject<T>(_ url: URL, what: String, _ extract: (JSONValue) -> T?) async throws(VerificationError) -> T {
        let response: HTTPResponse
        do {
            response = try await transport.send(HTTPRequest(method: .get, url: url, headers: ["Accept": "application/json"]))
        } catch {
            throw VerificationError(.unreadable, "\(what): \(error)")
        }
        guard response.status == 200, let json = try? JSONValue(parsing: response.body), let value = extract(json) else {
            throw VerificationError(.unreadable, "\(what): \(DeliveryFailure(response: response, context: what).message)")
        }
        return value
    }

    /// Deletes the record; returns the problem, or `nil` when it is gone.
    private func delete(_ object: APIName, id: String) async -> String? {
        do {
            let response = try await transport.send(HTTPRequest(method: .delete, url: try endpoints.sObjectRecord(object, id: id)))
            if response.status == 204 || response.status == 200 { return nil }
            return "the test record \(id) was not deleted: \(DeliveryFailure(response: response, context: "deleting the test record").message); delete it by hand"
        } catch {
            return "the test record \(id) was not deleted: \(error); delete it by hand"
        }
    }
}
