import Foundation
import SalesforceModels
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

@Suite("Apex generation")
struct ApexGeneratorTests {
    static func npsSpec() throws -> ApexObjectSpec {
        try ApexObjectSpec(
            object: "Feedback__c",
            fields: [try ApexFieldSpec(parsing: "Score:Number"), try ApexFieldSpec(parsing: "Comment:Text")],
            namespace: "CleverTap", mapping: "/InsertNPSFeedback")
    }

    static func allTypesSpec() throws -> ApexObjectSpec {
        let fields = try [
            "Title:Text", "Answer:LongText", "Score:Number", "Promoter:Checkbox", "Survey_Date:Date",
            "Responded_At:DateTime", "Email:Email", "Phone:Phone", "Website:Url", "Channel:Picklist(Email|Push|In-App & Web)",
        ].map { text throws(ApexSpecError) in try ApexFieldSpec(parsing: text) }
        return try ApexObjectSpec(object: "Survey_Response__c", fields: fields, recordName: .autoNumber, missingDateTime: .empty)
    }

    /// The seed's object and class, named as the seed writes them (full API names with the CleverTap prefix).
    static func seedSpec() throws -> ApexObjectSpec {
        let fields = try ["CleverTap__userId__c:Text", "CleverTap__npsScore__c:Number", "CleverTap__timestamp__c:DateTime"]
            .map { text throws(ApexSpecError) in try ApexFieldSpec(parsing: text) }
        return try ApexObjectSpec(
            object: "CleverTap__CleverTap_NPS__c", fields: fields, namespace: "CleverTap", mapping: "/InsertNPSFeedback",
            recordName: try ApexRecordName(parsing: "NPS-{userId}"))
    }

    static func compare(_ files: [ApexGeneratedFile], golden: [String: String]) {
        #expect(Set(files.map(\.path)) == Set(golden.keys))
        #expect(files.count == golden.count)
        for file in files {
            guard let expected = golden[file.path] else { continue }
            if file.contents != expected {
                let generated = file.contents.split(separator: "\n", omittingEmptySubsequences: false)
                let wanted = expected.split(separator: "\n", omittingEmptySubsequences: false)
                let line = Array(zip(generated, wanted)).firstIndex { $0.0 != $0.1 } ?? min(generated.count, wanted.count)
                let got = line < generated.count ? String(generated[line]) : "<end>"
                Issue.record("\(file.path) differs from its golden file at line \(line + 1): \(got)")
            }
        }
    }

    @Test("the NPS example matches its golden files (class, test class, object, fields, permission set)")
    func npsGolden() throws {
        let generator = ApexGenerator(spec: try Self.npsSpec())
        try GeneratedApexOutput.record(generator, as: "GoldenInsertNPSFeedback")
        Self.compare(generator.projectFiles, golden: GoldenInsertNPSFeedback.files)
    }

    @Test("a spec with every field type matches its golden files")
    func allTypesGolden() throws {
        let generator = ApexGenerator(spec: try Self.allTypesSpec())
        try GeneratedApexOutput.record(generator, as: "GoldenAllTypes")
        Self.compare(generator.projectFiles, golden: GoldenAllTypes.files)
    }

    @Test("the seed's object, fields and Name rule match their golden files (a complete DX project)")
    func seedGolden() throws {
        let generator = ApexGenerator(spec: try Self.seedSpec())
        try GeneratedApexOutput.record(generator, as: "GoldenSeedNPS")
        Self.compare(generator.projectFiles, golden: GoldenSeedNPS.files)
    }

    @Test("the spec derives names, endpoint and labels")
    func specDerivation() throws {
        let nps = try Self.npsSpec()
        #expect(nps.className == "InsertNPSFeedback")
        #expect(nps.testClassName == "InsertNPSFeedbackTest")
        #expect(nps.endpointPath == "/services/apexrest/CleverTap/InsertNPSFeedback")
        #expect(nps.fields.map(\.apiName.fullName) == ["CleverTap__Score__c", "CleverTap__Comment__c"])
        #expect(nps.fields.map(\.payloadKey) == ["Score", "Comment"])
        #expect(nps.apiVersion == .v66)
        let all = try Self.allTypesSpec()
        #expect(all.mapping.path == "/SurveyResponse")
        #expect(all.className == "SurveyResponse")
        #expect(all.endpointPath == "/services/apexrest/SurveyResponse")
        #expect(all.objectLabel == "Survey Response")
        #expect(try ApexFieldSpec(parsing: "NPS_Score__c:number").label == "NPS Score")
        let wildcard = try ApexObjectSpec(object: "Visit__c", fields: [try ApexFieldSpec(parsing: "Page:Url")], mapping: "/v1/page-visit/*")
        #expect(wildcard.className == "Pagevisit")
    }

    @Test("the REST class implements every improvement over the seed")
    func restClassBehaviour() throws {
        let apex = ApexGenerator(spec: try Self.allTypesSpec()).restClass
        #expect(apex.contains("(Datetime) JSON.deserialize(JSON.serialize(text), Datetime.class)"))
        #expect(!apex.contains("Datetime.valueOf(") && !apex.contains("DateTime.valueOf("))
        #expect(apex.contains("respond(response, created ? 201 : 200,"))
        #expect(apex.contains("header(request, 'Idempotency-Key')"))
        #expect(apex.contains("Database.upsert(record, Survey_Response__c.Idempotency_Key__c, true)"))
        #expect(apex.contains("payload.get('is_test')"))
        #expect(apex.contains("respondError(response, 400,"))
        #expect(!apex.contains("return 'Error: '"))
        #expect(apex.hasPrefix("/*") && apex.hasSuffix("}\n"))
        #expect(apex.components(separatedBy: "{").count == apex.components(separatedBy: "}").count)
    }

    @Test("the class only uses status codes Apex allows")
    func statusCodes() throws {
        for spec in [try Self.npsSpec(), try Self.allTypesSpec()] {
            let apex = ApexGenerator(spec: spec).restClass
            // Every status the class sets goes through respond(response, <status>, ...) or respondError.
            let call = try NSRegularExpression(pattern: #"respond(?:Error)?\(response, ([^,]+),"#)
            let number = try NSRegularExpression(pattern: #"\b[0-9]{3}\b"#)
            var used: Set<Int> = []
            for match in call.matches(in: apex, range: NSRange(apex.startIndex..., in: apex)) {
                guard let r = Range(match.range(at: 1), in: apex) else { continue }
                let argument = String(apex[r])
                for found in number.matches(in: argument, range: NSRange(argument.startIndex..., in: argument)) {
                    if let n = Range(found.range, in: argument), let code = Int(argument[n]) { used.insert(code) }
                }
            }
            #expect(used.isSuperset(of: [200, 201, 400, 500, 503]))
            #expect(used.isSubset(of: ApexGenerator.apexAllowedStatusCodes), "\(used)")
            #expect(Set(ApexGenerator.usedStatusCodes).isSubset(of: ApexGenerator.apexAllowedStatusCodes))
        }
    }

    @Test("the test class exercises every path")
    func testClassCoverage() throws {
        let tests = ApexGenerator(spec: try Self.allTypesSpec()).testClass
        for name in [
            "insertsANewRecordAndAnswers201", "aRepeatedIdempotencyKeyUpdatesAndAnswers200", "aTestPingAnswers200AndStoresNothing",
            "malformedBodiesAnswer400", "valuesOfTheWrongKindAnswer400", "alternativeValueFormsAreAccepted",
            "aRefusedSaveAnswers400WithTheDmlError", "aTooLongIdempotencyKeyAnswers400", "theHeaderNameIsCaseInsensitive",
        ] {
            #expect(tests.contains("static void \(name)()"), "\(name)")
        }
        #expect(tests.components(separatedBy: "@IsTest").count - 1 == 11)  // the class and its ten tests
        let onlyNumbers = try ApexObjectSpec(object: "Metric__c", fields: [try ApexFieldSpec(parsing: "Value:Number")])
        let numberTests = ApexGenerator(spec: onlyNumbers).testClass
        #expect(!numberTests.contains("aRefusedSaveAnswers400WithTheDmlError"))  // no text field to overflow
        #expect(!ApexGenerator(spec: onlyNumbers).restClass.contains("readDatetime"))  // only the helpers needed
    }

    @Test("class names: derived ones are cut to 36 characters, given ones are checked")
    func classNames() throws {
        let fields = [try ApexFieldSpec(parsing: "Score:Number")]
        let derived = try ApexObjectSpec(object: "Feedback__c", fields: fields, mapping: "/" + String(repeating: "A", count: 50))
        #expect(derived.className == String(repeating: "A", count: 36))
        let cases: [(String, String)] = [
            (String(repeating: "A", count: 37), "at most 36"), ("Bad Name", "letters, digits and underscores"),
            ("9Lives", "begin with a letter"), ("Two__Parts", "two underscores in a row"),
            ("Database", "system class"), ("json", "Apex keyword"), ("Test", "/TestEndpoint"),
        ]
        for (name, hint) in cases {
            do {
                _ = try ApexObjectSpec(object: "Feedback__c", fields: fields, className: name)
                Issue.record("accepted \(name)")
            } catch {
                #expect(error.kind == .invalidClassName)
                #expect(error.message.contains(hint), "\(error.message)")
            }
        }
        #expect(try ApexObjectSpec(object: "Feedback__c", fields: fields, className: "NPS_Endpoint").testClassName == "NPS_EndpointTest")
    }

    @Test("every metadata file is well-formed XML in the Metadata API namespace")
    func wellFormedXML() throws {
        for spec in [try Self.npsSpec(), try Self.allTypesSpec()] {
            for file in ApexGenerator(spec: spec).metadataFiles where file.path.hasSuffix(".xml") {
                let parser = XMLParser(data: Data(file.contents.utf8))
                parser.shouldProcessNamespaces = true
                let delegate = RootCollector()
                parser.delegate = delegate
                #expect(parser.parse(), "\(file.path): \(parser.parserError.map { "\($0)" } ?? "")")
                #expect(delegate.rootNamespace == "http://soap.sforce.com/2006/04/metadata", "\(file.path)")
            }
        }
    }

    @Test("class metadata carries the API version")
    func classMetadata() throws {
        let spec = try ApexObjectSpec(
            object: "Feedback__c", fields: [try ApexFieldSpec(parsing: "Score:Number")], apiVersion: .v62)
        #expect(ApexGenerator(spec: spec).classMetadata.contains("<apiVersion>62.0</apiVersion>"))
    }

    @Test(
        "invalid specs name the broken rule",
        arguments: [
            ("Feedback", ["Score:Number"], nil, nil, ApexSpecError.Kind.invalidObject, "must be a custom object ending in __c"),
            ("Feed back__c", ["Score:Number"], nil, nil, .invalidObject, "letters, digits and underscores"),
            ("CleverTap__Feedback__c", ["Score:Number"], nil, nil, .invalidObject, "--namespace CleverTap"),
            ("Feedback__c", [], nil, nil, .noFields, "at least one field"),
            ("Feedback__c", ["Score:Number", "score__c:Text"], nil, nil, .duplicateField, "given twice"),
            ("Feedback__c", ["Idempotency_Key:Text"], nil, nil, .reservedField, "Idempotency-Key header"),
            ("Feedback__c", ["is_test:Checkbox"], nil, nil, .reservedField, "test ping"),
            ("Feedback__c", ["Score:Number"], "Clever_Tap", nil, .invalidNamespace, "letters and digits"),
            ("Feedback__c", ["Score:Number"], nil, "InsertNPSFeedback", .invalidMapping, "must start with '/'"),
        ] as [(String, [String], String?, String?, ApexSpecError.Kind, String)])
    func invalidSpecs(object: String, fields: [String], namespace: String?, mapping: String?, kind: ApexSpecError.Kind, hint: String) throws {
        let parsed = try fields.map { text throws(ApexSpecError) in try ApexFieldSpec(parsing: text) }
        do {
            _ = try ApexObjectSpec(object: object, fields: parsed, namespace: namespace, mapping: mapping)
            Issue.record("accepted")
        } catch {
            #expect(error.kind == kind)
            #expect(error.message.contains(hint), "\(error.message)")
        }
    }

    @Test(
        "invalid fields name the broken rule",
        arguments: [
            ("Score", ApexSpecError.Kind.invalidFieldSyntax, "NAME:TYPE"),
            (":Number", .invalidFieldSyntax, "no name"),
            ("Score:Integer", .unknownType, "Text, LongText, Number, Checkbox, Date, DateTime, Email, Phone, Url, Picklist"),
            ("User Rating:Number", .invalidField, "User_Rating__c"),
            ("1st:Number", .invalidField, "begin with a letter"),
            ("Score_:Number", .invalidField, "underscore"),
            ("A__B__C:Number", .invalidField, "two underscores"),
            ("CleverTap__User Rating__c:Number", .invalidField, "try CleverTap__User_Rating__c"),
            (String(repeating: "a", count: 41) + ":Text", .invalidField, "at most 40"),
            ("Channel:Picklist", .picklistValues, "Channel:Picklist(Email|Push|SMS)"),
            ("Channel:Picklist(A|)", .picklistValues, "1 to 255 characters"),
            ("Channel:Picklist(A|a)", .picklistValues, "twice"),
            ("Channel:Picklist(A", .invalidFieldSyntax, "parentheses"),
            ("Score:Number(A)", .picklistValues, "only for picklists"),
        ])
    func invalidFields(text: String, kind: ApexSpecError.Kind, hint: String) {
        do {
            _ = try ApexFieldSpec(parsing: text)
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.kind == kind, "\(text): \(error.kind)")
            #expect(error.message.contains(hint), "\(error.message)")
        }
    }

    @Test("every type name parses in any case")
    func types() throws {
        #expect(ApexFieldType.all.map(\.description) == [
            "Text", "LongText", "Number", "Checkbox", "Date", "DateTime", "Email", "Phone", "Url", "Picklist",
        ])
        for type in ApexFieldType.all {
            #expect(try ApexFieldType(type.description.uppercased()) == type)
        }
    }
}

/// Records the namespace of the first element an XML parser reports.
final class RootCollector: NSObject, XMLParserDelegate {
    var rootNamespace: String?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if rootNamespace == nil { rootNamespace = namespaceURI }
    }
}
