import FerryCore
import FerryTemplating
import Foundation
import Testing

/// Inputs the `fuzz-liquid` and `fuzz-payload` targets reported (Fuzz/), kept so that they keep ending well.
/// Each is the reproducer's bytes; the fuzz targets decode them as UTF-8 (invalid bytes become U+FFFD).
@Suite("Fuzz regressions: templates")
struct TemplateFuzzRegressionTests {
    /// The fuzz-liquid harness's environment: the template is its own partial `self`, loops capped at 200,000,
    /// other limits the defaults, strict mode for odd-length inputs.
    func outcome(_ bytes: [UInt8]) -> Result<RenderResult, TemplateError> {
        let source = String(decoding: bytes, as: UTF8.self)
        var limits = TemplateLimits()
        limits.maximumLoopIterations = 200_000
        let environment = TemplateEnvironment(
            mode: bytes.count % 2 == 1 ? .strict : .lax, loader: InMemoryTemplateLoader(["self": source]),
            limits: limits, clock: ManualClock())
        return Result { () throws(TemplateError) in try Template(source, environment: environment).render([:]) }
    }

    @Test("fuzz-liquid timeout report: a string with invalid UTF-8 doubled by append in a loop stops at the output limit")
    func doublingWithReplacementCharacters() throws {
        // timeout-f87ab90890016ce143222b55f8ade69140d1ff29: reported as a 14 s hang while the machine was loaded;
        // it renders in well under a second alone. Kept because it is the shape of an exponential-output attack.
        let bytes = try #require(Data(base64Encoded: "eyUgYXNzaWduIHMgPSAneHh4eHh4eHh4Ozs7Ozs7Ozs7////////////////////////////////////////Ozs7Ozs7OzM7Ozs7Ozs7Ozs7Ozt4JyAlfXslIGZvciBpIGluICgxLi43NCkgJX17JSBhc3NpZ24gcyA9IHMgfCBhcHBlbmQ6IHMgJX17JSBlbmRmb3IgJX0="))
        guard case .failure(let error) = outcome(Array(bytes)) else {
            Issue.record("the doubling template rendered")
            return
        }
        #expect(error.kind == .outputTooLarge)
        #expect(error.message.contains("filter 'append' built a text of"))
    }
}
