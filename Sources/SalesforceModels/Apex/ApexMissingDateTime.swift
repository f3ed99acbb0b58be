/// What the generated class stores in a Date/Time field whose payload key is missing or blank.
///
/// `ferry apex --missing-datetime now` (the default, as the seed's `DateTime.now()`) or `--missing-datetime empty`.
public struct ApexMissingDateTime: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case receiptTime = "now", empty
    }
    let code: Code

    /// The time the request is received (`Datetime.now()`), as the seed's class does for `timestamp`.
    public static let receiptTime = ApexMissingDateTime(code: .receiptTime)
    /// Leave the field empty.
    public static let empty = ApexMissingDateTime(code: .empty)

    /// Parses the CLI's form.
    /// - Parameter text: `now` or `empty`.
    /// - Throws: ``ApexSpecError`` of kind ``ApexSpecError/Kind/invalidOption`` naming both choices.
    public init(parsing text: String) throws(ApexSpecError) {
        guard let code = Code(rawValue: text.lowercased()) else {
            throw ApexSpecError(
                .invalidOption,
                "--missing-datetime '\(text)' must be 'now' (the time of receipt, as the seed's class) or 'empty'")
        }
        self.code = code
    }

    private init(code: Code) { self.code = code }

    /// `now` or `empty`.
    public var description: String { code.rawValue }
}
