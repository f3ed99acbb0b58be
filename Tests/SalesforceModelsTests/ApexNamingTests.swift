import Foundation
import SalesforceModels
import Testing

/// The seed's names: "Copy the full API Name from the object details page ... In a namespaced org, this will
/// include the CleverTap__ prefix (for example, CleverTap__CleverTap_NPS__c)".
@Suite("Apex generation: names as the seed writes them")
struct ApexNamingTests {
    static func field(_ text: String) throws(ApexSpecError) -> ApexFieldSpec { try ApexFieldSpec(parsing: text) }

    @Test("full and short names give the same spec: prefixed names in Apex, local names in the DX source")
    func fullAndShortNames() throws {
        let full = try ApexObjectSpec(
            object: "CleverTap__CleverTap_NPS__c", fields: [try Self.field("CleverTap__userId__c:Text")], namespace: "CleverTap")
        let short = try ApexObjectSpec(object: "CleverTap_NPS__c", fields: [try Self.field("userId:Text")], namespace: "CleverTap")
        #expect(full == short)
        #expect(full.object.fullName == "CleverTap__CleverTap_NPS__c")
        #expect(full.fields.map(\.apiName.fullName) == ["CleverTap__userId__c"])
        #expect(full.fields.map(\.payloadKey) == ["userId"])
        #expect(full.idempotencyField.fullName == "CleverTap__Idempotency_Key__c")
        #expect(full.localObjectName == "CleverTap_NPS__c")
        let generator = ApexGenerator(spec: full)
        #expect(generator.restClass.contains("CleverTap__CleverTap_NPS__c record = new CleverTap__CleverTap_NPS__c();"))
        #expect(generator.restClass.contains("record.CleverTap__userId__c = readText(payload, 'userId');"))
        #expect(generator.testClass.contains("FROM CleverTap__CleverTap_NPS__c"))
        let paths = generator.metadataFiles.map(\.path)
        #expect(paths.contains("objects/CleverTap_NPS__c/fields/userId__c.field-meta.xml"))
        #expect(!paths.contains { $0.contains("CleverTap__") })
        #expect(generator.permissionSetMetadata.contains("<field>CleverTap_NPS__c.userId__c</field>"))
    }

    @Test("a case-insensitive prefix match is accepted and written as --namespace spells it")
    func prefixCase() throws {
        let spec = try ApexObjectSpec(object: "clevertap__NPS__c", fields: [try Self.field("CLEVERTAP__Score__c:Number")], namespace: "CleverTap")
        #expect(spec.object.fullName == "CleverTap__NPS__c")
        #expect(spec.fields[0].apiName.fullName == "CleverTap__Score__c")
    }

    @Test(
        "a prefix that is not --namespace exits with both names",
        arguments: [
            ("Other__NPS__c", "Score:Number", "CleverTap", ApexSpecError.Kind.namespaceMismatch, ["'Other'", "'CleverTap'", "CleverTap__NPS__c"]),
            ("NPS__c", "Other__Score__c:Number", "CleverTap", .namespaceMismatch, ["'Other'", "'CleverTap'", "CleverTap__Score__c"]),
            ("CleverTap__NPS__c", "Score:Number", nil, .invalidObject, ["'CleverTap'", "add --namespace CleverTap", "NPS__c"]),
            ("NPS__c", "CleverTap__Score__c:Number", nil, .invalidField, ["add --namespace CleverTap", "Score__c"]),
        ] as [(String, String, String?, ApexSpecError.Kind, [String])])
    func mismatch(object: String, field: String, namespace: String?, kind: ApexSpecError.Kind, mentions: [String]) throws {
        do {
            _ = try ApexObjectSpec(object: object, fields: [try Self.field(field)], namespace: namespace)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == kind)
            for text in mentions { #expect(error.message.contains(text), "\(error.message)") }
        }
    }

    @Test(
        "hints suggest the name the user most likely meant",
        arguments: [
            ("CleverTap__user Id__c:Text", "try CleverTap__user_Id__c"),
            ("User Rating:Number", "User_Rating__c"),
            ("user-Id:Text", "try user_Id__c"),
        ])
    func hints(text: String, hint: String) {
        do {
            _ = try ApexFieldSpec(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.message.contains(hint), "\(error.message)")
        }
    }

    @Test("the Name rule: the seed's default, a given prefix and key, or an auto-number")
    func recordName() throws {
        let fields = [try Self.field("userId:Text"), try Self.field("npsScore:Number")]
        let seed = try ApexObjectSpec(object: "CleverTap_NPS__c", fields: fields, namespace: "CleverTap")
        #expect(seed.recordName == .payload(prefix: "NPS-", key: "userId"))
        #expect(ApexGenerator(spec: seed).objectMetadata.contains("<type>Text</type>\n    </nameField>"))
        let auto = try ApexObjectSpec(object: "NPS__c", fields: fields, recordName: try ApexRecordName(parsing: "auto"))
        #expect(!ApexGenerator(spec: auto).restClass.contains("record.Name"))
        #expect(ApexGenerator(spec: auto).objectMetadata.contains("<type>AutoNumber</type>"))
        let given = try ApexObjectSpec(object: "NPS__c", fields: fields, recordName: try ApexRecordName(parsing: "Score {npsScore}"))
        #expect(ApexGenerator(spec: given).restClass.contains("return ('Score ' + (value == null ? 'null' : String.valueOf(value))).left(80);"))
    }

    @Test(
        "an invalid Name rule names the problem",
        arguments: [
            ("NPS-userId", "NPS-{userId}"), ("NPS-{}", "prefix and a payload key in braces"),
            ("NPS-{userid}", "e.g. NPS-{userId}"), (String(repeating: "x", count: 41) + "{userId}", "at most 40"),
            ("a\u{1B}{userId}", "U+001B"),
        ])
    func invalidRecordName(text: String, hint: String) throws {
        do {
            _ = try ApexObjectSpec(object: "NPS__c", fields: [try Self.field("userId:Text")], recordName: try ApexRecordName(parsing: text))
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == .invalidRecordName)
            #expect(error.message.contains(hint), "\(error.message)")
        }
    }

    @Test("a missing Date/Time: the time of receipt by default, as the seed, or empty")
    func missingDateTime() throws {
        let fields = [try Self.field("userId:Text"), try Self.field("timestamp:DateTime")]
        let now = ApexGenerator(spec: try ApexObjectSpec(object: "NPS__c", fields: fields))
        #expect(now.restClass.contains("Datetime receivedAt = Datetime.now();"))
        #expect(now.restClass.contains("record.timestamp__c = readDatetime(payload, 'timestamp', receivedAt);"))
        #expect(now.testClass.contains("Assert.isNotNull(stored.timestamp__c, 'a missing date-time is the time of receipt');"))
        let empty = ApexGenerator(spec: try ApexObjectSpec(object: "NPS__c", fields: fields, missingDateTime: try ApexMissingDateTime(parsing: "empty")))
        #expect(!empty.restClass.contains("Datetime.now()"))
        #expect(empty.restClass.contains("readDatetime(payload, 'timestamp', null)"))
        do {
            _ = try ApexMissingDateTime(parsing: "later")
            Issue.record("accepted 'later'")
        } catch {
            #expect(error.kind == .invalidOption)
            #expect(error.message.contains("'now'") && error.message.contains("'empty'"))
        }
    }

    @Test("the concurrent first insert is retried as an update")
    func concurrentInsert() throws {
        let apex = ApexGenerator(spec: try ApexObjectSpec(object: "NPS__c", fields: [try Self.field("userId:Text")])).restClass
        #expect(apex.contains("created = upsertByKey(record);"))
        #expect(apex.contains("if (e.getDmlType(0) != StatusCode.DUPLICATE_VALUE) {"))
        #expect(apex.components(separatedBy: "Database.upsert(record, NPS__c.Idempotency_Key__c, true).isCreated()").count == 3)
    }

    @Test("the DX project: sfdx-project.json at the root, the source under force-app/main/default")
    func project() throws {
        let generator = ApexGenerator(spec: try ApexObjectSpec(
            object: "NPS__c", fields: [try Self.field("userId:Text")], namespace: "CleverTap"))
        let paths = generator.projectFiles.map(\.path)
        #expect(paths.first == "sfdx-project.json")
        #expect(paths.dropFirst().allSatisfy { $0.hasPrefix("force-app/main/default/") })
        #expect(paths.count == generator.metadataFiles.count + 1)
        let json = try JSONSerialization.jsonObject(with: Data(generator.projectJSON.utf8)) as? [String: Any]
        #expect(json?["namespace"] as? String == "CleverTap")
        #expect(json?["sourceApiVersion"] as? String == "66.0")
        let directories = json?["packageDirectories"] as? [[String: Any]]
        #expect(directories?.first?["path"] as? String == "force-app")
        #expect(directories?.first?["default"] as? Bool == true)
    }
}
