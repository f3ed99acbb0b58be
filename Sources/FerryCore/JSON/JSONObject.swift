/// A JSON object that keeps its keys in insertion order, with fast lookup by key.
///
/// Order matters to Ferry: Liquid's `for` iterates an object in order and rendered payloads must be stable from
/// one run to the next. Keys are unique; setting an existing key replaces its value in place.
///
/// Equality ignores order (two objects are equal when they hold the same keys with equal values), as JSON's
/// data model does; iteration and serialisation always follow insertion order.
public struct JSONObject: Sendable {
    /// Objects with more keys than this keep a hash index; smaller ones are searched linearly, which is faster.
    static let indexThreshold = 16

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
        // Comparing the stored UTF-8 lengths first skips String's full comparison for most other keys.
        let length = key.utf8.count
        return members.withUnsafeBufferPointer { buffer in
            var position = 0
            while position < buffer.count {
                if buffer[position].key.utf8.count == length, buffer[position].key == key { return position }
                position += 1
            }
            return nil
        }
    }

    /// Follows a path of keys through nested objects from the member `root`, reading each object in place
    /// instead of copying it out (a copy retains the object's storage), which is what a template's
    /// `Profile.Email` does on every render.
    /// - Parameters:
    ///   - root: The key of the first member.
    ///   - keys: The keys to follow from there, in order.
    /// - Returns: The deepest value reached and how many of `keys` led to it (fewer than `keys.count` when a key
    ///   is missing or a value on the way is not an object), or `nil` when there is no member `root`.
    public func descend(_ root: String, _ keys: [String]) -> (value: JSONValue, depth: Int)? {
        guard let position = position(of: root) else { return nil }
        return descend(keys, depth: 0, at: position)
    }

    private func descend(_ keys: [String], depth: Int, at position: Int) -> (value: JSONValue, depth: Int) {
        members.withUnsafeBufferPointer { buffer in
            if depth < keys.count, case .object(let inner) = buffer[position].value,
               let next = inner.position(of: keys[depth]) {
                return inner.descend(keys, depth: depth + 1, at: next)
            }
            return (buffer[position].value, depth)
        }
    }

    /// ``descend(_:_:)`` with position hints: for a caller that follows the same path through many objects of
    /// the same shape (a template's `Profile.Email` through each render's context), which then finds each key
    /// with one comparison instead of a scan.
    ///
    /// Byte `i` of `hints` (bits `8i ..< 8i + 8`) holds 1 + the position at which step `i` (0: `root`, then each
    /// of `keys`) was found last time, or 0 when not known. A hint is only a guess: it is used when the member
    /// there has the key, and otherwise the key is looked up as usual and the hint updated. Steps past the
    /// eighth, and positions past 254, are not hinted.
    /// - Parameters:
    ///   - root: The key of the first member.
    ///   - keys: The keys to follow from there, in order.
    ///   - hints: The hints, read and updated.
    /// - Returns: As ``descend(_:_:)``.
    package func descend(_ root: String, _ keys: [String], hints: inout UInt64) -> (value: JSONValue, depth: Int)? {
        guard let position = position(of: root, level: 0, hints: &hints) else { return nil }
        return descend(keys, depth: 0, at: position, hints: &hints)
    }

    private func descend(_ keys: [String], depth: Int, at position: Int, hints: inout UInt64) -> (value: JSONValue, depth: Int) {
        members.withUnsafeBufferPointer { buffer in
            if depth < keys.count, case .object(let inner) = buffer[position].value,
               let next = inner.position(of: keys[depth], level: depth + 1, hints: &hints) {
                return inner.descend(keys, depth: depth + 1, at: next, hints: &hints)
            }
            return (buffer[position].value, depth)
        }
    }

    /// The position of `key`, trying the hint for step `level` first (see ``descend(_:_:hints:)``).
    @inline(__always)
    private func position(of key: String, level: Int, hints: inout UInt64) -> Int? {
        guard level < 8 else { return position(of: key) }
        let shift = UInt64(level * 8)
        let hinted = Int(truncatingIfNeeded: (hints >> shift) & 0xFF) - 1
        // Bytes, not `String ==`: canonically equivalent keys ("é" and "e\u{301}") are distinct members here, as
        // in `position(of:)`, so a hint must never land on the other one.
        if hinted >= 0, hinted < members.count, Self.sameBytes(members[hinted].key, key) { return hinted }
        guard let found = position(of: key) else { return nil }
        if found < 255 { hints = hints & ~(0xFF << shift) | (UInt64(found + 1) << shift) }
        return found
    }

    /// Whether two keys have the same UTF-8 bytes (lengths first: most different keys stop there).
    @inline(__always)
    private static func sameBytes(_ a: String, _ b: String) -> Bool {
        a.utf8.count == b.utf8.count && a.utf8.elementsEqual(b.utf8)
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
