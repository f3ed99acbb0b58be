import Foundation

/// `application/x-www-form-urlencoded` encoding (WHATWG URL standard, as OAuth servers decode it).
enum FormEncoding {
    /// Escapes everything except ASCII letters, digits and `-._*`; a space becomes `%20`.
    static func escape(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "*"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                result += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
            }
        }
        return result
    }

    /// `name=value&...` in the given order.
    static func encode(_ parameters: [(String, String)]) -> Data {
        Data(parameters.map { escape($0.0) + "=" + escape($0.1) }.joined(separator: "&").utf8)
    }
}
