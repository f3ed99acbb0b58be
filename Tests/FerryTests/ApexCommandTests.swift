import Foundation
import Testing

@Suite("ferry apex")
struct ApexCommandTests {
    let nps = [
        "apex", "--object", "Feedback__c", "--field", "Score:Number", "--field", "Comment:Text", "--namespace", "CleverTap",
        "--mapping", "/InsertNPSFeedback",
    ]

    @Test("prints the Apex REST class")
    func restClass() async throws {
        let result = try await CLI.run(nps)
        #expect(result.status == 0)
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("@RestResource(urlMapping='/InsertNPSFeedback')"))
        #expect(result.stdout.contains("global with sharing class InsertNPSFeedback {"))
        #expect(result.stdout.contains("record.CleverTap__Score__c = readNumber(payload, 'Score');"))
        #expect(result.stdout.contains("/services/apexrest/CleverTap/InsertNPSFeedback"))
    }

    @Test("--test prints the test class")
    func testClass() async throws {
        let result = try await CLI.run(nps + ["--test"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("@IsTest\nprivate class InsertNPSFeedbackTest {"))
        #expect(!result.stdout.contains("@RestResource"))
    }

    @Test("--metadata writes a complete DX project (sfdx-project.json, force-app/main/default) and lists it")
    func metadata() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-apex-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: directory) }
        let result = try await CLI.run(nps + ["--metadata", directory.path])
        #expect(result.status == 0, "\(result.stderr)")
        let expected = ["sfdx-project.json"] + [
            "objects/Feedback__c/Feedback__c.object-meta.xml", "objects/Feedback__c/fields/Idempotency_Key__c.field-meta.xml",
            "objects/Feedback__c/fields/Score__c.field-meta.xml", "objects/Feedback__c/fields/Comment__c.field-meta.xml",
            "classes/InsertNPSFeedback.cls", "classes/InsertNPSFeedback.cls-meta.xml", "classes/InsertNPSFeedbackTest.cls",
            "classes/InsertNPSFeedbackTest.cls-meta.xml", "permissionsets/InsertNPSFeedback_Access.permissionset-meta.xml",
        ].map { "force-app/main/default/" + $0 }
        for path in expected {
            let file = directory.appendingPathComponent(path)
            #expect(FileManager.default.fileExists(atPath: file.path), "\(path)")
            #expect(result.stdout.contains(path))
        }
        let meta = try String(contentsOf: directory.appendingPathComponent("force-app/main/default/classes/InsertNPSFeedback.cls-meta.xml"), encoding: .utf8)
        #expect(meta.contains("<apiVersion>66.0</apiVersion>"))
        let cls = try String(contentsOf: directory.appendingPathComponent("force-app/main/default/classes/InsertNPSFeedback.cls"), encoding: .utf8)
        #expect(cls == (try await CLI.run(nps)).stdout)
    }

    @Test(
        "invalid names or types exit 2 with the broken rule",
        arguments: [
            (["--object", "Feedback", "--field", "Score:Number"], "must be a custom object ending in __c"),
            (["--object", "Feedback__c", "--field", "Score:Integer"], "unknown field type 'Integer'"),
            (["--object", "Feedback__c", "--field", "User Rating:Number"], "User_Rating__c"),
            (["--object", "Feedback__c", "--field", "Score"], "NAME:TYPE"),
            (["--object", "Feedback__c"], "at least one field"),
            (["--object", "Feedback__c", "--field", "Score:Number", "--namespace", "Clever_Tap"], "letters and digits"),
            (["--object", "Feedback__c", "--field", "Score:Number", "--mapping", "NoSlash"], "must start with '/'"),
            (["--object", "Feedback__c", "--field", "Score:Number", "--mapping", "/Database"], "system class"),
            (["--object", "Feedback__c", "--field", "Channel:Picklist"], "Channel:Picklist(Email|Push|SMS)"),
            (["--object", "Feedback__c", "--field", "Channel:Picklist(a\u{07}b|c)"], "control character U+0007"),
            (["--object", "Other__NPS__c", "--namespace", "CleverTap", "--field", "userId:Text"], "'Other', but --namespace is 'CleverTap'"),
            (["--object", "NPS__c", "--field", "userId:Text", "--record-name", "NPS-{user}"], "e.g. NPS-{userId}"),
            (["--object", "NPS__c", "--field", "userId:Text", "--missing-datetime", "later"], "'now'"),
            (["--field", "Score:Number"], "missing required option --object"),
            (["--object", "Feedback__c", "--field", "Score:Number", "--bogus"], "unknown option '--bogus'"),
            (["--object", "Feedback__c", "--field", "Score:Number", "extra"], "unexpected argument 'extra'"),
        ])
    func invalid(arguments: [String], rule: String) async throws {
        let result = try await CLI.run(["apex"] + arguments)
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains(rule), "\(result.stderr)")
    }

    @Test("the seed's names are accepted as the seed writes them")
    func seedNames() async throws {
        let result = try await CLI.run([
            "apex", "--object", "CleverTap__CleverTap_NPS__c", "--namespace", "CleverTap", "--mapping", "/InsertNPSFeedback",
            "--field", "CleverTap__userId__c:Text", "--field", "CleverTap__npsScore__c:Number",
            "--field", "CleverTap__timestamp__c:DateTime", "--record-name", "NPS-{userId}",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("record.CleverTap__userId__c = readText(payload, 'userId');"))
        #expect(result.stdout.contains("return ('NPS-' + (value == null ? 'null' : String.valueOf(value))).left(80);"))
        #expect(result.stdout.contains("readDatetime(payload, 'timestamp', receivedAt)"))
    }

    @Test("an unwritable metadata directory exits 1")
    func unwritable() async throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("ferry-apex-file-\(UUID().uuidString)")
        try Data("x".utf8).write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let result = try await CLI.run(["apex", "--object", "Feedback__c", "--field", "Score:Number", "--metadata", file.path])
        #expect(result.status == 1)
        #expect(result.stderr.contains("could not write the metadata"))
    }

    @Test("--help documents the command and ferry --help lists it")
    func help() async throws {
        let help = try await CLI.run(["apex", "--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("USAGE: ferry apex --object API_NAME --field NAME:TYPE"))
        #expect(help.stdout.contains("Text, LongText, Number,"))
        let overview = try await CLI.run(["--help"])
        #expect(overview.stdout.contains("apex"))
    }
}
