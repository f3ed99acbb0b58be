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

/// Splits markup (the text inside `{{ }}` or after a tag name) into expression tokens.
struct ExpressionLexer {
    static func tokenize(_ source: SourceText, _ range: Range<Int>) throws(TemplateError) -> [(ExpressionToken, Int)] {
        let bytes = source.bytes
        var tokens: [(ExpressionToken, Int)] = []
        tokens.reserveCapacity(8)
        var index = range.lowerBound
        let end = range.upperBound
        func isDigit(_ i: Int) -> Bool { i < end && bytes[i] >= 0x30 && bytes[i] <= 0x39 }
        func isIdentifierStart(_ byte: UInt8) -> Bool {
            (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || byte == 0x5F
        }
        while index < end {
            let byte = bytes[index]
            let start = index
            if Lexer.isWhitespace(byte) {
                index += 1
                continue
            }
            if isIdentifierStart(byte) {
                index += 1
                while index < end && (Lexer.isNameByte(bytes[index]) || bytes[index] == UInt8(ascii: "-")) { index += 1 }
                if index < end && bytes[index] == UInt8(ascii: "?") { index += 1 }
                tokens.append((.identifier(source.text(start..<index)), start))
                continue
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
                tokens.append((.number(number), start))
                continue
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
                tokens.append((.string(source.text(contentStart..<index)), start))
                index += 2
            case UInt8(ascii: "'"), UInt8(ascii: "\""):
                index += 1
                while index < end && bytes[index] != byte { index += 1 }
                guard index < end else {
                    throw TemplateError(.syntax, "string literal is never closed; add the closing \(byte == 0x22 ? "\"" : "'")",
                                        location: source.location(of: start))
                }
                tokens.append((.string(source.text(start + 1..<index)), start))
                index += 1
            case UInt8(ascii: "."):
                if index + 1 < end && bytes[index + 1] == UInt8(ascii: ".") {
                    tokens.append((.dotDot, start))
                    index += 2
                } else {
                    tokens.append((.dot, start))
                    index += 1
                }
            case UInt8(ascii: "["): tokens.append((.leftBracket, start)); index += 1
            case UInt8(ascii: "]"): tokens.append((.rightBracket, start)); index += 1
            case UInt8(ascii: "("): tokens.append((.leftParen, start)); index += 1
            case UInt8(ascii: ")"): tokens.append((.rightParen, start)); index += 1
            case UInt8(ascii: "|"): tokens.append((.pipe, start)); index += 1
            case UInt8(ascii: ":"): tokens.append((.colon, start)); index += 1
            case UInt8(ascii: ","): tokens.append((.comma, start)); index += 1
            case UInt8(ascii: "="), UInt8(ascii: "!"), UInt8(ascii: "<"), UInt8(ascii: ">"):
                let next: UInt8 = index + 1 < end ? bytes[index + 1] : 0
                if byte == UInt8(ascii: "=") && next != UInt8(ascii: "=") {
                    tokens.append((.equals, start))
                    index += 1
                } else if next == UInt8(ascii: "=") || (byte == UInt8(ascii: "<") && next == UInt8(ascii: ">")) {
                    tokens.append((.comparison(source.text(start..<index + 2)), start))
                    index += 2
                } else if byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">") {
                    tokens.append((.comparison(source.text(start..<index + 1)), start))
                    index += 1
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
        tokens.append((.end, end))
        return tokens
    }

    private static func utf8Length(_ lead: UInt8) -> Int {
        if lead < 0x80 { return 1 }
        if lead >= 0xF0 { return 4 }
        if lead >= 0xE0 { return 3 }
        return 2
    }
}
