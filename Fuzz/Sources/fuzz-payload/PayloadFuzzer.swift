import FerryCore
import FerryTemplating
import FuzzSupport

/// Parses and renders arbitrary JSON-mode (payload) templates.
///
/// Input: `TEMPLATE`, or `CONTEXT-JSON NUL TEMPLATE`. Invariant: a payload that renders is one valid JSON value,
/// and the value `renderJSON` returns is what `render`'s text parses to.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let parts = input.splitAtNUL
    let source = String(decoding: parts?.tail ?? input.bytes, as: UTF8.self)
    let context = FuzzContexts.context(from: parts?.head)
    var limits = TemplateLimits()
    limits.maximumLoopIterations = 200_000
    let environment = TemplateEnvironment(mode: size % 2 == 1 ? .strict : .lax, limits: limits, clock: ManualClock())
    let payload: PayloadTemplate
    do {
        payload = try PayloadTemplate(source, name: "payload", environment: environment)
    } catch {
        _ = error.description
        return 0
    }
    do {
        switch try payload.render(context) {
        case .rendered(let text):
            let reparsed: JSONValue
            do {
                reparsed = try JSONValue(parsing: text)
            } catch {
                fuzzCheck(false, "rendered payload is not JSON: \(error.message)")
                return 0
            }
            let value = try payload.renderJSON(context)
            fuzzCheck(value == reparsed, "renderJSON differs from the parsed render output")
        case .aborted:
            break
        }
    } catch {
        _ = error.description
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_payload_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
