import FerryCore

extension StandardFilters {
    static let urlFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("url_encode", usage: "url_encode"), { input, _, _ in .string(urlEncode(input.liquidString)) }),
        FilterDefinition(FilterSignature("url_decode", usage: "url_decode"), { input, _, _ throws(FilterError) in
            try .string(urlDecode(input.liquidString))
        }),
    ]

    private static let hexDigits = Array("0123456789ABCDEF".utf8)

    /// Form encoding (Ruby's `CGI.escape`): ASCII letters, digits and `-._~` are kept, a space becomes `+`,
    /// every other byte `%XX`.
    static func urlEncode(_ text: String) -> String {
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 8)
        for byte in text.utf8 {
            if byte.isASCIIDigit || byte.isASCIILetter || byte == UInt8(ascii: "-") || byte == UInt8(ascii: ".")
                || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "~") {
                output.append(byte)
            } else if byte == UInt8(ascii: " ") {
                output.append(UInt8(ascii: "+"))
            } else {
                output.append(UInt8(ascii: "%"))
                output.append(hexDigits[Int(byte >> 4)])
                output.append(hexDigits[Int(byte & 0x0F)])
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    /// Form decoding (Ruby's `CGI.unescape`): `+` is a space, `%XX` a byte; a `%` not followed by two hex
    /// digits is kept.
    /// - Throws: `FilterError.invalidInput` when the decoded bytes are not UTF-8 text.
    static func urlDecode(_ text: String) throws(FilterError) -> String {
        guard text.utf8.contains(where: { $0 == UInt8(ascii: "%") || $0 == UInt8(ascii: "+") }) else { return text }
        let bytes = Array(text.utf8)
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "+") {
                output.append(UInt8(ascii: " "))
            } else if byte == UInt8(ascii: "%"), index + 2 < bytes.count,
                      let high = hexValue(bytes[index + 1]), let low = hexValue(bytes[index + 2]) {
                output.append(high << 4 | low)
                index += 2
            } else {
                output.append(byte)
            }
            index += 1
        }
        guard let decoded = String(validating: output, as: UTF8.self) else {
            throw .invalidInput("the percent-encoded bytes are not valid UTF-8 text. Check that the value was "
                + "encoded from UTF-8 text (for example with `url_encode`).")
        }
        return decoded
    }

    static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
}
