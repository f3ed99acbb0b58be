import FerryCore

extension StandardFilters {
    static let base64Filters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("base64_encode", usage: "base64_encode"), { input, _, _ in
            .string(Base64.encode(Array(input.liquidString.utf8), urlSafe: false))
        }),
        FilterDefinition(FilterSignature("base64_url_safe_encode", usage: "base64_url_safe_encode"), { input, _, _ in
            .string(Base64.encode(Array(input.liquidString.utf8), urlSafe: true))
        }),
        FilterDefinition(FilterSignature("base64_decode", usage: "base64_decode"), { input, _, _ throws(FilterError) in
            try .string(Base64.decodeText(input.liquidString, urlSafe: false))
        }),
        FilterDefinition(FilterSignature("base64_url_safe_decode", usage: "base64_url_safe_decode"), { input, _, _ throws(FilterError) in
            try .string(Base64.decodeText(input.liquidString, urlSafe: true))
        }),
    ]
}

/// RFC 4648 Base64, standard and URL-safe alphabets, without Foundation.
enum Base64 {
    private static let standard = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlSafe = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)

    /// Encodes with `=` padding.
    static func encode(_ bytes: [UInt8], urlSafe: Bool) -> String {
        let alphabet = urlSafe ? Base64.urlSafe : standard
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index + 2 < bytes.count {
            let chunk = UInt32(bytes[index]) << 16 | UInt32(bytes[index + 1]) << 8 | UInt32(bytes[index + 2])
            for shift in [18, 12, 6, 0] { output.append(alphabet[Int(chunk >> UInt32(shift) & 0x3F)]) }
            index += 3
        }
        let remaining = bytes.count - index
        if remaining > 0 {
            var chunk = UInt32(bytes[index]) << 16
            if remaining == 2 { chunk |= UInt32(bytes[index + 1]) << 8 }
            output.append(alphabet[Int(chunk >> 18 & 0x3F)])
            output.append(alphabet[Int(chunk >> 12 & 0x3F)])
            output.append(remaining == 2 ? alphabet[Int(chunk >> 6 & 0x3F)] : UInt8(ascii: "="))
            output.append(UInt8(ascii: "="))
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Decodes strictly (Ruby's `strict_decode64`; the URL-safe form may omit its padding, as Ruby's
    /// `urlsafe_decode64` allows) and reads the bytes as UTF-8 text.
    /// - Throws: `FilterError.invalidInput` for text that is not Base64 or bytes that are not UTF-8.
    static func decodeText(_ text: String, urlSafe: Bool) throws(FilterError) -> String {
        var bytes = Array(text.utf8)
        if urlSafe, bytes.count % 4 != 0, !bytes.contains(UInt8(ascii: "=")) {
            bytes.append(contentsOf: repeatElement(UInt8(ascii: "="), count: 4 - bytes.count % 4))
        }
        guard let decoded = decode(bytes, urlSafe: urlSafe) else {
            throw .invalidInput("the input is not valid \(urlSafe ? "URL-safe " : "")Base64 (it must use the "
                + "\(urlSafe ? "A-Z a-z 0-9 - _" : "A-Z a-z 0-9 + /") alphabet, in groups of 4 with = padding). "
                + "Check where the value comes from\(urlSafe ? "" : ", or use base64_url_safe_decode for - and _").")
        }
        guard let string = String(validating: decoded, as: UTF8.self) else {
            throw .invalidInput("the decoded bytes are not UTF-8 text; a template can only output text. "
                + "Decode binary data outside the template.")
        }
        return string
    }

    private static func value(_ byte: UInt8, urlSafe: Bool) -> UInt32? {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt32(byte - UInt8(ascii: "A"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt32(byte - UInt8(ascii: "a") + 26)
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0") + 52)
        case UInt8(ascii: "+") where !urlSafe, UInt8(ascii: "-") where urlSafe: 62
        case UInt8(ascii: "/") where !urlSafe, UInt8(ascii: "_") where urlSafe: 63
        default: nil
        }
    }

    static func decode(_ bytes: [UInt8], urlSafe: Bool) -> [UInt8]? {
        guard bytes.count % 4 == 0 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count / 4 * 3)
        var index = 0
        while index < bytes.count {
            let isLast = index + 4 == bytes.count
            var chunk: UInt32 = 0
            var padding = 0
            for offset in 0..<4 {
                let byte = bytes[index + offset]
                if byte == UInt8(ascii: "=") {
                    guard isLast, offset >= 2 else { return nil }
                    padding += 1
                    chunk <<= 6
                } else {
                    guard padding == 0, let sextet = value(byte, urlSafe: urlSafe) else { return nil }
                    chunk = chunk << 6 | sextet
                }
            }
            output.append(UInt8(chunk >> 16 & 0xFF))
            if padding < 2 { output.append(UInt8(chunk >> 8 & 0xFF)) }
            if padding < 1 { output.append(UInt8(chunk & 0xFF)) }
            index += 4
        }
        return output
    }
}
