/// A template's source as bytes, with its name, for error locations.
final class SourceText: Sendable {
    let name: String?
    let bytes: [UInt8]

    init(name: String?, text: String) {
        self.name = name
        self.bytes = Array(text.utf8)
    }

    /// The line, column and source line of a byte offset.
    func location(of offset: Int) -> SourceLocation {
        let offset = max(0, min(offset, bytes.count))
        var line = 1
        var lineStart = 0
        var index = 0
        while index < offset {
            if bytes[index] == 0x0A {
                line += 1
                lineStart = index + 1
            }
            index += 1
        }
        var lineEnd = offset
        while lineEnd < bytes.count && bytes[lineEnd] != 0x0A && bytes[lineEnd] != 0x0D { lineEnd += 1 }
        let before = String(decoding: bytes[lineStart..<offset], as: UTF8.self)
        var excerpt = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        if excerpt.count > 160 { excerpt = String(excerpt.prefix(160)) + "…" }
        return SourceLocation(templateName: name, line: line, column: before.count + 1, excerpt: excerpt)
    }

    func text(_ range: Range<Int>) -> String {
        String(decoding: bytes[range], as: UTF8.self)
    }
}

/// A resolved position in a template.
struct SourceLocation: Sendable, Hashable {
    var templateName: String?
    var line: Int
    var column: Int
    var excerpt: String
}
