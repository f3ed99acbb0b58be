import FerryCore

extension JSONValue {
    /// The text of a number (external IDs may be numbers in JSON).
    var jsonStringIfNumber: String? {
        if case .number(let number) = self { return number.text }
        return nil
    }
}
