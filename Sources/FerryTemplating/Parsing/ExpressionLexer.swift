import FerryCore

/// A token of tag and output markup.
enum ExpressionToken: Sendable, Equatable {
    case identifier(String)
    case string(String)
    case number(JSONNumber)
    case dot, dotDot, leftBracket, rightBracket, leftParen, rightParen, pipe, colon, comma, equals
    case comparison(String)
    case end
}

/// Reads markup (the text inside `{{ }}` or after a tag name) one expression token at a time.
///
/// The parser asks for the next token as it goes, so parsing a tag builds no token array (a template of a few
/// dozen tags used to allocate one array per tag).
struct ExpressionLexer {
    /// The token starting at or after `index` (white space skipped), and its offset; `.end` at `end`. Moves
    /// `index` past the token.
    static func next(_ source: SourceText, _ index: inout Int, end: Int) throws(TemplateError) -> (ExpressionToken, Int) {
        let bytes = source.bytes
        func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func isIdentifierStart(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
        }
        while index < end && Lexer.isWhitespace(bytes[index]) { index += 1 }
        guard index < end else { return (.end, end) }
        let byte = bytes[index]
        let start = index
        if isIdentifierStart(byte) {
            index += 1
            while index < end && (Lexer.isNameByte(bytes[index]) || bytes[index] == UInt8(ascii: "-")) { index += 1 }
            if index < end && bytes[index] == UInt8(ascii: "?") { index += 1 }
            return (.identifier(source.text(start..<index)), start)
        }
        if isDigit(index) || (byte == UInt8(ascii: "-") && isDigit(index + 1)) {
            index += 1
            while isDigit(index) { index += 1 }
            if index + 1 < end && bytes[index] == UInt8(ascii: ".") && isDigit(index + 1) {
                index += 1
                while isDigit(index) { index += 1 }
            }
            let text = source.text(start..<index)
            guard let number = JSONNumber(text: text) ?? Double(text).map({ JSONNumber($0) }) else {
                throw TemplateError(.syntax, "'\(text)' is not a number", location: source.location(of: start))
            }
            return (.number(number), start)
        }
        switch byte {
        case UInt8(ascii: "\\") where index + 1 < end && bytes[index + 1] == UInt8(ascii: "\""):
            // CleverTap's payload editor shows the body JSON-escaped, so a template copied from it (the seed's
            // `default: \"0\"`) writes `\"` for a quote inside a tag. Outside a string a backslash is never
            // valid Liquid, so reading `\"...\"` as a double-quoted string changes no template that parsed.
            index += 2
            let contentStart = index
            while index + 1 < end && !(bytes[index] == UInt8(ascii: "\\") && bytes[index + 1] == UInt8(ascii: "\"")) {
                index += 1
            }
            guard index + 1 < end else {
                throw TemplateError(.syntax, #"string literal opened with \" is never closed; add the closing \""#,
                                    location: source.location(of: start))
            }
            let text = source.text(contentStart..<index)
            index += 2
            return (.string(text), start)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            index += 1
            while index < end && bytes[index] != byte { index += 1 }
            guard index < end else {
                throw TemplateError(.syntax, "string literal is never closed; add the closing \(byte == 0x22 ? "\"" : "'")",
                                    location: source.location(of: start))
            }
            let text = source.text(start + 1..<index)
            index += 1
            return (.string(text), start)
        case UInt8(ascii: "."):
            if index + 1 < end && bytes[index + 1] == UInt8(ascii: ".") {
                index += 2
                return (.dotDot, start)
            }
            index += 1
            return (.dot, start)
        case UInt8(ascii: "["): index += 1; return (.leftBracket, start)
        case UInt8(ascii: "]"): index += 1; return (.rightBracket, start)
        case UInt8(ascii: "("): index += 1; return (.leftParen, start)
        case UInt8(ascii: ")"): index += 1; return (.rightParen, start)
        case UInt8(ascii: "|"): index += 1; return (.pipe, start)
        case UInt8(ascii: ":"): index += 1; return (.colon, start)
        case UInt8(ascii: ","): index += 1; return (.comma, start)
        case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
            let next: UInt8 = index + 1 < end ? bytes[index + 1] : 0
            if byte == UInt8(ascii: "=") && next != UInt8(ascii: "=") {
                index += 1
                return (.equals, start)
            } else if next == UInt8(ascii: "=") || (byte == UInt8(ascii: "<") && next == UInt8(ascii: ">")) {
                index += 2
                return (.comparison(source.text(start..<index)), start)
            } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") {
                index += 1
                return (.comparison(source.text(start..<index)), start)
            } else {
                throw TemplateError(.syntax, "unexpected '!'; Liquid has no 'not' operator, use 'unless' or '!='",
                                    location: source.location(of: start))
            }
        default:
            let character = source.text(start..<min(end, start + max(1, utf8Length(byte))))
            throw TemplateError(.syntax, "unexpected character '\(character)' in expression",
                                location: source.location(of: start))
        }
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        return 2
    }
}
