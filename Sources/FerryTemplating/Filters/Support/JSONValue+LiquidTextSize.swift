import FerryCore

extension JSONValue {
    /// A lower bound on the UTF-8 size of the value as text (strings' bytes, one byte per number, key and
    /// punctuation), counted only until it passes `limit`: it costs at most one pass over the value and stops
    /// early, so a huge value made of shared copies of one long string is measured without being built.
    /// - Parameter limit: Where to stop counting.
    /// - Returns: The size, or a number larger than `limit` once the size passes it.
    func liquidTextSize(upTo limit: Int) -> Int {
        var total = 0
        accumulateTextSize(into: &total, limit: limit)
        return total
    }

    private func accumulateTextSize(into total: inout Int, limit: Int) {
        guard total <= limit else { return }
        switch self {
        case .string(let text): total += text.utf8.count
        case .null: break
        case .bool, .number: total += 1
        case .array(let elements):
            for element in elements {
                element.accumulateTextSize(into: &total, limit: limit)
                if total > limit { return }
            }
        case .object(let object):
            total += 2
            for (key, value) in object {
                total += key.utf8.count + 2
                value.accumulateTextSize(into: &total, limit: limit)
                if total > limit { return }
            }
        }
    }
}
