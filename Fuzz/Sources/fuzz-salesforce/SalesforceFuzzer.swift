import Foundation
import FerryCore
import FuzzSupport
import SalesforceModels

/// Feeds arbitrary bytes to every Salesforce reply decoder: API errors, save results (single, upsert,
/// collection), Bulk job info, the Apex reply interpreter, and the `Sforce-Limit-Info` header parser.
///
/// Input: `BODY`, or `HEADER NUL BODY` (the header is also parsed alone). The HTTP status is picked from the
/// input's length.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let parts = input.splitAtNUL
    let header = String(decoding: parts?.head ?? input.bytes, as: UTF8.self)
    let body = Data(parts?.tail ?? input.bytes)
    let statuses = [200, 201, 204, 300, 400, 401, 403, 404, 500, 503]
    let status = statuses[size % statuses.count]

    if let usage = APIUsage(headerValue: header) {
        _ = usage.description
        if let counter = usage.apiUsage { fuzzCheck(counter.used >= 0 && counter.limit >= 0, "negative counter") }
    }
    var headers: HTTPHeaders = ["Content-Type": "application/json"]
    headers.add(name: "Sforce-Limit-Info", value: header)
    _ = APIUsage(headers: headers)

    describe { () throws(SalesforceResponseError) in try SalesforceAPIError.decodeAll(from: body) }
    describe { () throws(SalesforceResponseError) in try SaveResult.decode(from: body) }
    describe { () throws(SalesforceResponseError) in try SaveResult.decodeUpsert(status: status, body: body) }
    describe { () throws(SalesforceResponseError) in try SaveResult.decodeCollection(from: body) }
    describe { () throws(SalesforceResponseError) in try SaveResult.decodeCollection(from: body, expectedCount: size % 4) }
    describe { () throws(SalesforceResponseError) in try BulkIngestJobInfo.decode(from: body) }
    if let value = try? JSONValue(parsing: body) {
        _ = SalesforceAPIError(json: value).map(\.description)
        _ = SaveResult(json: value).map(\.description)
    }
    let request = HTTPRequest(
        method: .post, url: URL(string: "https://fuzz.my.salesforce.com/services/apexrest/ferry")!)  // literal: valid
    let reply = StandardApexReplyInterpreter().interpret(HTTPResponse(status: status, headers: headers, body: body), for: request)
    _ = String(describing: reply)
    return 0
}

/// Runs a decoder and renders its result or error as text (descriptions build excerpts of the body).
func describe<T>(_ decode: () throws(SalesforceResponseError) -> T) {
    do {
        _ = String(describing: try decode())
    } catch {
        _ = error.description
    }
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_salesforce_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
