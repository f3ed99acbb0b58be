import FerryCore
import FerryDelivery
import Foundation
import Testing

@Suite("DeliveryErrorCode")
struct DeliveryErrorCodeTests {
    static let root = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func text(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    /// Every Swift file under `directory`, relative to the repository root.
    static func swiftFiles(under directory: String) -> [String] {
        let base = root.appendingPathComponent(directory)
        let paths = FileManager.default.enumerator(atPath: base.path)?.compactMap { $0 as? String } ?? []
        return paths.filter { $0.hasSuffix(".swift") }.sorted().map { "\(directory)/\($0)" }
    }

    @Test("Troubleshooting.md lists every constant and every family")
    func documented() throws {
        let guide = try Self.text("Documentation/Troubleshooting.md")
        let missing = DeliveryErrorCode.all.filter { !guide.contains("`\($0.rawValue)`") }
        #expect(missing.isEmpty, "add a row for \(missing) to Documentation/Troubleshooting.md")
        let families = DeliveryErrorCode.familyPrefixes.filter { !guide.contains("`\($0)*`") }
        #expect(families.isEmpty, "name the family \(families) (as `PREFIX*`) in Documentation/Troubleshooting.md")
    }

    @Test("`all` holds every constant the type declares, each once")
    func allIsComplete() throws {
        let source = try Self.text("Sources/FerryDelivery/Items/DeliveryErrorCode.swift")
        let pattern = #/public static let \w+: DeliveryErrorCode = "([A-Z0-9_]+)"/#
        let declared = source.matches(of: pattern).map { String($0.output.1) }
        #expect(declared.count > 20)
        #expect(Set(declared).count == declared.count, "two constants share a code")
        #expect(DeliveryErrorCode.all.map(\.rawValue).sorted() == declared.sorted())
    }

    @Test("no error code is spelled as a string literal outside DeliveryErrorCode.swift")
    func noScatteredLiterals() throws {
        let pattern = #/errorCode: "[A-Z]|errorCode: String|Code = "[A-Z_]+"$/#
        var offenders: [String] = []
        for path in Self.swiftFiles(under: "Sources") + Self.swiftFiles(under: "Integrations/Sources")
        where !path.hasSuffix("DeliveryErrorCode.swift") && !path.contains("/SalesforceModels/")
            && !path.contains("/SimulatedOrg/")
        {
            for (number, line) in try Self.text(path).split(separator: "\n", omittingEmptySubsequences: false)
                .enumerated() where line.contains(pattern)
            {
                offenders.append("\(path):\(number + 1): \(line.trimmingCharacters(in: .whitespaces))")
            }
        }
        #expect(offenders.isEmpty, "use a DeliveryErrorCode constant: \(offenders)")
    }

    @Test("families name the cause after their prefix", arguments: [
        (DeliveryErrorCode.transport("connectionRefused"), "TRANSPORT_CONNECTION_REFUSED"),
        (.transport("invalidURL"), "TRANSPORT_INVALID_URL"),
        (.transport("tls"), "TRANSPORT_TLS"),
        (.auth(oauthError: "invalid_client", kind: "oauth"), "AUTH_INVALID_CLIENT"),
        (.auth(oauthError: nil, kind: "malformedResponse"), "AUTH_MALFORMED_RESPONSE"),
        (.apex("errorString"), "APEX_ERROR_STRING"),
        (.http(502), "HTTP_502"),
        (.bulkJobEnded("Failed"), "BULK_JOB_FAILED"),
        (.salesforce("UNABLE_TO_LOCK_ROW"), "UNABLE_TO_LOCK_ROW"),
    ])
    func families(_ code: DeliveryErrorCode, _ expected: String) {
        #expect(code.rawValue == expected)
        #expect(DeliveryErrorCode.familyPrefixes.contains { expected.hasPrefix($0) } || code == .salesforce(expected))
    }

    @Test("an error of a type Ferry does not know is UNKNOWN, the one code for 'nothing more specific'")
    func unknownError() {
        struct Strange: Error {}
        let failure = DeliveryFailure(error: Strange())
        #expect(failure.errorCode == .unknown)
        #expect(failure.errorCode.rawValue == "UNKNOWN")
        #expect(failure.retryability == .final)
    }

    @Test("a code is encoded as its plain string, so reports and journals keep their shape")
    func codable() throws {
        let failure = DeliveryFailure(status: 400, errorCode: .payloadTooLarge, message: "m", retryability: .final)
        let data = try JSONEncoder().encode(failure)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any]
        #expect(object?["errorCode"] as? String == "PAYLOAD_TOO_LARGE")
        #expect(try JSONDecoder().decode(DeliveryFailure.self, from: data) == failure)
        #expect("\(DeliveryErrorCode.payloadTooLarge)" == "PAYLOAD_TOO_LARGE")
    }
}
