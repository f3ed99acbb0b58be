/// A known, deliberate difference between Ferry and Ruby Liquid that comes from Ruby being the host language, not
/// from Liquid. The differential test accepts a difference only when one of these explains it: either the quirk's
/// `neutralize` removes the construct it is about, both engines render the rewritten template again, and the
/// difference must be gone (so a quirk never hides a difference elsewhere in the same template); or the quirk's
/// `rubyOutput` rewrites Ruby's text into exactly Ferry's.
///
/// Keep the list short; every entry says why Ferry does not copy Ruby.
struct RubyHostQuirk: Sendable {
    let name: String
    let reason: String
    /// The template without the construct, or `nil` when the template does not use it.
    var neutralize: @Sendable (_ template: String) -> String? = { _ in nil }
    /// Ruby's output with the quirk's trace taken out, or `nil` when it has none.
    var rubyOutput: @Sendable (_ output: String) -> String? = { _ in nil }

    static let all: [RubyHostQuirk] = [
        RubyHostQuirk(
            name: "Integer#size",
            reason: """
                `{{ 1 | size }}` is 8 in Ruby Liquid: `size` calls Ruby's `Integer#size`, the number of bytes in the \
                machine representation (8 for a fixnum, 9 or more for a bignum). No template means that; Ferry \
                gives a number no size (0), as python-liquid does.
                """,
            // `join: ""` first makes every input text (a number its digits, an array its elements), so `size`
            // counts characters in both engines and every other part of the template still has to agree.
            neutralize: { template in replacing("| size", with: "| join: \"\" | size", in: template) }),
        RubyHostQuirk(
            name: "Float overflow",
            reason: """
                Arithmetic beyond the largest double (`1.5e300 | times: -1e20`) gives Ruby's `-Infinity`, which \
                Ruby Liquid prints. Infinity is not a JSON value and Ferry's values are JSON, so Ferry's result is \
                nil and prints nothing (a payload never carries `Infinity`).
                """,
            rubyOutput: { output in
                guard output.contains("Infinity") || output.contains("NaN") else { return nil }
                return output.replacingOccurrences(of: "-Infinity", with: "")
                    .replacingOccurrences(of: "Infinity", with: "").replacingOccurrences(of: "NaN", with: "")
            }),
    ]

    /// `template` with every occurrence of `text` replaced, or `nil` when there is none.
    static func replacing(_ text: String, with replacement: String, in template: String) -> String? {
        guard template.contains(text) else { return nil }
        return template.replacingOccurrences(of: text, with: replacement)
    }
}
