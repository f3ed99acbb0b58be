import FerryCore
import SalesforceModels
import Testing

@Suite("Record mappers")
struct MapperTests {
    let profile: JSONValue = [
        "Identity": "user-1", "Name": "Ada King Lovelace", "Email": "ada@example.com", "Phone": "+44 20 7946 0000",
        "Company": "Analytical Engines", "Sessions Last 30 Days": 12, "Is Premium": true,
        "Last Feature Used": "Export", "Plans": ["basic", "pro"], "Last Seen": "$D_1764442371",
    ]

    func context(event: JSONValue = [:], campaign: JSONValue = ["Name": "Spring Webinar"]) -> JSONValue {
        ["Profile": profile, "Event": event, "Campaign": campaign]
    }

    @Test("NPS: identity, score, comment, survey and time become the seed's object")
    func nps() throws {
        let mapper = try NPSResponseMapper(commentField: "Comment__c", surveyField: "Survey__c")
        let payload = try mapper.map(context(event: ["User Rating": "9", "Comment": "Great", "Survey": "Q4", "Timestamp": "$D_1764442371"]))
        guard case .record(let record) = payload else {
            Issue.record("expected a record, got \(payload)")
            return
        }
        #expect(
            record.jsonValue.jsonString()
                == #"{"attributes":{"type":"CleverTap_NPS__c"},"Name":"NPS-user-1","userId__c":"user-1","npsScore__c":9,"Comment__c":"Great","Survey__c":"Q4","timestamp__c":"2025-11-29T18:52:51.000Z"}"#)
    }

    @Test("NPS in a namespace prefixes the object and fields, not Name")
    func npsNamespace() throws {
        let payload = try NPSResponseMapper(namespace: "CleverTap").map(context(event: ["User Rating": 10]))
        let body = try #require(payload.jsonBody)
        #expect(body["attributes"]?["type"] == "CleverTap__CleverTap_NPS__c")
        #expect(body["CleverTap__npsScore__c"] == .int(10))
        #expect(body["CleverTap__userId__c"] == "user-1")
        #expect(body["Name"] == "NPS-user-1")
        #expect(body["CleverTap__Comment__c"] == nil)
        var autoNumbered = try NPSResponseMapper()
        autoNumbered.writesName = false
        #expect(try autoNumbered.map(context(event: ["User Rating": 10])).jsonBody?["Name"] == nil)
    }

    @Test(
        "NPS refuses missing or out-of-range scores and a missing identity",
        arguments: [
            (["Event": ["Comment": "x"], "Profile": ["Identity": "u"]], RecordMappingError.Kind.missingValue, "Event.User Rating"),
            (["Event": ["User Rating": 11], "Profile": ["Identity": "u"]], .invalidValue, "Event.User Rating"),
            (["Event": ["User Rating": 7.5], "Profile": ["Identity": "u"]], .invalidValue, "Event.User Rating"),
            (["Event": ["User Rating": "nine"], "Profile": ["Identity": "u"]], .invalidValue, "Event.User Rating"),
            (["Event": ["User Rating": 9]], .missingValue, "Profile.Identity"),
            (["Event": ["User Rating": 9], "Profile": ["Identity": ""]], .missingValue, "Profile.Identity"),
            (["Event": ["User Rating": 9, "Timestamp": "last tuesday"], "Profile": ["Identity": "u"]], .invalidValue, "Event.Timestamp"),
        ] as [(JSONValue, RecordMappingError.Kind, String)])
    func npsErrors(context: JSONValue, kind: RecordMappingError.Kind, path: String) throws {
        do {
            _ = try NPSResponseMapper().map(context)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == kind)
            #expect(error.path == path)
            #expect(error.description.hasPrefix(path + ": "))
        }
    }

    @Test("campaign leads upsert on the identity and split the name")
    func lead() throws {
        let payload = try CampaignLeadMapper().map(context())
        guard case .upsert(let upsert) = payload else {
            Issue.record("expected an upsert, got \(payload)")
            return
        }
        #expect(upsert.externalIDField.fullName == "CleverTap_Identity__c")
        #expect(upsert.externalIDValue == "user-1")
        #expect(
            upsert.record.jsonValue.jsonString()
                == #"{"attributes":{"type":"Lead"},"FirstName":"Ada King","LastName":"Lovelace","Email":"ada@example.com","Phone":"+44 20 7946 0000","Company":"Analytical Engines","LeadSource":"CleverTap","CleverTap_Campaign__c":"Spring Webinar"}"#)
        #expect(upsert.recordWithKey["CleverTap_Identity__c"] == .text("user-1"))
    }

    @Test("a lead without a name or company gets Salesforce's required values; no contact means skipped")
    func leadDefaults() throws {
        let minimal: JSONValue = ["Profile": ["Identity": "u2", "Email": "x@example.com"]]
        guard case .upsert(let upsert) = try CampaignLeadMapper().map(minimal) else {
            Issue.record("expected an upsert")
            return
        }
        #expect(upsert.record["LastName"] == .text("Unknown"))
        #expect(upsert.record["FirstName"] == nil)
        #expect(upsert.record["Company"] == .text("[not provided]"))
        let unreachable: JSONValue = ["Profile": ["Identity": "u3", "Name": "No Contact"]]
        guard case .skipped(let reason) = try CampaignLeadMapper().map(unreachable) else {
            Issue.record("expected skipped")
            return
        }
        #expect(reason.contains("neither Email nor Phone"))
        #expect(MappedPayload.skipped(reason: reason).jsonBody == nil)
    }

    @Test("event feedback: rating, text, event name and time")
    func eventFeedback() throws {
        let payload = try EventFeedbackMapper().map(
            context(event: ["Event Name": "Launch Webinar", "Rating": 4.5, "Feedback": "Loved it", "Timestamp": 1_764_442_371_000]))
        #expect(
            payload.jsonBody?.jsonString()
                == #"{"attributes":{"type":"CleverTap_Event_Feedback__c"},"User_Id__c":"user-1","Event_Name__c":"Launch Webinar","Rating__c":4.5,"Feedback__c":"Loved it","Occurred_At__c":"2025-11-29T18:52:51.000Z"}"#)
        let fallback = try EventFeedbackMapper().map(context(event: ["Name": "Product Tour", "Rating": "5"]))
        #expect(fallback.jsonBody?["Event_Name__c"] == "Product Tour")
        #expect(fallback.jsonBody?["Rating__c"] == .int(5))
        guard case .skipped = try EventFeedbackMapper().map(context(event: ["Name": "Tour"])) else {
            Issue.record("expected skipped")
            return
        }
        #expect { try EventFeedbackMapper().map(context(event: ["Rating": 3])) } throws: {
            ($0 as? RecordMappingError)?.kind == .missingValue
        }
        #expect { try EventFeedbackMapper().map(context(event: ["Name": "T", "Feedback": ["a": 1]])) } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidValue
        }
    }

    @Test("NPS names: the seed's by default, configurable short or full, prefixes checked")
    func npsNames() throws {
        let seed = try NPSResponseMapper(namespace: "CleverTap")
        #expect(seed.object.fullName == "CleverTap__CleverTap_NPS__c")
        #expect([seed.userIDField, seed.scoreField, seed.timestampField].map(\.fullName)
            == ["CleverTap__userId__c", "CleverTap__npsScore__c", "CleverTap__timestamp__c"])
        #expect(seed.commentField == nil && seed.surveyField == nil)
        let full = try NPSResponseMapper(namespace: "CleverTap", object: "CleverTap__Answers__c", userIDField: "CleverTap__uid__c")
        #expect(full.object.fullName == "CleverTap__Answers__c")
        #expect(full.userIDField.fullName == "CleverTap__uid__c")
        for (namespace, object) in [("CleverTap", "Other__Answers__c"), (nil, "CleverTap__Answers__c")] as [(String?, String)] {
            #expect { try NPSResponseMapper(namespace: namespace, object: object) } throws: {
                ($0 as? RecordMappingError)?.kind == .invalidConfiguration && "\($0)".contains("namespace")
            }
        }
        #expect { try NPSResponseMapper(scoreField: "Score Field__c") } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidConfiguration
        }
    }

    @Test("enrichment targets: Contact or Lead, by email or an external ID")
    func enrichmentTargets() throws {
        let byEmail = try BehaviouralEnrichmentMapper(metrics: ["Plan", "Is Premium"], target: .contact(matchedBy: .email))
        guard case .upsert(let upsert) = try byEmail.map(context()) else {
            Issue.record("expected an upsert")
            return
        }
        #expect(upsert.record.type.fullName == "Contact")
        #expect(upsert.externalIDField.fullName == "Email")
        #expect(upsert.externalIDValue == "ada@example.com")
        let lead = try BehaviouralEnrichmentMapper(
            metrics: ["Plan"], namespace: "CleverTap", target: .lead(matchedBy: .externalID("CleverTap_Identity__c")))
        #expect(lead.object.fullName == "Lead")
        #expect(lead.identityField.fullName == "CleverTap__CleverTap_Identity__c")
        #expect(lead.fieldNames.first?.field.fullName == "CleverTap__Plan__c")
        #expect { try byEmail.map(["Profile": ["Identity": "u", "Plan": "pro"]]) } throws: {
            ($0 as? RecordMappingError)?.kind == .missingValue
        }
    }

    @Test("behavioural enrichment: metrics onto a record keyed by identity, typed by value")
    func enrichment() throws {
        let mapper = try BehaviouralEnrichmentMapper(
            metrics: ["Sessions Last 30 Days", "Is Premium", "Last Feature Used", "Plans", "Last Seen", "Missing Metric"])
        #expect(mapper.fieldNames.map(\.field.fullName) == [
            "Sessions_Last_30_Days__c", "Is_Premium__c", "Last_Feature_Used__c", "Plans__c", "Last_Seen__c", "Missing_Metric__c",
        ])
        guard case .upsert(let upsert) = try mapper.map(context()) else {
            Issue.record("expected an upsert")
            return
        }
        #expect(upsert.externalIDField.fullName == "CleverTap_Identity__c")
        #expect(upsert.externalIDValue == "user-1")
        #expect(
            upsert.record.jsonValue.jsonString()
                == #"{"attributes":{"type":"CleverTap_Profile__c"},"Sessions_Last_30_Days__c":12,"Is_Premium__c":true,"Last_Feature_Used__c":"Export","Plans__c":"basic;pro","Last_Seen__c":"2025-11-29T18:52:51.000Z"}"#)
    }

    @Test("enrichment skips profiles without the metrics and refuses bad setups")
    func enrichmentEdges() throws {
        let mapper = try BehaviouralEnrichmentMapper(metrics: ["Nothing Here"], namespace: "CleverTap")
        #expect(mapper.fieldNames[0].field.fullName == "CleverTap__Nothing_Here__c")
        guard case .skipped = try mapper.map(context()) else {
            Issue.record("expected skipped")
            return
        }
        #expect { try BehaviouralEnrichmentMapper(metrics: []) } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidConfiguration
        }
        #expect { try NPSResponseMapper(namespace: "Not Valid") } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidConfiguration
        }
        let nested = try BehaviouralEnrichmentMapper(metrics: ["Address"])
        #expect { try nested.map(["Profile": ["Identity": "u", "Address": ["City": "X"]]]) } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidValue
        }
    }

    @Test("a host's own mapper through the protocol")
    func customMapper() throws {
        let mapper: any RecordMapper = ClosureRecordMapper { context throws(RecordMappingError) in
            let reader = ContextReader(context)
            guard try reader.bool("Event", "Opted In") == true else { return .skipped(reason: "not opted in") }
            return .json(["id": .string(try reader.requiredString("Profile", "Identity"))])
        }
        #expect(try mapper.map(["Profile": ["Identity": "u"], "Event": ["Opted In": "yes"]]) == .json(["id": "u"]))
        #expect(try mapper.map(["Profile": ["Identity": "u"], "Event": ["Opted In": false]]) == .skipped(reason: "not opted in"))
        #expect { try mapper.map(["Event": ["Opted In": "perhaps"]]) } throws: {
            ($0 as? RecordMappingError)?.kind == .invalidValue
        }
        #expect(RecordMappingError.other("custom", path: "a.b").description == "a.b: custom")
    }

    @Test("ContextReader conversions")
    func reader() throws {
        let reader = ContextReader([
            "n": "  42.5 ", "b": 1, "d": "2025-11-29", "iso": "2025-11-29T18:52:51+0000", "s": 1_764_442_371,
            "null": nil, "empty": "",
        ])
        #expect(try reader.number("n") == JSONNumber(text: "42.5"))
        #expect(try reader.bool("b") == true)
        #expect(try reader.dateTime("d")?.description == "2025-11-29T00:00:00.000Z")
        #expect(try reader.dateTime("iso")?.description == "2025-11-29T18:52:51.000Z")
        #expect(try reader.dateTime("s")?.description == "2025-11-29T18:52:51.000Z")
        #expect(try reader.string("null") == nil)
        #expect(try reader.string("empty") == nil)
        #expect(try reader.number("empty") == nil)
        #expect(try reader.dateTime("empty") == nil)
        #expect(reader.value("missing", "deeper") == nil)
        #expect { try reader.bool("n") } throws: { ($0 as? RecordMappingError)?.kind == .invalidValue }
        #expect { try reader.requiredString("null") } throws: { ($0 as? RecordMappingError)?.kind == .missingValue }
    }

    @Test("a rendered payload is parsed and sent as JSON, or becomes a record")
    func rendered() throws {
        let naive = RenderedPayloadMapper { context in
            // What a text template produces: values pasted in without escaping.
            let identity = context["Profile"]?["Identity"]?.stringValue ?? "0"
            let comment = context["Event"]?["Comment"]?.stringValue ?? ""
            return #"{"userId": "\#(identity)", "npsScore": 9, "comment": "\#(comment)"}"#
        }
        let ok = try naive.map(["Profile": ["Identity": "u1"], "Event": ["Comment": "fine"]])
        #expect(ok == .json(["userId": "u1", "npsScore": 9, "comment": "fine"]))
        do {
            _ = try naive.map(["Profile": ["Identity": "u1"], "Event": ["Comment": "He said \"hi\""]])
            Issue.record("broken JSON was accepted")
        } catch {
            #expect(error.kind == .invalidPayload)
            #expect(error.message.contains("not valid JSON"))
            #expect(error.message.contains("It begins: {\"userId\": \"u1\""))
        }

        let asRecord = RenderedPayloadMapper(recordType: try APIName("Feedback__c")) { _ in
            #"{"attributes": {"type": "ignored"}, "Score__c": 9, "Comment__c": "x", "Promoter__c": true, "Note__c": null}"#
        }
        guard case .record(let record) = try asRecord.map([:]) else {
            Issue.record("expected a record")
            return
        }
        #expect(record.jsonValue.jsonString() == #"{"attributes":{"type":"Feedback__c"},"Score__c":9,"Comment__c":"x","Promoter__c":true,"Note__c":null}"#)
    }

    @Test("rendered payloads: abort, renderer failures and non-record shapes")
    func renderedEdges() throws {
        #expect(try RenderedPayloadMapper { _ in nil }.map([:]) == .skipped(reason: "the payload template aborted"))
        struct Boom: Error, CustomStringConvertible { var description: String { "unknown filter 'frobnicate'" } }
        #expect { try RenderedPayloadMapper { _ in throw Boom() }.map([:]) } throws: {
            ($0 as? RecordMappingError)?.kind == .renderFailed && "\($0)".contains("unknown filter 'frobnicate'")
        }
        let type = try APIName("Feedback__c")
        let cases: [(String, String?)] = [("[1]", nil), (#"{"Bad Name": 1}"#, "Bad Name"), (#"{"Tags__c": ["a"]}"#, "Tags__c")]
        for (text, path) in cases {
            do {
                _ = try RenderedPayloadMapper(recordType: type) { _ in text }.map([:])
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.kind == .invalidPayload)
                #expect(error.path == path)
            }
        }
    }
}
