import FerryCore

extension StandardFilters {
    static let htmlFilters: [FilterDefinition] = [
        FilterDefinition(FilterSignature("escape", usage: "escape"), { input, _, _ in .string(escapeHTML(input.liquidString, once: false)) }),
        FilterDefinition(FilterSignature("h", usage: "h"), { input, _, _ in .string(escapeHTML(input.liquidString, once: false)) }),
        FilterDefinition(FilterSignature("escape_once", usage: "escape_once"), { input, _, _ in
            .string(escapeHTML(input.liquidString, once: true))
        }),
        FilterDefinition(FilterSignature("strip_html", usage: "strip_html"), { input, _, _ in .string(stripHTML(input.liquidString)) }),
    ]

    /// Escapes `&`, `<`, `>`, `"` and `'` for HTML (`&amp;`, `&lt;`, `&gt;`, `&quot;`, `&#39;`). With `once`,
    /// an `&` that already starts an entity (`&amp;`, `&#39;`) is kept.
    static func escapeHTML(_ text: String, once: Bool) -> String {
        var needsWork = false
        for byte in text.utf8 where byte == 0x26 || byte == 0x3C || byte == 0x3E || byte == 0x22 || byte == 0x27 {
            needsWork = true
            break
        }
        guard needsWork else { return text }
        var text = text
        return text.withUTF8 { bytes in
            var output: [UInt8] = []
            output.reserveCapacity(bytes.count + 16)
            for (index, byte) in bytes.enumerated() {
                switch byte {
                case UInt8(ascii: "&"):
                    if once, startsEntity(bytes, at: index) {
                        output.append(byte)
                    } else {
                        output.append(contentsOf: "&amp;".utf8)
                    }
                case UInt8(ascii: "<"): output.append(contentsOf: "&lt;".utf8)
                case UInt8(ascii: ">"): output.append(contentsOf: "&gt;".utf8)
                case UInt8(ascii: "\""): output.append(contentsOf: "&quot;".utf8)
                case UInt8(ascii: "'"): output.append(contentsOf: "&#39;".utf8)
                default: output.append(byte)
                }
            }
            return String(decoding: output, as: UTF8.self)
        }
    }

    /// Whether `&` at `index` begins `&name;` or `&#digits;`.
    private static func startsEntity(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> Bool {
        var cursor = index + 1
        guard cursor < bytes.count else { return false }
        if bytes[cursor] == UInt8(ascii: "#") {
            cursor += 1
            let start = cursor
            while cursor < bytes.count, bytes[cursor].isASCIIDigit { cursor += 1 }
            return cursor > start && cursor < bytes.count && bytes[cursor] == UInt8(ascii: ";")
        }
        let start = cursor
        while cursor < bytes.count, bytes[cursor].isASCIILetter { cursor += 1 }
        return cursor > start && cursor < bytes.count && bytes[cursor] == UInt8(ascii: ";")
    }

    /// Removes `<script>…</script>`, `<style>…</style>` and `<!-- … -->` blocks, then every `<…>` tag, as
    /// Shopify's two regular expressions do. Entities are left alone.
    static func stripHTML(_ text: String) -> String {
        guard text.utf8.contains(UInt8(ascii: "<")) else { return text }
        let withoutBlocks = removeBlocks(Array(text.utf8))
        var output: [UInt8] = []
        output.reserveCapacity(withoutBlocks.count)
        var index = 0
        while index < withoutBlocks.count {
            if withoutBlocks[index] == UInt8(ascii: "<") {
                // No ">" after this "<" means none after any later "<" either: keep the rest as text.
                guard let close = withoutBlocks[(index + 1)...].firstIndex(of: UInt8(ascii: ">")) else {
                    output.append(contentsOf: withoutBlocks[index...])
                    break
                }
                index = close + 1
            } else {
                output.append(withoutBlocks[index])
                index += 1
            }
        }
        return String(decoding: output, as: UTF8.self)
    }

    private static let blockDelimiters: [([UInt8], [UInt8])] = [
        (Array("<script".utf8), Array("</script>".utf8)),
        (Array("<!--".utf8), Array("-->".utf8)),
        (Array("<style".utf8), Array("</style>".utf8)),
    ]

    private static func removeBlocks(_ bytes: [UInt8]) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(bytes.count)
        // A closing delimiter not found after one position is not found after any later one: remember that, so
        // text full of unclosed "<script" stays linear.
        var exhausted = [Bool](repeating: false, count: blockDelimiters.count)
        var index = 0
        scan: while index < bytes.count {
            if bytes[index] == UInt8(ascii: "<") {
                for (number, (open, close)) in blockDelimiters.enumerated()
                where !exhausted[number] && hasPrefix(open, in: bytes, at: index) {
                    if let end = firstIndex(of: close, in: bytes, from: index + open.count) {
                        index = end + close.count
                        continue scan
                    }
                    exhausted[number] = true
                }
            }
            output.append(bytes[index])
            index += 1
        }
        return output
    }

    private static func hasPrefix(_ prefix: [UInt8], in bytes: [UInt8], at index: Int) -> Bool {
        guard bytes.count - index >= prefix.count else { return false }
        for offset in prefix.indices where bytes[index + offset] != prefix[offset] { return false }
        return true
    }

    private static func firstIndex(of needle: [UInt8], in bytes: [UInt8], from start: Int) -> Int? {
        guard !needle.isEmpty, bytes.count >= needle.count else { return nil }
        var index = start
        while index + needle.count <= bytes.count {
            if hasPrefix(needle, in: bytes, at: index) { return index }
            index += 1
        }
        return nil
    }
}
