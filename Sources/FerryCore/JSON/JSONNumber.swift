/// A JSON number that remembers whether it was an integer, and keeps exact text when no machine type can.
///
/// Three representations, chosen when the number is parsed or created:
/// - an integer that fits in `Int64` (`9`, `-42`) is stored as an integer and always written back without a
///   fraction;
/// - a number with a fraction or exponent and at most 15 significant digits is stored as a `Double` (15 digits
///   always survive a round trip through `Double`);
/// - anything else (`12345678901234567890`, `3.14159265358979323846`) keeps its exact source text, so an
///   identifier or a currency amount is never silently rounded on its way to Salesforce.
///
/// Equality is numeric: `1` equals `1.0`. Two exact-text numbers are equal when their text is.
public struct JSONNumber: Sendable {
    @usableFromInline
    enum Storage: Sendable {
        case int(Int64)
        case double(Double)
        case exact(String)
    }

    @usableFromInline
    let storage: Storage

    /// Creates an integer number.
    /// - Parameter value: The integer.
    public init(_ value: Int) { storage = .int(Int64(value)) }

    /// Creates an integer number.
    /// - Parameter value: The integer.
    public init(_ value: Int64) { storage = .int(value) }

    /// Creates a floating-point number. Non-finite values are not JSON; they are stored as `0`.
    /// Use ``JSONValue/double(_:)``, which maps them to `null`, when the input may be non-finite.
    /// - Parameter value: The number.
    public init(_ value: Double) { storage = .double(value.isFinite ? value : 0) }

    /// Creates a number from JSON number text, keeping the text exactly when no machine type holds it.
    /// - Parameter text: Text matching the JSON number grammar (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`).
    /// - Returns: `nil` when `text` is not a JSON number.
    public init?(text: String) {
        var copy = text
        let parsed: JSONNumber? = copy.withUTF8 { bytes in
            guard JSONNumber.grammarLength(bytes, from: 0) == bytes.count else { return nil }
            return JSONNumber(validatedText: bytes)
        }
        guard let parsed else { return nil }
        self = parsed
    }

    init(storage: Storage) { self.storage = storage }

    /// Builds a number from bytes already known to match the JSON number grammar.
    init(validatedText bytes: UnsafeBufferPointer<UInt8>) {
        var isInteger = true
        var significantDigits = 0
        var seenNonZero = false
        for byte in bytes {
            if byte == UInt8(ascii: "e") || byte == UInt8(ascii: "E") {
                isInteger = false
                break
            }
            if byte == UInt8(ascii: ".") {
                isInteger = false
            } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
                if byte != UInt8(ascii: "0") { seenNonZero = true }
                if seenNonZero { significantDigits += 1 }
            }
        }
        let text = String(decoding: bytes, as: UTF8.self)
        if isInteger, let value = Int64(text) {
            storage = .int(value)
        } else if !isInteger, significantDigits <= 15, let value = Double(text), value.isFinite,
            value != 0 || !seenNonZero
        {
            storage = .double(value)
        } else {
            storage = .exact(text)
        }
    }

    /// How many bytes from `start` match the JSON number grammar (0 when none do).
    static func grammarLength(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var i = start
        let end = bytes.count
        func isDigit(_ index: Int) -> Bool {
            index < end && bytes[index] >= UInt8(ascii: "0") && bytes[index] <= UInt8(ascii: "9")
        }
        if i < end && bytes[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { return 0 }
        if bytes[i] == UInt8(ascii: "0") {
            i += 1
        } else {
            while isDigit(i) { i += 1 }
        }
        if i < end && bytes[i] == UInt8(ascii: ".") {
            guard isDigit(i + 1) else { return 0 }
            i += 1
            while isDigit(i) { i += 1 }
        }
        if i < end && (bytes[i] == UInt8(ascii: "e") || bytes[i] == UInt8(ascii: "E")) {
            var j = i + 1
            if j < end && (bytes[j] == UInt8(ascii: "+") || bytes[j] == UInt8(ascii: "-")) { j += 1 }
            guard isDigit(j) else { return 0 }
            while isDigit(j) { j += 1 }
            i = j
        }
        return i - start
    }

    /// Whether the number is stored as an integer (it was written without a fraction or exponent and fits in
    /// `Int64`).
    public var isInteger: Bool {
        if case .int = storage { return true }
        return false
    }

    /// The value as an `Int`, when it is a whole number that fits; `nil` otherwise.
    public var intValue: Int? {
        switch storage {
        case .int(let value): return Int(exactly: value)
        case .double(let value): return Int(exactly: value)
        case .exact(let text): return Int(text) ?? Double(text).flatMap { Int(exactly: $0) }
        }
    }

    /// The value as a `Double` (rounded to the nearest `Double` for exact text and very large integers).
    public var doubleValue: Double {
        switch storage {
        case .int(let value): return Double(value)
        case .double(let value): return value
        case .exact(let text): return Double(text) ?? 0
        }
    }

    /// The JSON text of the number: integers without a fraction, doubles in their shortest round-tripping form,
    /// exact text as it was given.
    public var text: String {
        switch storage {
        case .int(let value): return String(value)
        case .double(let value): return JSONNumber.shortestText(value)
        case .exact(let text): return text
        }
    }

    static func shortestText(_ value: Double) -> String {
        // Swift's description is the shortest text that round-trips, and always valid JSON for finite values
        // ("1e-07", "1e+20", "0.1"). Whole doubles keep their ".0": the number was not an integer in the source.
        value.description
    }
}

extension JSONNumber: Hashable {
    /// Numeric equality: integers and doubles compare by value; exact text compares as text with other exact
    /// text, and by its `Double` value with integers and doubles.
    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.int(let a), .int(let b)): return a == b
        case (.double(let a), .double(let b)): return a == b
        case (.int(let a), .double(let b)), (.double(let b), .int(let a)): return Double(exactly: a) == b
        case (.exact(let a), .exact(let b)): return a == b
        default: return lhs.doubleValue == rhs.doubleValue
        }
    }

    /// Hashes the `Double` value, which every pair of equal numbers shares.
    public func hash(into hasher: inout Hasher) {
        hasher.combine(doubleValue)
    }
}

extension JSONNumber: Comparable {
    /// Numeric order; integers compare exactly, everything else by `Double` value.
    public static func < (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        if case .int(let a) = lhs.storage, case .int(let b) = rhs.storage { return a < b }
        return lhs.doubleValue < rhs.doubleValue
    }
}

extension JSONNumber: CustomStringConvertible {
    /// The JSON text of the number.
    public var description: String { text }
}
