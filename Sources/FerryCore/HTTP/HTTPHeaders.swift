/// An ordered list of HTTP header fields with case-insensitive names.
///
/// Repeated fields are kept (`Set-Cookie`, `Warning`), in order. Lookups ignore the case of the name, as
/// HTTP requires; the name is sent as it was added.
///
/// ```swift
/// var headers: HTTPHeaders = ["Content-Type": "application/json"]
/// headers.add(name: "Sforce-Call-Options", value: "client=ferry")
/// headers["content-type"]   // "application/json"
/// ```
public struct HTTPHeaders: Sendable, Hashable {
    /// One header field.
    public struct Field: Sendable, Hashable {
        /// The field name as it was given.
        public var name: String
        /// The field value.
        public var value: String

        /// Creates a field.
        /// - Parameters:
        ///   - name: The field name.
        ///   - value: The field value.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The fields in order.
    public private(set) var fields: [Field]

    /// Creates headers from fields in order.
    /// - Parameter fields: The fields.
    public init(_ fields: [Field] = []) { self.fields = fields }

    /// Creates headers from name-value pairs in order.
    /// - Parameter pairs: The fields as `(name, value)` pairs.
    public init(_ pairs: [(String, String)]) {
        fields = pairs.map { Field(name: $0.0, value: $0.1) }
    }

    /// The number of fields, counting repeats.
    public var count: Int { fields.count }

    /// Whether there are no fields.
    public var isEmpty: Bool { fields.isEmpty }

    /// The first value of the field named `name` (any case); setting replaces every field of that name with one
    /// (or removes them all when set to `nil`).
    public subscript(name: String) -> String? {
        get { fields.first { HTTPHeaders.namesMatch($0.name, name) }?.value }
        set {
            if let newValue { replaceOrAdd(name: name, value: newValue) } else { remove(name: name) }
        }
    }

    /// Every value of the field named `name` (any case), in order.
    /// - Parameter name: The field name.
    /// - Returns: The values; empty when the field is absent.
    public func values(for name: String) -> [String] {
        fields.filter { HTTPHeaders.namesMatch($0.name, name) }.map(\.value)
    }

    /// Whether a field named `name` (any case) is present.
    /// - Parameter name: The field name.
    /// - Returns: `true` when at least one field has that name.
    public func contains(_ name: String) -> Bool {
        fields.contains { HTTPHeaders.namesMatch($0.name, name) }
    }

    /// Appends a field, keeping any fields of the same name.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    public mutating func add(name: String, value: String) {
        fields.append(Field(name: name, value: value))
    }

    /// Replaces every field named `name` with a single one at the position of the first, or appends it.
    /// - Parameters:
    ///   - name: The field name.
    ///   - value: The field value.
    public mutating func replaceOrAdd(name: String, value: String) {
        if let first = fields.firstIndex(where: { HTTPHeaders.namesMatch($0.name, name) }) {
            fields[first] = Field(name: name, value: value)
            var index = fields.index(after: first)
            while index < fields.endIndex {
                if HTTPHeaders.namesMatch(fields[index].name, name) {
                    fields.remove(at: index)
                } else {
                    index += 1
                }
            }
        } else {
            fields.append(Field(name: name, value: value))
        }
    }

    /// Removes every field named `name` (any case).
    /// - Parameter name: The field name.
    public mutating func remove(name: String) {
        fields.removeAll { HTTPHeaders.namesMatch($0.name, name) }
    }

    /// Header names are ASCII tokens: compare them byte by byte, folding ASCII case, without allocating.
    static func namesMatch(_ lhs: String, _ rhs: String) -> Bool {
        let left = lhs.utf8
        let right = rhs.utf8
        guard left.count == right.count else { return false }
        for (a, b) in zip(left, right) where a != b {
            let foldedA = a >= 0x41 && a <= 0x5A ? a | 0x20 : a
            let foldedB = b >= 0x41 && b <= 0x5A ? b | 0x20 : b
            if foldedA != foldedB { return false }
        }
        return true
    }
}

extension HTTPHeaders: ExpressibleByDictionaryLiteral {
    /// Creates headers from a literal, in order.
    /// - Parameter elements: The fields.
    public init(dictionaryLiteral elements: (String, String)...) {
        fields = elements.map { Field(name: $0.0, value: $0.1) }
    }
}

extension HTTPHeaders: Sequence {
    /// Iterates the fields in order.
    public func makeIterator() -> IndexingIterator<[Field]> { fields.makeIterator() }
}

extension HTTPHeaders: CustomStringConvertible {
    /// The headers one per line, with the values of credential-bearing fields (`Authorization`, `Cookie`,
    /// `Set-Cookie`, `Proxy-Authorization`) redacted, so headers can be logged safely.
    public var description: String {
        fields.map { "\($0.name): \(HTTPHeaders.isSensitive($0.name) ? "<redacted>" : $0.value)" }
            .joined(separator: "\n")
    }

    /// Whether a field carries credentials and must never be printed.
    /// - Parameter name: The field name.
    /// - Returns: `true` for `Authorization`, `Proxy-Authorization`, `Cookie` and `Set-Cookie`.
    public static func isSensitive(_ name: String) -> Bool {
        switch name.lowercased() {
        case "authorization", "proxy-authorization", "cookie", "set-cookie": true
        default: false
        }
    }
}
