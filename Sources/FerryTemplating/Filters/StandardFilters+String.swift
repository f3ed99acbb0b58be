import FerryCore

extension StandardFilters {
    static let stringFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("append", 1...1, usage: "append: \"text\""), { input, arguments, _ in
            .string(input.liquidString + arguments.value(0).liquidString)
        }),
        FilterDefinition(FilterSignature("prepend", 1...1, usage: "prepend: \"text\""), { input, arguments, _ in
            .string(arguments.value(0).liquidString + input.liquidString)
        }),
        FilterDefinition(FilterSignature("downcase", usage: "downcase"), builtin: .downcase, { input, _, _ in
            .string(UTF8Text.mapCase(input.liquidString, upper: false))
        }),
        FilterDefinition(FilterSignature("upcase", usage: "upcase"), builtin: .upcase, { input, _, _ in
            .string(UTF8Text.mapCase(input.liquidString, upper: true))
        }),
        FilterDefinition(FilterSignature("capitalize", usage: "capitalize"), { input, _, _ in
            .string(capitalize(input.liquidString))
        }),
        FilterDefinition(FilterSignature("strip", usage: "strip"), { input, _, _ in
            .string(strip(input.liquidString, leading: true, trailing: true))
        }),
        FilterDefinition(FilterSignature("lstrip", usage: "lstrip"), { input, _, _ in
            .string(strip(input.liquidString, leading: true, trailing: false))
        }),
        FilterDefinition(FilterSignature("rstrip", usage: "rstrip"), { input, _, _ in
            .string(strip(input.liquidString, leading: false, trailing: true))
        }),
        FilterDefinition(FilterSignature("strip_newlines", usage: "strip_newlines"), { input, _, _ in
            .string(replaceNewlines(input.liquidString, with: ""))
        }),
        FilterDefinition(FilterSignature("newline_to_br", usage: "newline_to_br"), { input, _, _ in
            .string(replaceNewlines(input.liquidString, with: "<br />\n"))
        }),
        FilterDefinition(FilterSignature("split", 1...1, usage: "split: \",\""), { input, arguments, _ in
            .array(split(input.liquidString, separator: arguments.value(0).liquidString).map { .string($0) })
        }),
        FilterDefinition(FilterSignature("slice", 1...2, usage: "slice: 2, 3"), { input, arguments, _ throws(FilterError) in
            try slice(input, arguments)
        }),
        FilterDefinition(FilterSignature("truncate", 0...2, usage: "truncate: 20, \"...\""), { input, arguments, _ throws(FilterError) in
            let length = arguments.count > 0 ? try integerArgument(arguments.value(0), "the length") : 50
            let ellipsis = arguments.count > 1 ? arguments.value(1).liquidString : "..."
            return .string(truncate(input.liquidString, length: length, ellipsis: ellipsis))
        }),
        FilterDefinition(FilterSignature("truncatewords", 0...2, usage: "truncatewords: 5, \"...\""), {
            input, arguments, _ throws(FilterError) in
            let words = arguments.count > 0 ? try integerArgument(arguments.value(0), "the number of words") : 15
            let ellipsis = arguments.count > 1 ? arguments.value(1).liquidString : "..."
            return .string(truncateWords(input.liquidString, words: words, ellipsis: ellipsis))
        }),
        FilterDefinition(FilterSignature("size", usage: "size"), { input, _, _ in
            switch input {
            case .string(let string): .int(UTF8Text.scalarCount(string))
            case .array(let elements): .int(elements.count)
            case .object(let object): .int(object.count)
            default: .int(0)
            }
        }),
    ]

    /// First character upper case, the rest lower case.
    static func capitalize(_ text: String) -> String {
        guard let first = text.unicodeScalars.first else { return text }
        if UTF8Text.isASCII(text) {
            let count = text.utf8.count
            return String(unsafeUninitializedCapacity: count) { buffer in
                var index = 0
                for byte in text.utf8 {
                    let flip = index == 0 ? (byte >= 0x61 && byte <= 0x7A) : (byte >= 0x41 && byte <= 0x5A)
                    buffer[index] = flip ? byte ^ 0x20 : byte
                    index += 1
                }
                return count
            }
        }
        let firstText = String(Character(first))
        let rest = String(text.unicodeScalars.dropFirst())
        return firstText.uppercased() + rest.lowercased()
    }

    /// Removes ASCII white space (space, tab, newlines, vertical tab, form feed) at either end.
    static func strip(_ text: String, leading: Bool, trailing: Bool) -> String {
        let utf8 = text.utf8
        var start = utf8.startIndex
        var end = utf8.endIndex
        if leading {
            while start < end, utf8[start].isASCIIWhitespace { start = utf8.index(after: start) }
        }
        if trailing {
            while start < end, utf8[utf8.index(before: end)].isASCIIWhitespace { end = utf8.index(before: end) }
        }
        if start == utf8.startIndex, end == utf8.endIndex { return text }
        return String(text[start..<end])
    }

    /// Replaces every `\n` and `\r\n` (not a lone `\r`) with `replacement`.
    static func replaceNewlines(_ text: String, with replacement: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "\n")) else { return text }
        var output: [UInt8] = []
        output.reserveCapacity(text.utf8.count + 8)
        var pendingCR = false
        for byte in text.utf8 {
            if pendingCR {
                pendingCR = false
                if byte != UInt8(ascii: "\n") { output.append(UInt8(ascii: "\r")) }
            }
            if byte == UInt8(ascii: "\r") {
                pendingCR = true
            } else if byte == UInt8(ascii: "\n") {
                output.append(contentsOf: replacement.utf8)
            } else {
                output.append(byte)
            }
        }
        if pendingCR { output.append(UInt8(ascii: "\r")) }
        return String(decoding: output, as: UTF8.self)
    }

    /// Ruby's `String#split`: `" "` splits on runs of white space ignoring leading white space, `""` splits
    /// into characters, anything else splits on the text; trailing empty strings are dropped.
    static func split(_ text: String, separator: String) -> [String] {
        if text.isEmpty { return [] }
        if separator.isEmpty { return text.unicodeScalars.map { String($0) } }
        if separator == " " { return words(text) }
        var parts: [String] = []
        var text = text
        var separator = separator
        text.withUTF8 { h in
            separator.withUTF8 { n in
                var cursor = 0
                while let position = UTF8Search.find(n, in: h, from: cursor) {
                    parts.append(String(decoding: UnsafeBufferPointer(rebasing: h[cursor..<position]), as: UTF8.self))
                    cursor = position + n.count
                }
                parts.append(String(decoding: UnsafeBufferPointer(rebasing: h[cursor...]), as: UTF8.self))
            }
        }
        while let last = parts.last, last.isEmpty { parts.removeLast() }
        return parts
    }

    /// The runs of non-white-space text (ASCII white space separates words).
    static func words(_ text: String, limit: Int = .max) -> [String] {
        var result: [String] = []
        var current: [UInt8] = []
        for byte in text.utf8 {
            if byte.isASCIIWhitespace {
                if !current.isEmpty {
                    result.append(String(decoding: current, as: UTF8.self))
                    current.removeAll(keepingCapacity: true)
                    if result.count >= limit { return result }
                }
            } else {
                current.append(byte)
            }
        }
        if !current.isEmpty { result.append(String(decoding: current, as: UTF8.self)) }
        return result
    }

    /// Ruby's `slice(offset, length)` on arrays, and on the text of anything else.
    static func slice(_ input: JSONValue, _ arguments: FilterArguments) throws(FilterError) -> JSONValue {
        let offset = try integerArgument(arguments.value(0), "the start position")
        let lengthArgument = arguments.value(1)
        let length: Int
        switch lengthArgument {
        case .null, .bool(false): length = 1
        default: length = try integerArgument(lengthArgument, "the length")
        }
        if case .array(let elements) = input {
            guard let range = sliceRange(offset: offset, length: length, count: elements.count) else { return .array([]) }
            return .array(Array(elements[range]))
        }
        let text = input.liquidString
        let count = UTF8Text.scalarCount(text)
        guard let range = sliceRange(offset: offset, length: length, count: count) else { return .string("") }
        return .string(UTF8Text.scalars(of: text, from: range.lowerBound, count: range.count))
    }

    /// The clamped range for Ruby's `slice(offset, length)`, or `nil` when it selects nothing.
    static func sliceRange(offset: Int, length: Int, count: Int) -> Range<Int>? {
        guard length >= 0 else { return nil }
        var start = offset
        if start < 0 {
            start = start.addingReportingOverflow(count).partialValue
            guard start >= 0 else { return nil }
        }
        guard start <= count else { return nil }
        let remaining = count - start
        return start..<(start + min(remaining, length))
    }

    /// Ruby Liquid's `truncate`: texts longer than `length` characters keep `length - ellipsis length`
    /// characters and end with the ellipsis.
    static func truncate(_ text: String, length: Int, ellipsis: String) -> String {
        let count = UTF8Text.scalarCount(text)
        guard count > length else { return text }
        let keep = max(0, length - UTF8Text.scalarCount(ellipsis))
        return UTF8Text.scalars(of: text, from: 0, count: keep) + ellipsis
    }

    /// Ruby Liquid's `truncatewords`: at least one word; a text with no more than `words` words comes back
    /// unchanged, a longer one as its first `words` words joined by single spaces, plus the ellipsis.
    static func truncateWords(_ text: String, words count: Int, ellipsis: String) -> String {
        let wanted = max(count, 1)
        let limit = wanted == .max ? wanted : wanted + 1
        let found = words(text, limit: limit)
        guard found.count > wanted else { return text }
        return found[0..<wanted].joined(separator: " ") + ellipsis
    }
}
