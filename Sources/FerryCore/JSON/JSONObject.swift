/// A JSON object that keeps its keys in insertion order, with fast lookup by key.
///
/// Order matters to Ferry: Liquid's `for` iterates an object in order and rendered payloads must be stable from
/// one run to the next. Keys are unique; setting an existing key replaces its value in place.
///
/// Equality ignores order (two objects are equal when they hold the same keys with equal values), as JSON's
/// data model does; iteration and serialisation always follow insertion order.
public struct JSONObject: Sendable {
    /// Objects with more keys than this keep a hash index; smaller ones are searched linearly, which is faster.
    static let indexThreshold = 12

    /// One member: keys and values live side by side in one array, so copying an object (which rendering does
    /// for every variable it reads) retains one buffer, not two.
    struct Member: Sendable {
        var key: String
        var value: JSONValue
    }

    private(set) var members: [Member]
    private var index: [String: Int]?

    /// Creates an empty object.
    public init() {
        members = []
        index = nil
    }

    /// Creates an object from key-value pairs in order. A repeated key keeps its first position and its last
    /// value.
    /// - Parameter pairs: The members, in order.
    public init(_ pairs: some Sequence<(String, JSONValue)>) {
        self.init()
        for (key, value) in pairs { self[key] = value }
    }

    /// The number of members.
    public var count: Int { members.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { members.isEmpty }

    /// The keys, in order.
    public var keys: [String] { members.map(\.key) }

    /// The values, in key order.
    public var values: [JSONValue] { members.map(\.value) }

    /// The position of `key`, or `nil` when the object does not have it.
    /// - Parameter key: The key to find.
    /// - Returns: The zero-based position in insertion order.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        return members.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                if buffer[position].key == key { return position }
                position += 1
            }
            return nil
        }
    }

    /// The value under `key`; setting `nil` removes the key, setting a value replaces it in place or appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return members[position].value
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    members[position].value = newValue
                } else {
                    members.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                append(key, newValue)
            }
        }
    }

    /// Appends a member the caller knows is new, skipping the duplicate check (used by the parser).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        append(key, value)
    }

    private mutating func append(_ key: String, _ value: JSONValue) {
        members.append(Member(key: key, value: value))
        if index != nil {
            index?[key] = members.count - 1
        } else if members.count > JSONObject.indexThreshold {
            rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        guard members.count > JSONObject.indexThreshold else {
            index = nil
            return
        }
        var built = [String: Int](minimumCapacity: members.count)
        for (position, member) in members.enumerated() { built[member.key] = position }
        index = built
    }
}

extension JSONObject: Sequence {
    /// Iterates the members in insertion order.
    public struct Iterator: IteratorProtocol {
        private let members: [Member]
        private var position = 0

        init(_ object: JSONObject) { members = object.members }

        /// The next member, or `nil` after the last.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard position < members.count else { return nil }
            defer { position += 1 }
            return (members[position].key, members[position].value)
        }
    }

    /// An iterator over the members in insertion order.
    public func makeIterator() -> Iterator { Iterator(self) }

    /// The number of members (the sequence is never consumed).
    public var underestimatedCount: Int { count }
}

extension JSONObject: Hashable {
    /// Two objects are equal when they have the same keys with equal values, in any order.
    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.count == rhs.count else { return false }
        if lhs.members.elementsEqual(rhs.members, by: { $0.key == $1.key }) {
            return lhs.members.elementsEqual(rhs.members, by: { $0.value == $1.value })
        }
        for (key, value) in lhs where rhs[key] != value { return false }
        return true
    }

    /// Hashes the members independently of their order.
    public func hash(into hasher: inout Hasher) {
        var combined = 0
        for (key, value) in self {
            var member = Hasher()
            member.combine(key)
            member.combine(value)
            combined ^= member.finalize()
        }
        hasher.combine(count)
        hasher.combine(combined)
    }
}

extension JSONObject: ExpressibleByDictionaryLiteral {
    /// Creates an object from a literal, keeping the literal's order.
    /// - Parameter elements: The members, in order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self.init(elements)
    }
}
