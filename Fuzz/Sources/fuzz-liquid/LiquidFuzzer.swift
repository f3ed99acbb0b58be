import FerryCore
import FerryTemplating
import FuzzSupport

/// Parses and renders arbitrary Liquid against a context.
///
/// Input: `TEMPLATE`, or `CONTEXT-JSON NUL TEMPLATE`. Odd-length inputs run in strict mode, even-length ones in
/// lax mode. The loader holds the template itself as `self` (so `{% include 'self' %}` recurses) and a few
/// partials. Loop iterations are capped at 200,000 (default 1,000,000) so that a legitimately long loop under
/// AddressSanitizer does not read as a hang; every other limit is the default.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let input = FuzzInput(data, size)
    let parts = input.splitAtNUL
    let source = String(decoding: parts?.tail ?? input.bytes, as: UTF8.self)
    let context = FuzzContexts.context(from: parts?.head)
    let loader = InMemoryTemplateLoader([
        "self": source,
        "item": "{{ item.name | default: 'none' }}:{{ forloop.index }}",
        "loop": "{% include 'loop' %}",
        "args": "{{ a }}-{{ b | upcase }}",
    ])
    var limits = TemplateLimits()
    limits.maximumLoopIterations = 200_000
    let environment = TemplateEnvironment(
        mode: size % 2 == 1 ? .strict : .lax, loader: loader, limits: limits, clock: ManualClock())
    do {
        let template = try Template(source, name: "fuzz", environment: environment)
        switch try template.render(context) {
        case .rendered(let output):
            fuzzCheck(output.utf8.count <= limits.maximumOutputBytes, "output of \(output.utf8.count) bytes passed the limit")
        case .aborted(let reason):
            _ = reason
        }
    } catch {
        // Every error must describe itself without trapping.
        _ = error.description
        _ = error.summary
    }
    return 0
}

/// The entry point SwiftPM links `main` to: hands over to libFuzzer's driver.
@_cdecl("fuzz_liquid_main")
public func fuzzerMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    runLibFuzzer(argc, argv) { data, size in withFuzzInput(data, size, fuzz) }
}
