/// Byte-level substring search and replacement on UTF-8 text, without Foundation.
///
/// Valid UTF-8 is self-synchronising, so a byte match of a valid needle always starts and ends on character
/// (scalar) boundaries; replacing at byte offsets keeps the text valid.
enum UTF8Search {
    /// The byte offset of the first (or last) occurrence of `needle` in `haystack`.
    static func find(_ needle: String, in haystack: String, last: Bool = false) -> Int? {
        var haystack = haystack
        var needle = needle
        return haystack.withUTF8 { h in
            needle.withUTF8 { n in find(n, in: h, last: last) }
        }
    }

    static func find(_ n: UnsafeBufferPointer<UInt8>, in h: UnsafeBufferPointer<UInt8>, last: Bool = false,
                     from start: Int = 0) -> Int? {
        let count = n.count
        if count == 0 { return last ? h.count : start }
        guard h.count - start >= count else { return nil }
        let first = n[0]
        if last {
            var i = h.count - count
            while i >= start {
                if h[i] == first, matches(n, h, at: i) { return i }
                i -= 1
            }
            return nil
        }
        var i = start
        let limit = h.count - count
        while i <= limit {
            if h[i] == first, matches(n, h, at: i) { return i }
            i += 1
        }
        return nil
    }

    @inline(__always)
    private static func matches(_ n: UnsafeBufferPointer<UInt8>, _ h: UnsafeBufferPointer<UInt8>, at i: Int) -> Bool {
        var j = 1
        while j < n.count {
            if h[i + j] != n[j] { return false }
            j += 1
        }
        return true
    }

    /// Replaces occurrences of `target` with `replacement`: all of them, the first, or the last. An empty
    /// target matches between every character and at both ends (Ruby's `gsub("")`), at the start (`sub`) or
    /// at the end (`rindex`).
    /// - Throws: ``FilterError/resultTooLarge(_:)`` as soon as the result passes `maximumBytes`.
    static func replace(_ target: String, with replacement: String, in text: String, mode: Mode,
                        maximumBytes: Int = .max) throws(FilterError) -> String {
        func tooLarge() -> FilterError {
            .resultTooLarge("the text after replacing would be larger than \(maximumBytes) bytes; "
                + "replace in a shorter text or with a shorter replacement, or raise TemplateLimits.maximumOutputBytes")
        }
        if target.isEmpty {
            switch mode {
            case .first: return replacement + text
            case .last: return text + replacement
            case .all:
                // Every character gains a copy: check the size before building it.
                let count = text.unicodeScalars.count
                let (copies, copiesOverflow) = (count + 1).multipliedReportingOverflow(by: replacement.utf8.count)
                guard !copiesOverflow, copies <= maximumBytes - min(maximumBytes, text.utf8.count) else { throw tooLarge() }
                var result = replacement
                for scalar in text.unicodeScalars {
                    result.unicodeScalars.append(scalar)
                    result += replacement
                }
                return result
            }
        }
        var text = text
        var target = target
        var replacement = replacement
        var exceeded = false
        let result = text.withUTF8 { h in
            target.withUTF8 { n in
                replacement.withUTF8 { r in
                    guard let firstMatch = find(n, in: h, last: mode == .last) else {
                        return String(decoding: h, as: UTF8.self)
                    }
                    var output: [UInt8] = []
                    output.reserveCapacity(h.count + max(0, r.count - n.count) * (mode == .all ? 4 : 1))
                    var cursor = 0
                    var match: Int? = firstMatch
                    while let position = match {
                        output.append(contentsOf: UnsafeBufferPointer(rebasing: h[cursor..<position]))
                        output.append(contentsOf: r)
                        if output.count > maximumBytes {
                            exceeded = true
                            return ""
                        }
                        cursor = position + n.count
                        match = mode == .all ? find(n, in: h, from: cursor) : nil
                    }
                    output.append(contentsOf: UnsafeBufferPointer(rebasing: h[cursor...]))
                    return String(decoding: output, as: UTF8.self)
                }
            }
        }
        if exceeded { throw tooLarge() }
        return result
    }

    enum Mode { case all, first, last }
}
