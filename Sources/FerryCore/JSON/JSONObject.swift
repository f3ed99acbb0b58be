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

    private(set) var storedKeys: [String]
    private(set) var storedValues: [JSONValue]
    private var index: [String: Int]?

    /// Creates an empty object.
    public init() {
        storedKeys = []
        storedValues = []
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
    public var count: Int { storedKeys.count }

    /// Whether the object has no members.
    public var isEmpty: Bool { storedKeys.isEmpty }

    /// The keys, in order.
    public var keys: [String] { storedKeys }

    /// The values, in key order.
    public var values: [JSONValue] { storedValues }

    /// The position of `key`, or `nil` when the object does not have it.
    /// - Parameter key: The key to find.
    /// - Returns: The zero-based position in insertion order.
    public func position(of key: String) -> Int? {
        if let index { return index[key] }
        return storedKeys.firstIndex(of: key)
    }

    /// The value under `key`; setting `nil` removes the key, setting a value replaces it in place or appends it.
    public subscript(key: String) -> JSONValue? {
        get {
            guard let position = position(of: key) else { return nil }
            return storedValues[position]
        }
        set {
            if let position = position(of: key) {
                if let newValue {
                    storedValues[position] = newValue
                } else {
                    storedKeys.remove(at: position)
                    storedValues.remove(at: position)
                    rebuildIndex()
                }
            } else if let newValue {
                storedKeys.append(key)
                storedValues.append(newValue)
                if index != nil {
                    index?[key] = storedKeys.count - 1
                } else if storedKeys.count > JSONObject.indexThreshold {
                    rebuildIndex()
                }
            }
        }
    }

    /// Appends a member the caller knows is new, skipping the duplicate check (used by the parser).
    mutating func appendUnchecked(_ key: String, _ value: JSONValue) {
        storedKeys.append(key)
        storedValues.append(value)
        if index != nil {
            index?[key] = storedKeys.count - 1
        } else if storedKeys.count > JSONObject.indexThreshold {
            rebuildIndex()
        }
    }

    private mutating func rebuildIndex() {
        guard storedKeys.count > JSONObject.indexThreshold else {
            index = nil
            return
        }
        var built = [String: Int](minimumCapacity: storedKeys.count)
        for (position, key) in storedKeys.enumerated() { built[key] = position }
        index = built
    }
}

extension JSONObject: Sequence {
    /// Iterates the members in insertion order.
    public struct Iterator: IteratorProtocol {
        private let object: JSONObject
        private var position = 0

        init(_ object: JSONObject) { self.object = object }

        /// The next member, or `nil` after the last.
        public mutating func next() -> (key: String, value: JSONValue)? {
            guard position < object.storedKeys.count else { return nil }
            defer { position += 1 }
            return (object.storedKeys[position], object.storedValues[position])
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
        if lhs.storedKeys == rhs.storedKeys { return lhs.storedValues == rhs.storedValues }
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
