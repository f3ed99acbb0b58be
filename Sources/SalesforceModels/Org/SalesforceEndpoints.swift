import Foundation

/// Every URL Ferry calls on one org at one API version.
///
/// Object, field and job names are checked before they go into a path, and external-ID values are
/// percent-escaped, so a value such as `a/b c` can never change which resource is addressed.
///
/// ```swift
/// let endpoints = SalesforceEndpoints(org: try SalesforceOrg("https://acme.my.salesforce.com"))
/// endpoints.token            // https://acme.my.salesforce.com/services/oauth2/token
/// try endpoints.apexREST(mapping: ApexURLMapping("/InsertNPSFeedback"), namespace: ApexNamespace("CleverTap"))
/// // https://acme.my.salesforce.com/services/apexrest/CleverTap/InsertNPSFeedback
/// ```
public struct SalesforceEndpoints: Sendable, Hashable {
    /// The org.
    public var org: SalesforceOrg
    /// The REST API version used in `/services/data/vNN.N/...` paths.
    public var version: APIVersion

    /// Creates the endpoints of an org.
    /// - Parameters:
    ///   - org: The org.
    ///   - version: The API version (default ``APIVersion/default``).
    public init(org: SalesforceOrg, version: APIVersion = .default) {
        self.org = org
        self.version = version
    }

    /// `POST /services/oauth2/token`: the OAuth 2.0 token endpoint.
    public var token: URL { url("/services/oauth2/token") }

    /// `POST /services/oauth2/introspect`: token introspection (`active`, `exp`).
    public var introspect: URL { url("/services/oauth2/introspect") }

    /// `POST /services/oauth2/revoke`: token revocation.
    public var revoke: URL { url("/services/oauth2/revoke") }

    /// `GET /services/data/`: the versions the org serves.
    public var versions: URL { url("/services/data/") }

    /// `/services/apexrest[/<namespace>]<mapping>`: an Apex REST class.
    /// - Parameters:
    ///   - mapping: The class's `urlMapping`. A `*` wildcard segment cannot be called; replace it first.
    ///   - namespace: The org's or package's namespace prefix, when the class has one. Without it a namespaced
    ///     class answers 404 `NOT_FOUND`.
    /// - Returns: The URL.
    public func apexREST(mapping: ApexURLMapping, namespace: ApexNamespace? = nil) -> URL {
        var path = "/services/apexrest"
        if let namespace { path += "/" + namespace.prefix }
        path += mapping.path
        return url(path)
    }

    /// `GET` or `DELETE /services/data/vNN.N/sobjects/<Object>/<Id>`: read or delete one record.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - id: The record id (15 or 18 letters and digits).
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` when the id is not a Salesforce id.
    public func sObjectRecord(_ object: APIName, id: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/sobjects/\(object.fullName)/\(try SalesforceEndpoints.checkedID(id))")
    }

    /// `GET /services/data/vNN.N/query?q=<SOQL>`: run a SOQL query (the query is percent-escaped here).
    /// - Parameter soql: The query, e.g. `SELECT Id FROM Feedback__c WHERE Key__c = 'a'` (quote values with
    ///   ``soqlLiteral(_:)``).
    /// - Returns: The URL.
    public func query(_ soql: String) -> URL {
        url("\(dataPath)/query", query: "q=" + SalesforceEndpoints.escapePathComponent(soql))
    }

    /// A SOQL string literal: the text in single quotes, with `\`, `'`, `"` and line breaks escaped as SOQL
    /// requires, so a value can never end the literal and add to the query.
    /// - Parameter value: Any text.
    /// - Returns: E.g. `'O\'Neil'`.
    public static func soqlLiteral(_ value: String) -> String {
        var output = "'"
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\": output += "\\\\"
            case "'": output += "\\'"
            case "\"": output += "\\\""
            case "\n": output += "\\n"
            case "\r": output += "\\r"
            case "\t": output += "\\t"
            default: output.unicodeScalars.append(scalar)
            }
        }
        return output + "'"
    }

    /// `POST /services/data/vNN.N/sobjects/<Object>/`: create one record.
    /// - Parameter object: The object's API name.
    /// - Returns: The URL.
    public func sObjectCreate(_ object: APIName) -> URL {
        url("\(dataPath)/sobjects/\(object.fullName)/")
    }

    /// `GET .../sobjects/<Object>/describe`: the object's fields, types, lengths and which are required.
    /// - Parameter object: The object's API name.
    /// - Returns: The URL.
    public func sObjectDescribe(_ object: APIName) -> URL {
        url("\(dataPath)/sobjects/\(object.fullName)/describe")
    }

    /// `PATCH /services/data/vNN.N/sobjects/<Object>/<ExtIdField>/<value>`: upsert one record by external ID.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: The external-ID field's API name.
    ///   - value: The external-ID value; percent-escaped (everything but letters, digits and `-._~`).
    ///   - updateOnly: Adds `?updateOnly=true` (API v61.0 and later) so no record is created.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` of kind ``SalesforceOrgError/Kind/invalidPathComponent`` for an empty value.
    public func sObjectUpsert(_ object: APIName, externalIDField: APIName, value: String, updateOnly: Bool = false)
        throws(SalesforceOrgError) -> URL
    {
        guard !value.isEmpty else {
            throw SalesforceOrgError(
                .invalidPathComponent,
                "the external-ID value for \(object.fullName).\(externalIDField.fullName) is empty; an upsert needs the value that identifies the record"
            )
        }
        let path = "\(dataPath)/sobjects/\(object.fullName)/\(externalIDField.fullName)/\(SalesforceEndpoints.escapePathComponent(value))"
        return url(path, query: updateOnly ? "updateOnly=true" : nil)
    }

    /// `POST /services/data/vNN.N/composite/sobjects`: create up to 200 records in one call.
    public var collections: URL { url("\(dataPath)/composite/sobjects") }

    /// `PATCH /services/data/vNN.N/composite/sobjects/<Object>/<ExtIdField>`: upsert up to 200 records.
    /// - Parameters:
    ///   - object: The object's API name.
    ///   - externalIDField: The external-ID field's API name.
    /// - Returns: The URL.
    public func collectionsUpsert(_ object: APIName, externalIDField: APIName) -> URL {
        url("\(dataPath)/composite/sobjects/\(object.fullName)/\(externalIDField.fullName)")
    }

    /// `POST /services/data/vNN.N/jobs/ingest`: create a Bulk API 2.0 ingest job.
    public var bulkIngestJobs: URL { url("\(dataPath)/jobs/ingest") }

    /// `GET` (poll) or `PATCH` (`{"state":"UploadComplete"}`) one ingest job.
    /// - Parameter jobID: The job's id from its job info.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` of kind ``SalesforceOrgError/Kind/invalidPathComponent`` when the id is not
    ///   15 or 18 letters and digits.
    public func bulkIngestJob(_ jobID: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/jobs/ingest/\(try SalesforceEndpoints.checkedID(jobID))")
    }

    /// `PUT .../jobs/ingest/<id>/batches`: upload the job's CSV (`Content-Type: text/csv`).
    /// - Parameter jobID: The job's id.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` for an invalid id.
    public func bulkIngestBatches(_ jobID: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/jobs/ingest/\(try SalesforceEndpoints.checkedID(jobID))/batches")
    }

    /// `GET .../jobs/ingest/<id>/successfulResults/`: CSV with `sf__Id`, `sf__Created` and the fields.
    /// - Parameter jobID: The job's id.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` for an invalid id.
    public func bulkIngestSuccessfulResults(_ jobID: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/jobs/ingest/\(try SalesforceEndpoints.checkedID(jobID))/successfulResults/")
    }

    /// `GET .../jobs/ingest/<id>/failedResults/`: CSV with `sf__Id`, `sf__Error` and the fields.
    /// - Parameter jobID: The job's id.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` for an invalid id.
    public func bulkIngestFailedResults(_ jobID: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/jobs/ingest/\(try SalesforceEndpoints.checkedID(jobID))/failedResults/")
    }

    /// `GET .../jobs/ingest/<id>/unprocessedrecords/`: CSV of the rows never processed.
    /// - Parameter jobID: The job's id.
    /// - Returns: The URL.
    /// - Throws: ``SalesforceOrgError`` for an invalid id.
    public func bulkIngestUnprocessedRecords(_ jobID: String) throws(SalesforceOrgError) -> URL {
        url("\(dataPath)/jobs/ingest/\(try SalesforceEndpoints.checkedID(jobID))/unprocessedrecords/")
    }

    /// `/services/data/vNN.N`.
    private var dataPath: String { "/services/data/\(version)" }

    private func url(_ path: String, query: String? = nil) -> URL {
        var text = org.baseURL.absoluteString
        if text.hasSuffix("/") { text.removeLast() }
        text += path
        if let query { text += "?" + query }
        // The base is a valid origin and every path piece is checked or escaped, so the text is a valid URL;
        // fall back to the origin rather than crash if that reasoning is ever wrong.
        return URL(string: text) ?? org.baseURL
    }

    /// Percent-escapes everything except RFC 3986 unreserved characters (`A-Z a-z 0-9 - . _ ~`).
    ///
    /// `.` and `..` alone become `%2E` and `%2E%2E`, so a value can never be a dot-segment that climbs the path.
    /// - Parameter value: The text to put into one path segment.
    /// - Returns: The escaped text.
    public static func escapePathComponent(_ value: String) -> String {
        if value == "." || value == ".." { return String(repeating: "%2E", count: value.count) }
        var output = ""
        output.reserveCapacity(value.utf8.count)
        let hex: [Character] = Array("0123456789ABCDEF")
        for byte in value.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                output.append(Character(Unicode.Scalar(byte)))
            default:
                output.append("%")
                output.append(hex[Int(byte >> 4)])
                output.append(hex[Int(byte & 0x0F)])
            }
        }
        return output
    }

    private static func checkedID(_ id: String) throws(SalesforceOrgError) -> String {
        guard id.count == 15 || id.count == 18,
            id.allSatisfy({ $0.isASCIILetterCharacter || $0.isASCIIDigitCharacter })
        else {
            throw SalesforceOrgError(
                .invalidPathComponent,
                "'\(id)' is not a Salesforce id (15 or 18 letters and digits); use the id from the job info Salesforce returned"
            )
        }
        return id
    }
}
