import FerryCore
import Foundation
import SalesforceModels
import Testing

@Suite("Salesforce error bodies")
struct ErrorBodyTests {
    @Test("the error array, with and without fields")
    func errorArray() throws {
        let body = Data(#"[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]},{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]"#.utf8)
        let errors = try SalesforceAPIError.decodeAll(from: body)
        #expect(errors.count == 2)
        #expect(errors[0].errorCode == .requiredFieldMissing)
        #expect(errors[0].fields == ["Name"])
        #expect(errors[0].description == "REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields: Name)")
        #expect(errors[1].errorCode == .invalidSessionID)
        #expect(errors[1].fields.isEmpty)
        #expect(errors[1].retryAdvice == .refreshTokenAndReplayOnce)
    }

    @Test("the Apex NOT_FOUND and APEX_ERROR bodies from the reference")
    func apexBodies() throws {
        let notFound = try SalesforceAPIError.decodeAll(
            from: Data(#"[{"errorCode":"NOT_FOUND","message":"Could not find a match for URL /InsertNPSFeedback"}]"#.utf8))
        #expect(notFound[0].errorCode == .notFound)
        #expect(notFound[0].message == "Could not find a match for URL /InsertNPSFeedback")
        let apex = try SalesforceAPIError.decodeAll(
            from: Data(#"[{"errorCode":"APEX_ERROR","message":"System.DmlException: Insert failed. First exception on row 0; first error: REQUIRED_FIELD_MISSING, Required fields are missing: [Name]: [Name]\n\nClass.InsertNPSFeedback.doPost: line 49, column 1"}]"#.utf8))
        #expect(apex[0].errorCode == .apexError)
        #expect(apex[0].message.hasSuffix("line 49, column 1"))
    }

    @Test("a single error object")
    func singleObject() throws {
        let errors = try SalesforceAPIError.decodeAll(
            from: Data(#"{"message":"TotalRequests Limit exceeded.","errorCode":"REQUEST_LIMIT_EXCEEDED"}"#.utf8))
        #expect(errors == [SalesforceAPIError(errorCode: .requestLimitExceeded, message: "TotalRequests Limit exceeded.")])
        #expect(errors[0].retryAdvice == .retryAfterLongerPause)
    }

    @Test("an unknown code decodes and is kept as it came")
    func unknownCode() throws {
        let errors = try SalesforceAPIError.decodeAll(
            from: Data(#"[{"message":"Something new","errorCode":"BRAND_NEW_CODE_IN_V70"}]"#.utf8))
        #expect(errors[0].errorCode.rawValue == "BRAND_NEW_CODE_IN_V70")
        #expect(!errors[0].errorCode.isKnown)
        #expect(errors[0].retryAdvice == .final)
    }

    @Test(
        "malformed bodies give a clear error with an excerpt, never a crash",
        arguments: [
            ("", SalesforceResponseError.Kind.emptyBody, ""),
            ("<html><body>502 Bad Gateway</body></html>", .malformedJSON, "<html><body>502 Bad Gateway"),
            ("[]", .unexpectedShape, "[]"),
            ("[1, 2]", .unexpectedShape, "[1, 2]"),
            (#"{"foo": 1}"#, .unexpectedShape, #"{"foo": 1}"#),
            ("\"just a string\"", .unexpectedShape, "\"just a string\""),
            ("[{\"message\": \"x\"", .malformedJSON, "[{"),
        ])
    func malformed(body: String, kind: SalesforceResponseError.Kind, excerpt: String) {
        do {
            _ = try SalesforceAPIError.decodeAll(from: Data(body.utf8))
            Issue.record("accepted \(body)")
        } catch {
            #expect(error.kind == kind)
            #expect(error.excerpt.hasPrefix(excerpt))
            #expect(error.description.contains(body.isEmpty ? "empty body" : "the body begins"))
        }
    }

    @Test("a long body is cut to 200 characters in the excerpt")
    func longExcerpt() {
        let body = "<html>" + String(repeating: "x", count: 5000)
        do {
            _ = try SalesforceAPIError.decodeAll(from: Data(body.utf8))
        } catch {
            #expect(error.excerpt.count == 201)
            #expect(error.excerpt.hasSuffix("…"))
        }
    }
}

@Suite("SalesforceErrorCode and RetryAdvice")
struct ErrorCodeTests {
    @Test(
        "each code says whether retrying can help",
        arguments: [
            ("UNABLE_TO_LOCK_ROW", RetryAdvice.retry),
            ("SERVER_UNAVAILABLE", .retry),
            ("REQUEST_LIMIT_EXCEEDED", .retryAfterLongerPause),
            ("INVALID_SESSION_ID", .refreshTokenAndReplayOnce),
            ("REQUIRED_FIELD_MISSING", .final),
            ("STRING_TOO_LONG", .final),
            ("INVALID_FIELD", .final),
            ("JSON_PARSER_ERROR", .final),
            ("DUPLICATE_VALUE", .final),
            ("MALFORMED_ID", .final),
            ("INVALID_TYPE", .final),
            ("INSUFFICIENT_ACCESS", .final),
            ("FIELD_CUSTOM_VALIDATION_EXCEPTION", .final),
            ("DUPLICATES_DETECTED", .final),
            ("INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST", .final),
            ("INVALID_FIELD_FOR_INSERT_UPDATE", .final),
            ("NOT_FOUND", .final),
            ("APEX_ERROR", .final),
            ("ALL_OR_NONE_OPERATION_ROLLED_BACK", .retry),
        ])
    func advice(code: String, advice: RetryAdvice) {
        let parsed = SalesforceErrorCode(code)
        #expect(parsed.isKnown)
        #expect(parsed.retryAdvice == advice)
        #expect(parsed.retryAdvice.canRetry == (advice != .final))
    }

    @Test("static members equal the codes Salesforce sends")
    func staticMembers() {
        #expect(SalesforceErrorCode.unableToLockRow == SalesforceErrorCode("UNABLE_TO_LOCK_ROW"))
        #expect(SalesforceErrorCode.invalidOrNullForRestrictedPicklist.rawValue == "INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST")
        #expect(SalesforceErrorCode.knownCodes.contains(.serverUnavailable))
        #expect(SalesforceErrorCode.knownCodes.allSatisfy { $0.isKnown })
    }

    @Test("the status decides for unknown codes", arguments: [(401, RetryAdvice.refreshTokenAndReplayOnce), (503, .retry), (502, .retry), (420, .retry), (400, .final), (500, .final), (404, .final)])
    func statusAdvice(status: Int, advice: RetryAdvice) {
        #expect(RetryAdvice.forStatus(status) == advice)
    }
}

@Suite("OAuth errors")
struct OAuthErrorTests {
    @Test(
        "every documented OAuth error has its remedy",
        arguments: [
            ("invalid_client_id", "client identifier invalid", "consumer key"),
            ("invalid_client", "invalid client credentials", "regenerate it"),
            ("invalid_grant", "no client credentials user enabled", "Run As user"),
            ("invalid_grant", "no valid scopes defined", "Manage user data via APIs"),
            ("invalid_grant", "request not supported on this domain", "My Domain host"),
            ("invalid_request", "scope parameter not supported", "do not send a scope"),
            ("unsupported_grant_type", "grant type not supported", "client credentials flow is not enabled"),
            ("invalid_app_access", "user is not admin approved to access this app", "pre-authorise"),
        ])
    func remedies(error: String, description: String, remedy: String) throws {
        let body = JSONValue.object(["error": .string(error), "error_description": .string(description)]).jsonData()
        let decoded = try OAuthErrorResponse.decode(from: body)
        #expect(decoded.error == error)
        #expect(decoded.errorDescription == description)
        #expect(decoded.remedy?.contains(remedy) == true)
        #expect(decoded.description.hasPrefix("\(error): \(description) ("))
    }

    @Test("an unknown OAuth error decodes without a remedy")
    func unknown() throws {
        let decoded = try OAuthErrorResponse.decode(from: Data(#"{"error":"server_error"}"#.utf8))
        #expect(decoded.remedy == nil)
        #expect(decoded.description == "server_error")
    }

    @Test("bodies that are not OAuth errors are refused")
    func notOAuth() {
        #expect { try OAuthErrorResponse.decode(from: Data(#"{"error_description":"x"}"#.utf8)) } throws: {
            ($0 as? SalesforceResponseError)?.kind == .unexpectedShape
        }
        #expect { try OAuthErrorResponse.decode(from: Data("Bad Request".utf8)) } throws: {
            ($0 as? SalesforceResponseError)?.kind == .malformedJSON
        }
    }
}

@Suite("Save, upsert and Collections results")
struct SaveResultTests {
    @Test("a create result")
    func create() throws {
        let result = try SaveResult.decode(from: Data(#"{"id":"a015g00000XYZabAAA","success":true,"errors":[]}"#.utf8))
        #expect(result == SaveResult(id: "a015g00000XYZabAAA", success: true))
        #expect(result.description == "saved a015g00000XYZabAAA")
    }

    @Test("upserts: 201 created, 200 with a body, 204 without")
    func upserts() throws {
        let created = try SaveResult.decodeUpsert(
            status: 201, body: Data(#"{"id":"a01","success":true,"errors":[],"created":true}"#.utf8))
        #expect(created.created == true)
        #expect(created.description == "saved a01 (created)")
        let updated = try SaveResult.decodeUpsert(
            status: 200, body: Data(#"{"id":"a01","success":true,"errors":[],"created":false}"#.utf8))
        #expect(updated.created == false)
        let noBody = try SaveResult.decodeUpsert(status: 204, body: Data())
        #expect(noBody == SaveResult(id: nil, success: true, created: false))
        let noCreatedMember = try SaveResult.decodeUpsert(status: 201, body: Data(#"{"id":"a01","success":true}"#.utf8))
        #expect(noCreatedMember.created == true)
    }

    @Test("Collections results come back in request order with per-record statusCode errors")
    func collections() throws {
        let body = Data(#"[{"id":"a01...","success":true,"errors":[]},{"id":null,"success":false,"errors":[{"statusCode":"REQUIRED_FIELD_MISSING","message":"Required fields are missing: [Name]","fields":["Name"]}]}]"#.utf8)
        let results = try SaveResult.decodeCollection(from: body, expectedCount: 2)
        #expect(results[0].success)
        #expect(results[0].id == "a01...")
        #expect(!results[1].success)
        #expect(results[1].id == nil)
        #expect(results[1].errors == [
            SalesforceAPIError(errorCode: .requiredFieldMissing, message: "Required fields are missing: [Name]", fields: ["Name"])
        ])
        #expect(results[1].description == "failed: REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields: Name)")
    }

    @Test("all-or-none rollbacks decode as retryable per record")
    func rolledBack() throws {
        let body = Data(#"[{"id":null,"success":false,"errors":[{"statusCode":"ALL_OR_NONE_OPERATION_ROLLED_BACK","message":"Record rolled back because not all records were valid and the request was using AllOrNone header","fields":[]}]},{"id":null,"success":false,"errors":[{"statusCode":"STRING_TOO_LONG","message":"Name: data value too large: xxx (max length=80)","fields":["Name"]}]}]"#.utf8)
        let results = try SaveResult.decodeCollection(from: body)
        #expect(results[0].errors[0].retryAdvice == .retry)
        #expect(results[1].errors[0].retryAdvice == .final)
    }

    @Test("a result count that differs from the records sent is an error")
    func countMismatch() {
        #expect {
            try SaveResult.decodeCollection(from: Data(#"[{"id":"a01","success":true,"errors":[]}]"#.utf8), expectedCount: 2)
        } throws: {
            ($0 as? SalesforceResponseError)?.kind == .countMismatch && "\($0)".contains("sent 2 records but got 1")
        }
    }

    @Test("malformed results are refused", arguments: [#"{"id":"a01"}"#, "[1]", #"{"success":"yes"}"#, "oops", ""])
    func malformed(body: String) {
        #expect(throws: SalesforceResponseError.self) { try SaveResult.decode(from: Data(body.utf8)) }
        #expect(throws: SalesforceResponseError.self) { try SaveResult.decodeCollection(from: Data(body.utf8)) }
    }
}
