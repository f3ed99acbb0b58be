/// How a template treats names it cannot resolve.
public struct TemplateMode: Sendable, Hashable, CustomStringConvertible {
    enum Code: Sendable, Hashable { case lax, strict }
    let code: Code

    /// Shopify's default: an undefined variable renders as nothing, an unknown filter leaves its input unchanged.
    public static let lax = TemplateMode(code: .lax)
    /// An undefined variable or filter is an error (the `default` filter still supplies a value for an undefined
    /// variable). Use it to preview payloads, so a typo such as `Profile.Emial` is caught before anything is sent.
    public static let strict = TemplateMode(code: .strict)

    /// Whether this is ``strict``.
    public var isStrict: Bool { code == .strict }

    /// `"lax"` or `"strict"`.
    public var description: String { isStrict ? "strict" : "lax" }
}
