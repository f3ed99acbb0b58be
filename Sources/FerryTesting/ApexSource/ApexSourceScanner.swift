/// Splits Apex source into code, comments and string literals, the way the Apex compiler's lexer does, so a
/// test can check that generated code keeps user text where it belongs: inside a comment or a literal, never
/// as code (a `*/` in a URL mapping closing the header comment, a `'` in a picklist value closing a literal).
///
/// ```swift
/// let tokens = try ApexSourceScanner.scan(ApexGenerator(spec: spec).restClass)
/// let literals = tokens.filter { $0.kind == .stringLiteral }.map(\.value)
/// ```
///
/// It reads Unicode scalars, as a compiler reads bytes: a quote followed by a combining mark still ends a
/// literal. It is not a parser: CI parses the same classes with the tree-sitter Apex grammar (`.ci/apex-grammar`).
public enum ApexSourceScanner {
    /// The escapes Apex string literals allow after a backslash, and the scalar each stands for.
    static let escapes: [Unicode.Scalar: Unicode.Scalar] = [
        "b": "\u{08}", "t": "\t", "n": "\n", "f": "\u{0C}", "r": "\r", "\"": "\"", "'": "'", "\\": "\\",
    ]

    /// Splits `source` into tokens.
    /// - Parameter source: Apex source text.
    /// - Returns: The tokens in order; their texts joined give `source` back.
    /// - Throws: ``ApexSourceScanError`` for an unterminated comment or literal, a line break inside a literal, or
    ///   an escape Apex does not know.
    public static func scan(_ source: String) throws(ApexSourceScanError) -> [ApexSourceToken] {
        let scalars = Array(source.unicodeScalars)
        var tokens: [ApexSourceToken] = []
        var line = 1
        var index = 0
        var code = String.UnicodeScalarView()
        var codeLine = 1

        func flushCode() {
            if !code.isEmpty {
                let text = String(code)
                tokens.append(ApexSourceToken(kind: .code, text: text, value: text, line: codeLine))
                code = String.UnicodeScalarView()
            }
        }
        func next(_ offset: Int) -> Unicode.Scalar? { index + offset < scalars.count ? scalars[index + offset] : nil }

        while index < scalars.count {
            let scalar = scalars[index]
            if scalar == "/" && next(1) == "*" {
                flushCode()
                let start = index
                let startLine = line
                index += 2
                while index < scalars.count && !(scalars[index] == "*" && next(1) == "/") {
                    if scalars[index] == "\n" { line += 1 }
                    index += 1
                }
                guard index < scalars.count else { throw ApexSourceScanError("unterminated /* comment", line: startLine) }
                index += 2
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                tokens.append(ApexSourceToken(kind: .blockComment, text: text, value: text, line: startLine))
                codeLine = line
            } else if scalar == "/" && next(1) == "/" {
                flushCode()
                let start = index
                while index < scalars.count && scalars[index] != "\n" && scalars[index] != "\r" { index += 1 }
                let text = String(String.UnicodeScalarView(scalars[start..<index]))
                tokens.append(ApexSourceToken(kind: .lineComment, text: text, value: text, line: line))
                codeLine = line
            } else if scalar == "'" {
                flushCode()
                let start = index
                var value = String.UnicodeScalarView()
                index += 1
                while true {
                    guard index < scalars.count else { throw ApexSourceScanError("unterminated string literal", line: line) }
                    let current = scalars[index]
                    if current == "'" { break }
                    if current == "\n" || current == "\r" {
                        throw ApexSourceScanError("a line break inside a string literal", line: line)
                    }
                    if current == "\\" {
                        guard let escaped = next(1) else { throw ApexSourceScanError("unterminated string literal", line: line) }
                        if let decoded = escapes[escaped] {
                            value.append(decoded)
                            index += 2
                        } else if escaped == "u", let decoded = unicodeEscape(scalars, at: index) {
                            value.append(decoded)
                            index += 6
                        } else {
                            throw ApexSourceScanError("unknown escape \\\(escaped) in a string literal", line: line)
                        }
                        continue
                    }
                    value.append(current)
                    index += 1
                }
                index += 1
                tokens.append(ApexSourceToken(
                    kind: .stringLiteral, text: String(String.UnicodeScalarView(scalars[start..<index])),
                    value: String(value), line: line))
                codeLine = line
            } else {
                if code.isEmpty { codeLine = line }
                if scalar == "\n" { line += 1 }
                code.append(scalar)
                index += 1
            }
        }
        flushCode()
        return tokens
    }

    /// The scalar of a `\uXXXX` escape starting at `index`, or `nil` when the four hex digits are missing.
    private static func unicodeEscape(_ scalars: [Unicode.Scalar], at index: Int) -> Unicode.Scalar? {
        guard index + 6 <= scalars.count else { return nil }
        let digits = String(String.UnicodeScalarView(scalars[(index + 2)..<(index + 6)]))
        guard digits.unicodeScalars.allSatisfy({ $0.properties.isASCIIHexDigit }), let value = UInt32(digits, radix: 16) else {
            return nil
        }
        return Unicode.Scalar(value)
    }
}
