import FerryTesting
import Foundation
import FuzzSupport
import SalesforceModels

#if canImport(FoundationXML)
import FoundationXML
#endif

/// Feeds arbitrary text to the Apex generator where a user's text reaches it (`ferry apex --mapping`, a
/// picklist's values, `--record-name`) and checks that whatever it accepts stays data: the generated classes
/// scan cleanly, their code is token for token the code of a harmless spec with the same shape (so no input
/// became code), the mapping and the first picklist value decode back from their literals, and the picklist
/// metadata parses as XML giving the values back.
///
/// Input: `MAPPING NEWLINE PICKLIST-VALUES` (values separated by `|`, as `--field Channel:Picklist(...)` takes
/// them); a missing line is a fixed valid default.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let lines = FuzzInput(data, size).text.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
    let mapping = lines.first.map(String.init) ?? "/nps"
    let values = lines.count > 1 ? String(lines[1]) : "Email|Push"
    guard let hostile = spec(mapping: mapping, picklist: values) else { return 0 }
    let picklist = hostile.fields[1].picklistValues
    let harmlessValues = picklist.indices.map { "v\($0)" }.joined(separator: "|")
    guard let harmless = spec(mapping: "/harmless", picklist: harmlessValues, className: hostile.className) else {
        fuzzCheck(false, "the harmless spec for class \(hostile.className) was refused")
        return 0
    }
    let generator = ApexGenerator(spec: hostile)
    let reference = ApexGenerator(spec: harmless)
    for (source, referenceSource) in [(generator.restClass, reference.restClass), (generator.testClass, reference.testClass)] {
        let tokens: [ApexSourceToken]
        do {
            tokens = try ApexSourceScanner.scan(source)
        } catch {
            fuzzCheck(false, "generated Apex does not scan: \(error)")
            return 0
        }
        let code = tokens.filter { $0.kind == .code }.map(\.text)
        let referenceCode = (try? ApexSourceScanner.scan(referenceSource))?.filter { $0.kind == .code }.map(\.text)
        fuzzCheck(code == referenceCode, "user text changed the code of the generated class")
        let literals = Set(tokens.filter { $0.kind == .stringLiteral }.map(\.value))
        fuzzCheck(literals.contains(hostile.endpointPath) || literals.contains(hostile.mapping.path), "the mapping does not decode back")
    }
    let testLiterals = (try? ApexSourceScanner.scan(generator.testClass))?.filter { $0.kind == .stringLiteral }.map(\.value) ?? []
    fuzzCheck(testLiterals.contains(picklist[0]), "the picklist sample does not decode back")
    let collector = FullNameCollector()
    let parser = XMLParser(data: Data(generator.fieldMetadata(hostile.fields[1]).utf8))
    parser.delegate = collector
    fuzzCheck(parser.parse(), "picklist metadata is not well-formed XML")
    fuzzCheck(collector.texts == [hostile.fields[1].apiName.fullName] + picklist, "picklist values do not round-trip through XML")
    return 0
}

/// The spec `ferry apex --object Feedback__c --field Score:Number --field Channel:Picklist(VALUES) --mapping M`
/// builds, or `nil` when it refuses the input.
func spec(mapping: String, picklist: String, className: String? = nil) -> ApexObjectSpec? {
    guard let score = try? ApexFieldSpec(parsing: "Score:Number"),
        let channel = try? ApexFieldSpec(parsing: "Channel:Picklist(\(picklist))")
    else { return nil }
    return try? ApexObjectSpec(object: "Feedback__c", fields: [score, channel], mapping: mapping, className: className)
}

/// Collects the text of every `fullName` element.
final class FullNameCollector: NSObject, XMLParserDelegate {
    var texts: [String] = []
    private var current: String?

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?, qualifiedName: String?,
        attributes: [String: String] = [:]
    ) {
        if elementName == "fullName" { current = "" }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) { current? += string }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        if elementName == "fullName", let text = current {
            texts.append(text)
            current = nil
        }
    }
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_apex_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
