// Runs FerryTesting's simulated Salesforce org on loopback, so EventsServer can be tried (and tested in CI)
// with no Salesforce account. It prints one line, `LISTENING http://127.0.0.1:<port>`, and serves until killed.
//
// Besides the org's own endpoints (OAuth, sObjects, Apex REST, ...) it answers `GET /simulated/records`: every
// stored Engagement_Event__c record as JSON, `{"count": N, "records": [{"id": ..., "Event_Id__c": ...}, ...]}`,
// which .ci/example reads to check that every accepted event arrived exactly once.
import FerryTesting
import Foundation

let org = SimulatedSalesforceOrg()
org.register(
    try SimulatedObject(
        "Engagement_Event__c",
        fields: [
            .text("Event_Id__c", required: true, externalID: true, unique: true),
            .text("User_Id__c", required: true),
            .text("Kind__c"),
            .number("Score__c"),
        ]))
let client = SimulatedClient.example

let server = try LoopbackHTTPServer { request in
    if request.method == .get, request.url.path == "/simulated/records" {
        let records = org.records(of: "Engagement_Event__c")
        var list: [JSONValue] = []
        for record in records {
            var fields = record.fields
            fields["Id"] = .string(record.id)
            fields["UpdateCount"] = .int(record.updateCount)
            list.append(.object(fields))
        }
        return .response(HTTPResponse(status: 200, json: ["count": .int(records.count), "records": .array(list)]))
    }
    // Everything else is the org's: the request is re-addressed to the org's own origin, as the org expects.
    do {
        return .response(try await org.send(org.readdressed(request)))
    } catch {
        return .close
    }
}

// Written unbuffered: a script waits for this line before it starts the server.
FileHandle.standardOutput.write(Data("""
    LISTENING \(server.baseURL.absoluteString)
    client id \(client.id); the secret is SimulatedClient.example's (see the README)

    """.utf8))
while true { try await Task.sleep(for: .seconds(3600)) }
