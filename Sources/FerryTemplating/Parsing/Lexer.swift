/// One piece of template source: literal text, an output statement `{{ ... }}`, a tag `{% ... %}`, or the verbatim
/// body of `raw` / `doc`.
struct Token: Sendable {
    enum Kind: Sendable { case text, output, tag, raw, doc }

    var kind: Kind
    /// Offset of the token's first byte (the `{` of a delimiter), for error locations.
    var start: Int
    /// The text (text, raw) or markup (output, tag: after the tag name) byte range.
    var contentStart: Int
    var contentEnd: Int
    /// The tag name (`if`, `#`, ...); empty for other kinds.
    var name: String = ""
    /// Offset of the tag name.
    var nameStart: Int = 0
    var trimLeft = false
    var trimRight = false
}

/// Splits template source into tokens and applies whitespace control (`{%-`, `-%}`, `{{-`, `-}}`).
struct Lexer {
    let source: SourceText

    private var bytes: [UInt8] { source.bytes }

    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x09 || byte == 0x0D || byte == 0x0B || byte == 0x0C
    }

    static func isNameByte(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x30 && byte <= 0x39) || byte == 0x5F
    }

    func tokenize() throws(TemplateError) -> [Token] {
        let bytes = source.bytes
        let count = bytes.count
        var tokens: [Token] = []
        tokens.reserveCapacity(count / 16 + 4)
        var index = 0
        var textStart = 0
        while index + 1 < count {
            guard let open = Lexer.nextDelimiter(bytes, from: index) else { break }
            index = open
            if textStart < index {
                tokens.append(Token(kind: .text, start: textStart, contentStart: textStart, contentEnd: index))
            }
            let isOutput = bytes[index + 1] == UInt8(ascii: "{")
            let start = index
            var markupStart = index + 2
            var trimLeft = false
            if markupStart < count && bytes[markupStart] == UInt8(ascii: "-") {
                trimLeft = true
                markupStart += 1
            }
            let closer: UInt8 = isOutput ? UInt8(ascii: "}") : UInt8(ascii: "%")
            guard let close = find(closer, UInt8(ascii: "}"), from: markupStart) else {
                let what = isOutput ? "output statement '{{' is never closed with '}}'" : "tag '{%' is never closed with '%}'"
                throw TemplateError(.syntax, "\(what); close it, or write the braces inside a string literal",
                                    location: source.location(of: start))
            }
            var markupEnd = close
            var trimRight = false
            if markupEnd > markupStart && bytes[markupEnd - 1] == UInt8(ascii: "-") {
                trimRight = true
                markupEnd -= 1
            }
            index = close + 2
            if isOutput {
                tokens.append(Token(kind: .output, start: start, contentStart: markupStart, contentEnd: markupEnd,
                                    trimLeft: trimLeft, trimRight: trimRight))
                textStart = index
                continue
            }
            // Tag: read its name.
            var nameStart = markupStart
            while nameStart < markupEnd && Lexer.isWhitespace(bytes[nameStart]) { nameStart += 1 }
            var nameEnd = nameStart
            if nameEnd < markupEnd && bytes[nameEnd] == UInt8(ascii: "#") {
                nameEnd += 1
            } else {
                while nameEnd < markupEnd && Lexer.isNameByte(bytes[nameEnd]) { nameEnd += 1 }
            }
            let name = source.text(nameStart..<nameEnd)
            var token = Token(kind: .tag, start: start, contentStart: nameEnd, contentEnd: markupEnd, name: name,
                              nameStart: nameStart, trimLeft: trimLeft, trimRight: trimRight)
            if name == "raw" || name == "doc" {
                // Verbatim body up to the matching end tag.
                let endName = name == "raw" ? "endraw" : "enddoc"
                guard let (bodyEnd, endClose, endTrimLeft, endTrimRight) = findEndTag(endName, from: index) else {
                    throw TemplateError(.unclosedBlock, "'\(name)' is never closed; add {% \(endName) %}",
                                        location: source.location(of: start))
                }
                if name == "doc" {
                    // Arguments are checked by the parser; the body is only scanned for a nested doc.
                    token.kind = .doc
                    tokens.append(token)
                    if containsTag("doc", in: index..<bodyEnd) {
                        throw TemplateError(.syntax, "a 'doc' block cannot contain another 'doc' block",
                                            location: source.location(of: start))
                    }
                } else {
                    token.kind = .raw
                    token.contentStart = index
                    token.contentEnd = bodyEnd
                    tokens.append(token)
                }
                tokens[tokens.count - 1].trimLeft = trimLeft
                tokens[tokens.count - 1].trimRight = endTrimRight
                _ = endTrimLeft
                index = endClose
            } else {
                tokens.append(token)
            }
            textStart = index
        }
        if textStart < count {
            tokens.append(Token(kind: .text, start: textStart, contentStart: textStart, contentEnd: count))
        }
        applyWhitespaceControl(&tokens)
        return tokens
    }

    /// The offset of the next `{{` or `{%` at or after `start`. Template text is most of a template's bytes, so
    /// this scans it through a pointer, without the array's bounds checks.
    static func nextDelimiter(_ bytes: [UInt8], from start: Int) -> Int? {
        bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let last = buffer.count - 1
            var index = start
            while index < last {
                if base[index] == UInt8(ascii: "{") {
                    let next = base[index + 1]
                    if next == UInt8(ascii: "{") || next == UInt8(ascii: "%") { return index }
                }
                index += 1
            }
            return nil
        }
    }

    /// Trims white space from text next to a delimiter with a `-`.
    private func applyWhitespaceControl(_ tokens: inout [Token]) {
        let bytes = source.bytes
        for position in tokens.indices where tokens[position].kind == .text {
            if position > 0 && tokens[position - 1].trimRight {
                var start = tokens[position].contentStart
                while start < tokens[position].contentEnd && Lexer.isWhitespace(bytes[start]) { start += 1 }
                tokens[position].contentStart = start
            }
            if position + 1 < tokens.count && tokens[position + 1].trimLeft {
                var end = tokens[position].contentEnd
                while end > tokens[position].contentStart && Lexer.isWhitespace(bytes[end - 1]) { end -= 1 }
                tokens[position].contentEnd = end
            }
        }
    }

    /// The offset of the first `first` `second` pair at or after `start`.
    private func find(_ first: UInt8, _ second: UInt8, from start: Int) -> Int? {
        source.bytes.withUnsafeBufferPointer { buffer -> Int? in
            guard let base = buffer.baseAddress else { return nil }
            let last = buffer.count - 1
            var index = start
            while index < last {
                if base[index] == first && base[index + 1] == second { return index }
                index += 1
            }
            return nil
        }
    }

    /// Finds `{%-? endName -?%}` at or after `start`: (offset of `{%`, offset after `%}`, trim flags).
    private func findEndTag(_ endName: String, from start: Int) -> (Int, Int, Bool, Bool)? {
        let bytes = source.bytes
        let nameBytes = Array(endName.utf8)
        var index = start
        while let open = find(UInt8(ascii: "{"), UInt8(ascii: "%"), from: index) {
            var cursor = open + 2
            var trimLeft = false
            if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "-") {
                trimLeft = true
                cursor += 1
            }
            while cursor < bytes.count && Lexer.isWhitespace(bytes[cursor]) { cursor += 1 }
            if cursor + nameBytes.count <= bytes.count && Array(bytes[cursor..<cursor + nameBytes.count]) == nameBytes {
                cursor += nameBytes.count
                while cursor < bytes.count && Lexer.isWhitespace(bytes[cursor]) { cursor += 1 }
                var trimRight = false
                if cursor < bytes.count && bytes[cursor] == UInt8(ascii: "-") {
                    trimRight = true
                    cursor += 1
                }
                if cursor + 1 < bytes.count && bytes[cursor] == UInt8(ascii: "%") && bytes[cursor + 1] == UInt8(ascii: "}") {
                    return (open, cursor + 2, trimLeft, trimRight)
                }
            }
            index = open + 2
        }
        return nil
    }

    private func containsTag(_ name: String, in range: Range<Int>) -> Bool {
        let bytes = source.bytes
        let nameBytes = Array(name.utf8)
        var index = range.lowerBound
        while index + 1 < range.upperBound {
            if bytes[index] == UInt8(ascii: "{") && bytes[index + 1] == UInt8(ascii: "%") {
                var cursor = index + 2
                if cursor < range.upperBound && bytes[cursor] == UInt8(ascii: "-") { cursor += 1 }
                while cursor < range.upperBound && Lexer.isWhitespace(bytes[cursor]) { cursor += 1 }
                let end = cursor + nameBytes.count
                if end <= range.upperBound && Array(bytes[cursor..<end]) == nameBytes
                    && (end == range.upperBound || !Lexer.isNameByte(bytes[end])) {
                    return true
                }
            }
            index += 1
        }
        return false
    }
}
