import FerryCore

extension JSONNumber {
    /// Appends the number as Ruby Liquid shows it, the one number formatter of the engine (output tags, string
    /// filters such as `append` and `join`, JSON payload mode): integers of any size digit for digit, floats as
    /// Ruby's `Float#to_s` (``LiquidFloatText``: `1.0e+20`, `1.0e+15`, `0.0001`, `-0.0`).
    ///
    /// A float kept as exact text because it has more digits than a `Double` holds
    /// (`3.14159265358979323846`) is written as given, so nothing in the data is lost on its way to Salesforce;
    /// when its digits are the `Double`'s own shortest digits, Ruby's layout is used.
    func appendLiquidText(to output: inout [UInt8]) {
        if isInteger, let integer = intValue {
            Renderer.appendInteger(integer, to: &output)
            return
        }
        let text = self.text
        var isWhole = true
        var digits: [UInt8] = []
        var seenNonZero = false
        for byte in text.utf8 {
            if byte == UInt8(ascii: ".") || byte | 0x20 == UInt8(ascii: "e") { isWhole = false }
            if !isWhole && byte | 0x20 == UInt8(ascii: "e") { break }
            if byte.isASCIIDigit && (seenNonZero || byte != UInt8(ascii: "0")) {
                seenNonZero = true
                digits.append(byte)
            }
        }
        if isWhole {
            output.append(contentsOf: text.utf8)
            return
        }
        let value = doubleValue
        while let last = digits.last, last == UInt8(ascii: "0") { digits.removeLast() }
        let shortest = LiquidFloatText.digits(of: value).digits
        if digits == shortest || (digits.isEmpty && value == 0) {
            LiquidFloatText.append(value, to: &output)
        } else {
            output.append(contentsOf: text.utf8)
        }
    }

    /// The number as Ruby Liquid shows it (see ``appendLiquidText(to:)``).
    var liquidText: String {
        if isInteger, let integer = intValue { return String(integer) }
        var bytes: [UInt8] = []
        appendLiquidText(to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}
