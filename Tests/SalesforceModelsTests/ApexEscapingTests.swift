import Foundation
import FerryTesting
import SalesforceModels
import Testing

#if canImport(FoundationXML)
import FoundationXML
#endif

/// User text reaches generated Apex (the URL mapping, picklist values) and XML (picklist values, labels): no
/// accepted input may end a comment, a literal or an element early and become code or markup.
@Suite("Apex generation: hostile input")
struct ApexEscapingTests {
    /// A spec with one mapping and one picklist field, as the CLI would build it.
    static func spec(mapping: String, picklist: String) throws -> ApexObjectSpec {
        try ApexObjectSpec(
            object: "Feedback__c",
            fields: [try ApexFieldSpec(parsing: "Score:Number"), try ApexFieldSpec(parsing: "Channel:Picklist(\(picklist))")],
            mapping: mapping)
    }

    /// The code of a source with comments and literals taken out: what the compiler executes.
    static func code(_ source: String) throws -> [String] {
        try ApexSourceScanner.scan(source).filter { $0.kind == .code }.map(\.text)
    }

    static let hostile: [(label: String, mapping: String, picklist: String)] = [
        ("CommentCloser", "/nps/*/responses", "a*/ System.debug('pwned'); /*b|c"),
        ("QuoteAndBackslash", "/nps/x/responses", #"it's\|c\'|\"#),
        ("CombiningMarks", "/nps/x/responses", "*/\u{301} a'\u{301}b \\\u{301}|c"),
        ("XMLMarkup", "/nps/x/responses", "<b>&amp;</b>|\"q\"|]]>"),
    ]

    @Test("hostile mapping and picklist text stays inside comments and literals", arguments: hostile)
    func hostileTextStaysData(label: String, mapping: String, picklist: String) throws {
        let hostile = ApexGenerator(spec: try Self.spec(mapping: mapping, picklist: picklist))
        let benign = ApexGenerator(spec: try Self.spec(mapping: "/nps/x/responses", picklist: "x|c"))
        try GeneratedApexOutput.record(hostile, as: "Hostile" + label)
        // Same code, token for token: the user text changed only comments and literals.
        #expect(try Self.code(hostile.restClass) == Self.code(benign.restClass))
        #expect(try Self.code(hostile.testClass) == Self.code(benign.testClass))
        let rest = try ApexSourceScanner.scan(hostile.restClass)
        #expect(rest.first?.kind == .blockComment)
        #expect(rest.first?.text.hasSuffix("\n */") == true, "the header comment ends where the generator ends it")
        let mappingLiteral = rest.first { $0.kind == .stringLiteral }
        #expect(mappingLiteral?.value == mapping)
        let first = try #require(picklist.split(separator: "|", omittingEmptySubsequences: false).first)
        let literals = try ApexSourceScanner.scan(hostile.testClass).filter { $0.kind == .stringLiteral }.map(\.value)
        #expect(literals.contains(String(first)), "the picklist sample decodes back to the value")
        #expect(literals.contains("/services/apexrest" + mapping))
    }

    @Test("the seed's attack from the issue: text after */ is not code")
    func issueAttack() throws {
        let apex = ApexGenerator(spec: try Self.spec(mapping: "/nps/*/responses", picklist: "a*/ System.debug('pwned'); /*b|c"))
        for source in [apex.restClass, apex.testClass] {
            let executable = try Self.code(source).joined()
            #expect(!executable.contains("pwned"))
            #expect(!executable.contains("System.debug"))
        }
        #expect(apex.restClass.contains(" * Endpoint: POST https://<MyDomain>.my.salesforce.com/services/apexrest/nps/*\\/responses"))
    }

    @Test("a hostile Name prefix stays inside its literal and the header comment")
    func hostileRecordNamePrefix() throws {
        func generator(_ prefix: String) throws -> ApexGenerator {
            ApexGenerator(spec: try ApexObjectSpec(
                object: "NPS__c", fields: [try ApexFieldSpec(parsing: "userId:Text"), try ApexFieldSpec(parsing: "at:DateTime")],
                recordName: .payload(prefix: prefix, key: "userId")))
        }
        let prefix = #"O'Neil\*/ x; /*-"#
        let hostile = try generator(prefix)
        try GeneratedApexOutput.record(hostile, as: "HostileRecordName")
        #expect(try Self.code(hostile.restClass) == Self.code(try generator("P-").restClass))
        #expect(try Self.code(hostile.testClass) == Self.code(try generator("P-").testClass))
        let literals = try ApexSourceScanner.scan(hostile.restClass).filter { $0.kind == .stringLiteral }.map(\.value)
        #expect(literals.contains(prefix))
        let testLiterals = try ApexSourceScanner.scan(hostile.testClass).filter { $0.kind == .stringLiteral }.map(\.value)
        #expect(testLiterals.contains(prefix + "null"))
    }

    @Test("picklist values round-trip through the metadata XML", arguments: hostile)
    func xmlRoundTrip(label: String, mapping: String, picklist: String) throws {
        let spec = try Self.spec(mapping: mapping, picklist: picklist)
        let field = try #require(spec.fields.last)
        let xml = ApexGenerator(spec: spec).fieldMetadata(field)
        let collector = ElementTextCollector(element: "fullName")
        let parser = XMLParser(data: Data(xml.utf8))
        parser.delegate = collector
        #expect(parser.parse(), "\(label): \(parser.parserError.map { "\($0)" } ?? "")")
        #expect(collector.texts == [field.apiName.fullName] + field.picklistValues)
        #expect(field.picklistValues == picklist.split(separator: "|", omittingEmptySubsequences: false).map(String.init))
    }

    @Test(
        "text that metadata cannot hold is refused, naming the character",
        arguments: [("a\u{07}b", "U+0007"), ("a\u{2028}b", "U+2028"), ("x\u{85}", "U+0085"), ("a\nb", "U+000A")])
    func unrepresentable(value: String, codePoint: String) {
        do {
            _ = try ApexFieldSpec(name: "Channel", type: .picklist, picklistValues: [value, "ok"])
            Issue.record("accepted \(value.debugDescription)")
        } catch {
            #expect(error.kind == .picklistValues)
            #expect(error.message.contains(codePoint), "\(error.message)")
        }
    }

    @Test("a '|' or ',' hidden under a combining mark is still refused")
    func separatorsUnderCombiningMarks() {
        for value in ["a|\u{301}b", "a,\u{301}b"] {
            #expect(throws: ApexSpecError.self) { try ApexFieldSpec(name: "Channel", type: .picklist, picklistValues: [value]) }
        }
    }
}

/// Collects the text of every element with one name.
final class ElementTextCollector: NSObject, XMLParserDelegate {
    let element: String
    var texts: [String] = []
    private var current: String?

    init(element: String) { self.element = element }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == element { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == element, let text = current {
            texts.append(text)
            current = nil
        }
    }
}
