/// Where a JSON text is, after some bytes: what may come next and which containers are open.
///
/// The payload analyser runs template text through this state machine at parse time, the way Go's html/template
/// tracks HTML contexts, to learn the JSON context of every output tag.
struct JSONLexicalState: Hashable, Sendable {
    enum Mode: Hashable, Sendable {
        /// A value must come next (start, after `:`, after `,` in an array).
        case value
        /// After `[`: a value or `]`.
        case valueOrClose
        /// After `,` in an object: a key string.
        case key
        /// After `{`: a key string or `}`.
        case keyOrClose
        /// After a key: `:`.
        case colon
        /// After a complete value: `,`, a closing bracket, or the end.
        case afterValue
        /// Inside a string literal (a key's or a value's).
        case string(isKey: Bool)
        /// Right after a backslash in a string literal.
        case stringEscape(isKey: Bool)
        /// Inside a number, `true`, `false` or `null`.
        case literal
    }

    /// Open containers, innermost last: `[` or `{`.
    var stack: [UInt8]
    var mode: Mode

    static let start = JSONLexicalState(stack: [], mode: .value)

    /// Whether a complete JSON value may end here.
    var isComplete: Bool {
        stack.isEmpty && (mode == .afterValue || mode == .literal)
    }

    var isInString: Bool {
        if case .string = mode { return true }
        return false
    }

    var expectsValue: Bool { mode == .value || mode == .valueOrClose }

    /// The state after one byte, or `nil` when no valid JSON text has that byte here.
    func step(_ byte: UInt8) -> JSONLexicalState? {
        var next = self
        switch mode {
        case .string(let isKey):
            if byte == UInt8(ascii: "\"") {
                next.mode = isKey ? .colon : .afterValue
            } else if byte == UInt8(ascii: "\\") {
                next.mode = .stringEscape(isKey: isKey)
            } else if byte < 0x20 {
                return nil
            }
            return next
        case .stringEscape(let isKey):
            next.mode = .string(isKey: isKey)
            return next
        case .literal:
            if JSONLexicalState.isLiteralByte(byte) { return next }
            next.mode = .afterValue
            return next.step(byte)
        default:
            break
        }
        if JSONLexicalState.isSpace(byte) { return next }
        switch mode {
        case .value, .valueOrClose:
            switch byte {
            case UInt8(ascii: "\""):
                next.mode = .string(isKey: false)
            case UInt8(ascii: "{"):
                next.stack.append(byte)
                next.mode = .keyOrClose
            case UInt8(ascii: "["):
                next.stack.append(byte)
                next.mode = .valueOrClose
            case UInt8(ascii: "]") where mode == .valueOrClose:
                next.stack.removeLast()
                next.mode = .afterValue
            default:
                guard byte == UInt8(ascii: "-") || (byte >= 0x30 && byte <= 0x39) || byte == UInt8(ascii: "t")
                    || byte == UInt8(ascii: "f") || byte == UInt8(ascii: "n") else { return nil }
                next.mode = .literal
            }
        case .key, .keyOrClose:
            if byte == UInt8(ascii: "\"") {
                next.mode = .string(isKey: true)
            } else if byte == UInt8(ascii: "}") && mode == .keyOrClose {
                next.stack.removeLast()
                next.mode = .afterValue
            } else {
                return nil
            }
        case .colon:
            guard byte == UInt8(ascii: ":") else { return nil }
            next.mode = .value
        case .afterValue:
            guard let top = stack.last else { return nil }
            switch byte {
            case UInt8(ascii: ","): next.mode = top == UInt8(ascii: "[") ? .value : .key
            case UInt8(ascii: "]") where top == UInt8(ascii: "["), UInt8(ascii: "}") where top == UInt8(ascii: "{"):
                next.stack.removeLast()
                next.mode = .afterValue
            default: return nil
            }
        default:
            return nil
        }
        return next
    }

    /// After a value was written in place of this state.
    var afterWritingValue: JSONLexicalState {
        JSONLexicalState(stack: stack, mode: .afterValue)
    }

    var describe: String {
        switch mode {
        case .value, .valueOrClose: "where a value goes"
        case .key, .keyOrClose: "where an object key goes (keys must be written inside quotes: \"{{ name }}\": ...)"
        case .colon: "between a key and its ':'"
        case .afterValue: "right after a complete value (a ',' or a closing bracket is missing)"
        case .string: "inside a string"
        case .stringEscape: "right after a backslash in a string"
        case .literal: "inside a number or literal (true/false/null)"
        }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    static func isLiteralByte(_ byte: UInt8) -> Bool {
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x61 && byte <= 0x7A) || byte == UInt8(ascii: ".")
            || byte == UInt8(ascii: "-") || byte == UInt8(ascii: "+") || byte == UInt8(ascii: "E")
    }
}
