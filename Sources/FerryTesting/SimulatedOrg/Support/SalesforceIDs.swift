/// Salesforce-shaped record ids: a 3-character key prefix, 12 characters, and the 3-character suffix that makes
/// the 18-character form case-insensitive (computed exactly as Salesforce does).
enum SalesforceIDs {
    static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
    private static let suffixAlphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ012345")

    /// An 18-character id from a key prefix (3 characters), a pod marker and a sequence number.
    static func make(prefix: String, sequence: Int) -> String {
        var digits: [Character] = []
        var rest = max(0, sequence)
        for _ in 0..<7 {
            digits.append(base62[rest % 62])
            rest /= 62
        }
        let fifteen = String(prefix.prefix(3)) + "5g000" + String(digits.reversed())
        return fifteen + suffix(of: fifteen)
    }

    /// The 3-character case-safety suffix of a 15-character id.
    static func suffix(of id: String) -> String {
        let characters = Array(id)
        var result = ""
        for chunk in 0..<3 {
            var bits = 0
            for offset in 0..<5 where chunk * 5 + offset < characters.count {
                let character = characters[chunk * 5 + offset]
                if character.isASCII, character.isUppercase { bits |= 1 << offset }
            }
            result.append(suffixAlphabet[bits])
        }
        return result
    }

    /// A key prefix for the n-th registered object: `a00`, `a01`, ... (custom objects' prefixes start with `a`).
    static func keyPrefix(index: Int) -> String {
        "a" + String(base62[(index / 62) % 62]) + String(base62[index % 62])
    }
}
