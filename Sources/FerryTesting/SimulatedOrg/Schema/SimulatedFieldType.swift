/// The type of a field in a simulated object, named as `describe` names it (`string`, `double`, `boolean`, ...).
public struct SimulatedFieldType: Sendable, Hashable, CustomStringConvertible {
    enum Code: String, Sendable, Hashable {
        case id, string, textarea, double, boolean, date, datetime, email, phone, url, picklist, autoNumber
    }
    let code: Code

    /// A record id (the `Id` field).
    public static let id = SimulatedFieldType(code: .id)
    /// Text (`Text(n)`).
    public static let string = SimulatedFieldType(code: .string)
    /// Long text (`LongTextArea`).
    public static let textArea = SimulatedFieldType(code: .textarea)
    /// A number (`Number(p, s)`).
    public static let double = SimulatedFieldType(code: .double)
    /// A checkbox.
    public static let boolean = SimulatedFieldType(code: .boolean)
    /// A date, `yyyy-MM-dd`.
    public static let date = SimulatedFieldType(code: .date)
    /// A date-time, ISO 8601 with a zone.
    public static let dateTime = SimulatedFieldType(code: .datetime)
    /// An e-mail address.
    public static let email = SimulatedFieldType(code: .email)
    /// A phone number.
    public static let phone = SimulatedFieldType(code: .phone)
    /// A URL.
    public static let url = SimulatedFieldType(code: .url)
    /// A restricted picklist.
    public static let picklist = SimulatedFieldType(code: .picklist)
    /// An auto-number name field (filled by the org, not createable).
    public static let autoNumber = SimulatedFieldType(code: .autoNumber)

    /// The name `describe` gives the type.
    public var describeName: String { code == .autoNumber ? "string" : code.rawValue }

    /// The type's name.
    public var description: String { code.rawValue }

    var isTextual: Bool {
        switch code {
        case .string, .textarea, .email, .phone, .url, .picklist, .autoNumber, .id: true
        default: false
        }
    }
}
