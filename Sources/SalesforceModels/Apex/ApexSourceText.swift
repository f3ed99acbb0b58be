/// How user text (a URL mapping, a picklist value, a Name prefix) is written into generated Apex source and
/// Salesforce metadata XML, so that no accepted input can end a comment, a string literal or an XML element
/// early and turn into code or markup.
///
/// Every function works on Unicode scalars, never on `Character`s: a quote or backslash followed by a
/// combining mark is one `Character` in Swift but still a quote or backslash to the Apex compiler and to an XML
/// parser (the same grapheme-cluster trap once broke Ferry's CSV quoting).
enum ApexSourceText {
    /// The text as the inside of an Apex single-quoted string literal: `\` and `'` escaped, line breaks and
    /// tabs as `\n`, `\r`, `\t`, any other control character or line separator as `\uXXXX`.
    /// - Parameter text: Any text.
    /// - Returns: The literal's contents, without the surrounding quotes.
    static func stringLiteralBody(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\\": output.append(contentsOf: #"\\"#.unicodeScalars)
            case "'": output.append(contentsOf: #"\'"#.unicodeScalars)
            case "\n": output.append(contentsOf: #"\n"#.unicodeScalars)
            case "\r": output.append(contentsOf: #"\r"#.unicodeScalars)
            case "\t": output.append(contentsOf: #"\t"#.unicodeScalars)
            default:
                if needsUnicodeEscape(scalar) {
                    output.append(contentsOf: unicodeEscape(scalar).unicodeScalars)
                } else {
                    output.append(scalar)
                }
            }
        }
        return String(output)
    }

    /// The text as an Apex single-quoted string literal, quotes included.
    /// - Parameter text: Any text.
    /// - Returns: E.g. `'It\'s'`.
    static func stringLiteral(_ text: String) -> String { "'" + stringLiteralBody(text) + "'" }

    /// The text made safe inside a `/* ... */` block comment on one line: every `*/` becomes `*\/` (block
    /// comments do not nest and know no escapes, so the pair must never appear), and line breaks and other
    /// control characters become spaces so the comment keeps its layout.
    /// - Parameter text: Any text.
    /// - Returns: The text to write inside the comment.
    static func commentText(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        var previous: Unicode.Scalar?
        for scalar in text.unicodeScalars {
            if scalar == "/" && previous == "*" { output.append("\\") }
            output.append(needsUnicodeEscape(scalar) || scalar == "\n" || scalar == "\r" || scalar == "\t" ? " " : scalar)
            previous = scalar
        }
        return String(output)
    }

    /// The text as XML character data or an attribute value: `& < > " '` as entities.
    /// - Parameter text: Text for which ``firstUnrepresentableInXML(_:)`` is `nil`.
    /// - Returns: The escaped text.
    static func xmlText(_ text: String) -> String {
        var output = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": output.append(contentsOf: "&amp;".unicodeScalars)
            case "<": output.append(contentsOf: "&lt;".unicodeScalars)
            case ">": output.append(contentsOf: "&gt;".unicodeScalars)
            case "\"": output.append(contentsOf: "&quot;".unicodeScalars)
            case "'": output.append(contentsOf: "&apos;".unicodeScalars)
            default: output.append(scalar)
            }
        }
        return String(output)
    }

    /// The first scalar of `text` that XML 1.0 cannot hold in any form (control characters other than tab and
    /// line breaks, U+FFFE, U+FFFF), or a line or paragraph separator, or any other control character that would
    /// not survive a round trip through a metadata file; `nil` when every scalar is fine.
    /// - Parameter text: User text bound for metadata (a picklist value, a Name prefix).
    /// - Returns: The offending scalar, or `nil`.
    static func firstUnrepresentable(_ text: String) -> Unicode.Scalar? {
        text.unicodeScalars.first { needsUnicodeEscape($0) || $0 == "\n" || $0 == "\r" || $0 == "\t" }
    }

    /// `U+0007` style name of a scalar, for error messages.
    static func codePoint(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// Control characters (C0, DEL, C1), line and paragraph separators, and the noncharacters U+FFFE/U+FFFF.
    private static func needsUnicodeEscape(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value) || scalar.value == 0x2028 || scalar.value == 0x2029
            || scalar.value == 0xFFFE || scalar.value == 0xFFFF
    }

    private static func unicodeEscape(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: false)
        return "\\u" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
