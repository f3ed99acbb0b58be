import FerryCore
import Foundation
import SalesforceModels
import Testing

@Suite("Apex REST reply interpreter")
struct ApexReplyTests {
    let request = HTTPRequest(
        method: .post, url: URL(string: "https://acme.my.salesforce.com/services/apexrest/InsertNPSFeedback")!)  // a literal URL
    let interpreter: any ApexReplyInterpreter = .standard

    func interpret(_ status: Int, _ body: String) -> ApexReply {
        interpreter.interpret(HTTPResponse(status: status, text: body), for: request)
    }

    @Test("200 \"Success\" is a success", arguments: ["\"Success\"", "Success", "", "  ", "\"a01 stored\"", "null", "[1]"])
    func success(body: String) {
        #expect(interpret(200, body).isSuccess)
    }

    @Test(
        "200 \"Error: ...\" is a failure carrying the message",
        arguments: [
            ("\"Error: Insert failed. First exception on row 0; first error: INVALID_FIELD\"", "Insert failed. First exception on row 0; first error: INVALID_FIELD"),
            ("Error: Attempt to de-reference a null object", "Attempt to de-reference a null object"),
            ("\"Error\"", "the class returned \"Error\" without a message"),
            ("\"error - invalid date\"", "invalid date"),
        ])
    func errorString(body: String, message: String) throws {
        let failure = try #require(interpret(200, body).failure)
        #expect(failure.kind == .errorString)
        #expect(failure.message == message)
        #expect(failure.status == 200)
        #expect(failure.retryAdvice == .final)
        #expect(failure.description.contains("nothing was stored"))
    }

    @Test("a caught DmlException keeps its code and retry advice: a lock error is retried, a field error is not")
    func caughtDMLCodes() throws {
        let lock = try #require(interpret(200, #""Error: Insert failed. First exception on row 0; first error: UNABLE_TO_LOCK_ROW, unable to obtain exclusive access to this record: []""#).failure)
        #expect(lock.kind == .errorString)
        #expect(lock.errorCode == .unableToLockRow)
        #expect(lock.retryAdvice == .retry)
        #expect(lock.description.contains("a retry can succeed"))
        let field = try #require(interpret(200, #""Error: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]""#).failure)
        #expect(field.errorCode == .requiredFieldMissing)
        #expect(field.retryAdvice == .final)
        let unknown = try #require(interpret(200, #""Error: Insert failed. First exception on row 0; first error: SOMETHING_NEW, x""#).failure)
        #expect(unknown.errorCode == nil)
        #expect(unknown.retryAdvice == .final)
    }

    @Test("a word starting with Error is not an error string")
    func errorPrefixWord() {
        #expect(interpret(200, "\"Errorless run\"").isSuccess)
    }

    @Test("the generated class's JSON replies")
    func generatedReplies() throws {
        guard case .success(let created) = interpret(201, #"{"success":true,"id":"a015g00000XYZabAAA","created":true}"#) else {
            Issue.record("not a success")
            return
        }
        #expect(created.recordID == "a015g00000XYZabAAA")
        #expect(created.created == true)
        guard case .success(let repeated) = interpret(200, #"{"success":true,"id":"a01","created":false}"#) else {
            Issue.record("not a success")
            return
        }
        #expect(repeated.created == false)
        #expect(interpret(200, #"{"success":true,"test":true}"#).isSuccess)
        let invalid = try #require(
            interpret(400, #"[{"errorCode":"INVALID_INPUT","message":"Score must be a number.","fields":["Score"]}]"#).failure)
        #expect(invalid.kind == .badRequest)
        #expect(invalid.errorCode == SalesforceErrorCode("INVALID_INPUT"))
        #expect(invalid.errors[0].fields == ["Score"])
        #expect(invalid.retryAdvice == .final)
        let locked = try #require(
            interpret(503, #"[{"errorCode":"UNABLE_TO_LOCK_ROW","message":"unable to obtain exclusive access to this record or 1 records: a01","fields":[]}]"#).failure)
        #expect(locked.kind == .serverUnavailable)
        #expect(locked.retryAdvice == .retry)
    }

    @Test("2xx bodies that report failure are failures")
    func reportedFailure() throws {
        let object = try #require(interpret(200, #"{"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}"#).failure)
        #expect(object.kind == .recordRejected)
        #expect(object.errorCode == .requiredFieldMissing)
        let bare = try #require(interpret(200, #"{"success":false,"message":"nope"}"#).failure)
        #expect(bare.message == "nope")
        let array = try #require(interpret(200, #"[{"errorCode":"INVALID_FIELD","message":"No such column"}]"#).failure)
        #expect(array.kind == .recordRejected)
        #expect(array.errorCode == .invalidField)
    }

    @Test("404 NOT_FOUND says a missing namespace is the usual cause")
    func notFound() throws {
        let failure = try #require(
            interpret(404, #"[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /InsertNPSFeedback"}]"#).failure)
        #expect(failure.kind == .notFound)
        #expect(failure.errorCode == .notFound)
        #expect(failure.message == "Could not find a match for URL /InsertNPSFeedback")
        #expect(failure.remedy.contains("missing namespace prefix"))
        #expect(failure.remedy.contains("/services/apexrest/CleverTap/InsertNPSFeedback"))
        #expect(failure.retryAdvice == .final)
        #expect(failure.description.hasPrefix("HTTP 404 NOT_FOUND: Could not find a match for URL /InsertNPSFeedback. no Apex class matched"))
    }

    @Test("500 APEX_ERROR carries the message and the Apex stack line")
    func apexError() throws {
        let failure = try #require(
            interpret(500, #"[{"errorCode":"APEX_ERROR","message":"System.DmlException: Insert failed. First exception on row 0; first error: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST, bad value for restricted picklist field: Pushy: [Channel__c]\n\nClass.InsertNPSFeedback.doPost: line 49, column 1"}]"#).failure)
        #expect(failure.kind == .apexError)
        #expect(failure.message.hasPrefix("System.DmlException: Insert failed."))
        #expect(failure.message.hasSuffix("[Channel__c]"))
        #expect(failure.apexStackLine == "Class.InsertNPSFeedback.doPost: line 49, column 1")
        #expect(failure.retryAdvice == .final)
        #expect(failure.remedy.contains("Debug Logs"))
        #expect(failure.description.contains("[at Class.InsertNPSFeedback.doPost: line 49, column 1]"))
        let noStack = try #require(interpret(500, #"[{"errorCode":"APEX_ERROR","message":"System.LimitException: Too many SOQL queries: 101"}]"#).failure)
        #expect(noStack.apexStackLine == nil)
        #expect(noStack.message == "System.LimitException: Too many SOQL queries: 101")
    }

    @Test(
        "other statuses map to typed failures with retry advice",
        arguments: [
            (401, #"[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#, ApexFailure.Kind.sessionInvalid, RetryAdvice.refreshTokenAndReplayOnce),
            (403, #"[{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#, .limitExceeded, .retryAfterLongerPause),
            (403, #"[{"message":"ConcurrentPerOrgLongTxn Limit exceeded","errorCode":"REQUEST_LIMIT_EXCEEDED"}]"#, .limitExceeded, .retryAfterLongerPause),
            (403, #"[{"message":"You do not have access to the Apex class named 'InsertNPSFeedback'.","errorCode":"FORBIDDEN"}]"#, .forbidden, .final),
            (400, #"[{"message":"Unexpected character ('x' (code 120))","errorCode":"JSON_PARSER_ERROR"}]"#, .badRequest, .final),
            (503, #"[{"message":"Server unavailable","errorCode":"SERVER_UNAVAILABLE"}]"#, .serverUnavailable, .retry),
            (502, "<html>Bad Gateway</html>", .serverUnavailable, .retry),
            (302, "", .redirect, .final),
            (300, #"["/services/data/v66.0/sobjects/Feedback__c/a01","/services/data/v66.0/sobjects/Feedback__c/a02"]"#, .redirect, .final),
            (405, #"[{"errorCode":"METHOD_NOT_ALLOWED","message":"HTTP Method 'GET' not allowed. Allowed are POST"}]"#, .unexpectedStatus, .final),
            (500, #"[{"errorCode":"UNKNOWN_EXCEPTION","message":"An unexpected error occurred."}]"#, .unexpectedStatus, .final),
        ])
    func typed(status: Int, body: String, kind: ApexFailure.Kind, advice: RetryAdvice) throws {
        let failure = try #require(interpret(status, body).failure)
        #expect(failure.kind == kind)
        #expect(failure.retryAdvice == advice)
        #expect(failure.status == status)
        #expect(!failure.remedy.isEmpty)
    }

    @Test("a non-JSON error body is kept as the message excerpt")
    func htmlError() throws {
        let failure = try #require(interpret(400, "<html><body>Bad Request</body></html>").failure)
        #expect(failure.message == "<html><body>Bad Request</body></html>")
        #expect(failure.errorCode == nil)
        #expect(failure.description.hasPrefix("HTTP 400: <html>"))
    }

    @Test("a host can supply its own interpreter")
    func custom() {
        let custom: any ApexReplyInterpreter = ClosureApexReplyInterpreter { response, request in
            response.bodyText == "\"OK\""
                ? .success(ApexSuccess(status: response.status))
                : .failure(ApexFailure(kind: .recordRejected, status: response.status, message: response.bodyText,
                                       retryAdvice: .final, remedy: "host rule"))
        }
        #expect(custom.interpret(HTTPResponse(status: 200, text: "\"OK\""), for: request).isSuccess)
        #expect(custom.interpret(HTTPResponse(status: 200, text: "\"Success\""), for: request).failure?.remedy == "host rule")
    }
}
