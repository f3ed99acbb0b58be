import FerryCore
import Foundation

/// Reads typed values out of a render context for a ``RecordMapper``, with errors that name the path.
///
/// Paths are lists of keys: `reader.string("Event", "User Rating")`. A missing key and `null` both read as
/// `nil`; the `required...` forms throw ``RecordMappingError/Kind/missingValue`` instead. Conversions follow what
/// CleverTap sends: numbers may arrive as numeric strings (`"9"`), event dates as `"$D_<epoch seconds>"`, profile
/// timestamps as epoch milliseconds.
public struct ContextReader: Sendable {
    /// The context.
    public let context: JSONValue

    /// Creates a reader.
    /// - Parameter context: The render context.
    public init(_ context: JSONValue) { self.context = context }

    /// The value at a path, or `nil` when absent or `null`.
    /// - Parameter path: The keys.
    /// - Returns: The value.
    public func value(_ path: String...) -> JSONValue? { value(at: path) }

    func value(at path: [String]) -> JSONValue? {
        var current = context
        for key in path {
            guard let next = current[key] else { return nil }
            current = next
        }
        // Not a ternary: `cond ? nil : current` would make `nil` a JSONValue literal, i.e. `.null`.
        if current.isNull { return nil }
        return current
    }

    /// Text at a path: strings as they are, numbers and Booleans as their JSON text; empty strings read as `nil`.
    /// - Parameter path: The keys.
    /// - Returns: The text, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidValue`` for an array or object.
    public func string(_ path: String...) throws(RecordMappingError) -> String? { try string(at: path) }

    func string(at path: [String]) throws(RecordMappingError) -> String? {
        guard let value = value(at: path) else { return nil }
        switch value {
        case .string(let text): return text.isEmpty ? nil : text
        case .number(let number): return number.text
        case .bool(let flag): return flag ? "true" : "false"
        case .array(let items):
            // Multi-value properties: CleverTap sends arrays of strings; Salesforce multi-select style is `a;b`.
            let texts = items.compactMap { item -> String? in
                switch item {
                case .string(let text): text
                case .number(let number): number.text
                case .bool(let flag): flag ? "true" : "false"
                default: nil
                }
            }
            guard texts.count == items.count else {
                throw RecordMappingError(.invalidValue, path: dotted(path), "expected text, found an array holding arrays or objects")
            }
            return texts.isEmpty ? nil : texts.joined(separator: ";")
        default:
            throw RecordMappingError(.invalidValue, path: dotted(path), "expected text, found a \(value.kindName)")
        }
    }

    /// Required text at a path.
    /// - Parameter path: The keys.
    /// - Returns: The text.
    /// - Throws: ``RecordMappingError/Kind/missingValue`` when absent, `null` or empty.
    public func requiredString(_ path: String...) throws(RecordMappingError) -> String {
        guard let text = try string(at: path) else {
            throw RecordMappingError(.missingValue, path: dotted(path), "a value is required here but the context has none")
        }
        return text
    }

    /// A number at a path: a JSON number, or a string holding a decimal number (`"9"`, `" 4.5 "`).
    /// - Parameter path: The keys.
    /// - Returns: The number, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidValue`` for anything else.
    public func number(_ path: String...) throws(RecordMappingError) -> JSONNumber? { try number(at: path) }

    func number(at path: [String]) throws(RecordMappingError) -> JSONNumber? {
        guard let value = value(at: path) else { return nil }
        switch value {
        case .number(let number): return number
        case .string(let text):
            let trimmed = text.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { return nil }
            guard let number = JSONNumber(text: trimmed) else {
                throw RecordMappingError(.invalidValue, path: dotted(path), "expected a number, found the text '\(text.prefix(40))'")
            }
            return number
        default:
            throw RecordMappingError(.invalidValue, path: dotted(path), "expected a number, found a \(value.kindName)")
        }
    }

    /// A Boolean at a path: `true`/`false`, or the strings `"true"`/`"false"` (any case), `"1"`/`"0"`.
    /// - Parameter path: The keys.
    /// - Returns: The Boolean, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidValue`` for anything else.
    public func bool(_ path: String...) throws(RecordMappingError) -> Bool? {
        guard let value = value(at: path) else { return nil }
        switch value {
        case .bool(let flag): return flag
        case .string(let text):
            switch text.lowercased() {
            case "true", "1", "yes": return true
            case "false", "0", "no": return false
            case "": return nil
            default: break
            }
        case .number(let number) where number.intValue == 0 || number.intValue == 1:
            return number.intValue == 1
        default: break
        }
        throw RecordMappingError(.invalidValue, path: dotted(path), "expected true or false, found \(value.jsonString().prefix(40))")
    }

    /// An instant at a path: `"$D_<epoch seconds>"` (CleverTap event dates), an epoch number (seconds, or
    /// milliseconds when above 100,000,000,000), or ISO 8601 text.
    /// - Parameter path: The keys.
    /// - Returns: The instant, or `nil`.
    /// - Throws: ``RecordMappingError/Kind/invalidValue`` for anything else.
    public func dateTime(_ path: String...) throws(RecordMappingError) -> SalesforceDateTime? {
        try dateTime(at: path)
    }

    func dateTime(at path: [String]) throws(RecordMappingError) -> SalesforceDateTime? {
        guard let value = value(at: path) else { return nil }
        if let parsed = ContextReader.parseDateTime(value) { return parsed }
        if case .string(let text) = value, text.isEmpty { return nil }
        throw RecordMappingError(
            .invalidValue, path: dotted(path),
            "expected a date-time ($D_<epoch seconds>, epoch seconds or milliseconds, or ISO 8601), found \(value.jsonString().prefix(40))")
    }

    /// The field value that best fits a JSON value: text, number, Boolean, or a date-time for `$D_` strings;
    /// arrays of scalars become `a;b` text.
    /// - Parameter path: The keys.
    /// - Returns: The value, or `nil` when absent or `null`.
    /// - Throws: ``RecordMappingError/Kind/invalidValue`` for objects and nested arrays.
    public func fieldValue(_ path: String...) throws(RecordMappingError) -> SObjectFieldValue? {
        guard let value = value(at: path) else { return nil }
        switch value {
        case .number(let number): return .number(number)
        case .bool(let flag): return .bool(flag)
        case .string(let text) where text.hasPrefix("$D_"):
            return try dateTime(at: path).map { .dateTime($0) }
        default:
            return try string(at: path).map { .text($0) }
        }
    }

    static func parseDateTime(_ value: JSONValue) -> SalesforceDateTime? {
        switch value {
        case .number(let number):
            return epoch(number.doubleValue)
        case .string(let text):
            if text.hasPrefix("$D_"), let seconds = Double(text.dropFirst(3)) { return epoch(seconds, forceSeconds: true) }
            if let parsed = SalesforceDateTime(text) { return parsed }
            if let date = SalesforceDate(text) {
                let days = CivilDate.daysFromCivil(year: date.year, month: date.month, day: date.day)
                return SalesforceDateTime(millisecondsSince1970: Int64(days) * 86_400_000)
            }
            return nil
        default:
            return nil
        }
    }

    private static func epoch(_ number: Double, forceSeconds: Bool = false) -> SalesforceDateTime? {
        guard number.isFinite, abs(number) < 1e15 else { return nil }
        let milliseconds = (!forceSeconds && abs(number) >= 100_000_000_000) ? number : number * 1000
        return SalesforceDateTime(millisecondsSince1970: Int64(milliseconds.rounded(.down)))
    }

    private func dotted(_ path: [String]) -> String { path.joined(separator: ".") }
}
