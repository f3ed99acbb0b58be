import Foundation

/// One JSON value carried as its UTF-8 text, checked once and parsed only when something needs the tree.
///
/// A rendered payload travels from the template to the wire through an outbox that stores it on disk or in a
/// database. Carried as a ``JSONValue`` it was parsed and serialised twice on that road; carried as `RawJSON` it is
/// validated once where it is made and then moved as bytes: the journal stores them as they are, and an Apex REST
/// request body *is* them. Only a destination or mapper that reads fields (``value``) parses, each time it asks.
///
/// ```swift
/// let payload = try RawJSON(validating: #"{"userId": "u1", "npsScore": 9}"#)
/// payload.data          // the bytes, as given
/// try payload.value     // ["userId": "u1", "npsScore": 9], parsed on request
/// ```
///
/// Two values are equal when their bytes are: `{"a":1}` and `{ "a": 1 }` are different `RawJSON` (compare
/// ``value`` for equality as JSON).
public struct RawJSON: Sendable, Hashable {
    /// The UTF-8 JSON text, exactly as validated or written.
    public let data: Data

    /// Checks that `data` is one strict RFC 8259 JSON value and keeps it as it is, without building its tree.
    /// - Parameters:
    ///   - data: UTF-8 JSON text.
    ///   - options: Parsing limits (the nesting depth), the same as ``JSONValue/init(parsing:options:)-(Data,_)``.
    /// - Throws: ``JSONParseError`` with the byte offset and what was expected there, exactly as parsing would.
    public init(validating data: Data, options: JSONParsingOptions = .default) throws(JSONParseError) {
        let failure: JSONParseError? = data.withUnsafeBytes { raw in
            Self.check(raw.bindMemory(to: UInt8.self), maximumDepth: options.maximumDepth)
        }
        if let failure { throw failure }
        self.data = data
    }

    /// Checks that `text` is one strict RFC 8259 JSON value and keeps its UTF-8 bytes.
    /// - Parameters:
    ///   - text: JSON text.
    ///   - options: Parsing limits.
    /// - Throws: ``JSONParseError``, as ``init(validating:options:)-(Data,_)``.
    public init(validating text: String, options: JSONParsingOptions = .default) throws(JSONParseError) {
        try self.init(validating: Data(text.utf8), options: options)
    }

    /// The JSON text of `value` (compact, as ``JSONValue/jsonData(prettyPrinted:)`` writes it): valid by
    /// construction, so nothing is checked.
    /// - Parameter value: The value to carry.
    public init(_ value: JSONValue) {
        data = value.jsonData()
    }

    /// Bytes that code in this package wrote or checked itself (a journal record, a rendered payload already
    /// validated): kept without a second check.
    /// - Parameter data: UTF-8 JSON text known to be valid.
    package init(alreadyValidated data: Data) {
        self.data = data
    }

    /// The parsed value, built on every access: read it once and keep it when several fields are needed.
    ///
    /// Parsing is not cached: nearly every payload goes to the wire without anyone reading it, and a cache would
    /// cost each of them a lock and an allocation to save a second parse that no destination makes.
    /// - Throws: ``JSONParseError`` only for bytes that were never valid JSON (a store that handed back other
    ///   bytes than it was given); bytes checked by ``init(validating:options:)-(Data,_)`` always parse.
    public var value: JSONValue {
        get throws(JSONParseError) {
            RawJSON.parseObserver?()
            return try JSONValue(parsing: data)
        }
    }

    /// The JSON text as a string.
    public var text: String { String(decoding: data, as: UTF8.self) }

    /// Whether `bytes` hold one strict RFC 8259 JSON value, the check ``init(validating:options:)-(Data,_)``
    /// makes, for callers that hold bytes in a buffer of their own.
    /// - Parameters:
    ///   - bytes: UTF-8 JSON text.
    ///   - maximumDepth: The deepest nesting accepted (default 512, as ``JSONParsingOptions``).
    /// - Returns: `true` when `JSONValue(parsing:)` would succeed.
    public static func isValid(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int = JSONParsingOptions.default.maximumDepth) -> Bool {
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        return parser.isValidDocument()
    }

    /// Called on every parse of ``value`` in the current task, so a test can count parses (none for a payload
    /// that nobody reads) without a global counter that parallel tests would share.
    @TaskLocal package static var parseObserver: (@Sendable () -> Void)?

    /// `nil` when the bytes are valid; otherwise the error the full parser reports for them.
    private static func check(_ bytes: UnsafeBufferPointer<UInt8>, maximumDepth: Int) -> JSONParseError? {
        // The validate-only mode answers yes or no without allocating; only a refusal pays for the full parse,
        // which finds the same fault and words it.
        if isValid(bytes, maximumDepth: maximumDepth) { return nil }
        var parser = JSONParser(bytes: bytes, maximumDepth: maximumDepth)
        do {
            _ = try parser.parseDocument()
        } catch {
            return error
        }
        // The two modes are kept in step by a test on mutated JSON; should they ever disagree, refuse.
        return JSONParseError(.unexpectedCharacter, at: 0, "the JSON check refused text that the parser accepts; report this as a Ferry bug")
    }
}

extension RawJSON: CustomStringConvertible {
    /// The JSON text. A payload is data the host chose to send, not a credential, so it is shown as it is.
    public var description: String { text }
}

extension RawJSON: Codable {
    /// Decodes a JSON value from any decoder and keeps its compact text.
    /// - Parameter decoder: The decoder.
    /// - Throws: What decoding a ``JSONValue`` throws.
    public init(from decoder: any Decoder) throws {
        self.init(try JSONValue(from: decoder))
    }

    /// Encodes the parsed value, so the payload nests in the encoder's output as JSON, not as a string.
    /// - Parameter encoder: The encoder.
    /// - Throws: The parse error for bytes that are not valid JSON, or what the encoder throws.
    public func encode(to encoder: any Encoder) throws {
        try value.encode(to: encoder)
    }
}
