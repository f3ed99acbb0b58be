import Foundation
import FerryCore
import FuzzSupport

/// Parses arbitrary bytes as JSON; whatever parses must survive a round trip.
///
/// Invariants: `parse(serialise(v)) == v` for compact and pretty output, serialising is stable
/// (`serialise(parse(serialise(v))) == serialise(v)`), and `Data` and `String` parsing agree on valid UTF-8.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let value: JSONValue
    do {
        value = try JSONValue(parsing: input.data)
    } catch {
        _ = error.description
        if let text = String(validating: input.bytes, as: UTF8.self), (try? JSONValue(parsing: text)) != nil {
            fuzzCheck(false, "String parsing accepted what Data parsing rejected: \(error.message)")
        }
        return 0
    }
    let compact = value.jsonString()
    let pretty = value.jsonString(prettyPrinted: true)
    do {
        let again = try JSONValue(parsing: compact)
        fuzzCheck(again == value, "compact round trip changed the value: \(compact.prefix(200))")
        fuzzCheck(again.jsonString() == compact, "serialising is not stable: \(compact.prefix(200))")
        let fromPretty = try JSONValue(parsing: pretty)
        fuzzCheck(fromPretty == value, "pretty round trip changed the value: \(pretty.prefix(200))")
        var bytes: [UInt8] = []
        value.appendJSON(to: &bytes)
        fuzzCheck(bytes == Array(compact.utf8), "appendJSON and jsonString differ")
    } catch {
        fuzzCheck(false, "serialised JSON does not parse: \(error.message) in \(compact.prefix(200))")
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_json_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
