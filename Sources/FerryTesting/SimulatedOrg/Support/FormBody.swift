import Foundation

/// Reads `application/x-www-form-urlencoded` bodies and redacts their secrets.
enum FormBody {
    /// The parameters of a form body, decoded (`+` is a space, `%XX` a byte), in order.
    static func parse(_ data: Data?) -> [(String, String)] {
        guard let data, !data.isEmpty else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "&").map { pair in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            return (decode(String(parts[0])), parts.count > 1 ? decode(String(parts[1])) : "")
        }
    }

    /// Decodes one form-encoded component.
    static func decode(_ text: String) -> String {
        var bytes: [UInt8] = []
        let source = Array(text.utf8)
        var index = 0
        while index < source.count {
            let byte = source[index]
            if byte == UInt8(ascii: "+") {
                bytes.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < source.count,
                let value = UInt8(String(decoding: source[(index + 1)...(index + 2)], as: UTF8.self), radix: 16)
            {
                bytes.append(value)
                index += 2
            } else {
                bytes.append(byte)
            }
            index += 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// The names whose values are never kept.
    static let secretNames: Set<String> = ["client_secret", "token", "subject_token", "password", "assertion"]

    /// The body with every secret value replaced by `<redacted>`.
    static func redacted(_ data: Data?) -> Data? {
        guard let data else { return nil }
        let text = String(decoding: data, as: UTF8.self)
        let pairs = text.split(separator: "&", omittingEmptySubsequences: false).map { pair -> String in
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2, secretNames.contains(decode(String(parts[0]))) else { return String(pair) }
            return parts[0] + "=<redacted>"
        }
        return Data(pairs.joined(separator: "&").utf8)
    }
}
