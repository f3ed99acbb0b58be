/// A signed integer of any size, for Liquid arithmetic that leaves 64 bits (Ruby's `Integer` never overflows:
/// `9223372036854775807 | plus: 1` is `9223372036854775808`, and a 19-digit CleverTap identity times 10 stays
/// exact).
///
/// Sign and magnitude; the magnitude is little-endian base-2³² limbs with no high zero limbs, so every value has
/// one representation (zero is no limbs and not negative). Division and remainder floor, as Ruby's do. Liquid
/// reaches this type only after an `Int` operation overflows, so it favours plain, checkable code over speed.
struct LiquidBigInt: Sendable, Hashable {
    private(set) var isNegative: Bool
    private(set) var limbs: [UInt32]

    private init(isNegative: Bool, limbs: [UInt32]) {
        var limbs = limbs
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        self.limbs = limbs
        self.isNegative = limbs.isEmpty ? false : isNegative
    }

    /// The value of an `Int`.
    init(_ value: Int) {
        let magnitude = value.magnitude
        self.init(isNegative: value < 0,
                  limbs: [UInt32(truncatingIfNeeded: magnitude), UInt32(truncatingIfNeeded: magnitude >> 32)])
    }

    /// Reads `-?[0-9]+` (a leading `+` is allowed); `nil` for anything else.
    init?<Bytes: Collection>(decimal bytes: Bytes) where Bytes.Element == UInt8 {
        var index = bytes.startIndex
        var negative = false
        if index < bytes.endIndex, bytes[index] == UInt8(ascii: "-") || bytes[index] == UInt8(ascii: "+") {
            negative = bytes[index] == UInt8(ascii: "-")
            index = bytes.index(after: index)
        }
        guard index < bytes.endIndex else { return nil }
        var limbs: [UInt32] = []
        var chunk: UInt32 = 0
        var chunkDigits = 0
        while index < bytes.endIndex {
            let byte = bytes[index]
            guard byte.isASCIIDigit else { return nil }
            chunk = chunk * 10 + UInt32(byte &- UInt8(ascii: "0"))
            chunkDigits += 1
            if chunkDigits == 9 {
                LiquidBigInt.multiplyAdd(&limbs, by: 1_000_000_000, adding: chunk)
                chunk = 0
                chunkDigits = 0
            }
            index = bytes.index(after: index)
        }
        if chunkDigits > 0 { LiquidBigInt.multiplyAdd(&limbs, by: LiquidBigInt.powerOfTen(chunkDigits), adding: chunk) }
        self.init(isNegative: negative, limbs: limbs)
    }

    /// `10^exponent` (`exponent` >= 0).
    static func tenToThe(_ exponent: Int) -> LiquidBigInt {
        var limbs: [UInt32] = [1]
        var remaining = exponent
        while remaining > 0 {
            let step = min(remaining, 9)
            multiplyAdd(&limbs, by: powerOfTen(step), adding: 0)
            remaining -= step
        }
        return LiquidBigInt(isNegative: false, limbs: limbs)
    }

    private static func powerOfTen(_ digits: Int) -> UInt32 {
        var power: UInt32 = 1
        for _ in 0..<digits { power *= 10 }
        return power
    }

    /// `limbs = limbs * factor + addend`, in place.
    private static func multiplyAdd(_ limbs: inout [UInt32], by factor: UInt32, adding addend: UInt32) {
        var carry = UInt64(addend)
        for index in limbs.indices {
            let product = UInt64(limbs[index]) * UInt64(factor) + carry
            limbs[index] = UInt32(truncatingIfNeeded: product)
            carry = product >> 32
        }
        if carry > 0 { limbs.append(UInt32(truncatingIfNeeded: carry)) }
    }

    /// Divides the magnitude by a one-limb divisor in place and returns the remainder.
    private static func divideInPlace(_ limbs: inout [UInt32], by divisor: UInt32) -> UInt32 {
        var remainder: UInt64 = 0
        for index in limbs.indices.reversed() {
            let current = remainder << 32 | UInt64(limbs[index])
            limbs[index] = UInt32(truncatingIfNeeded: current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        return UInt32(truncatingIfNeeded: remainder)
    }

    /// The most limbs an arithmetic result keeps as an integer (about 10,000 decimal digits): beyond it Liquid
    /// falls back to a float (infinite, so nil), so a template that squares a number in a loop cannot spend
    /// minutes and gigabytes on digits no payload can carry.
    static let maximumLimbs = 1_040

    /// The most decimal digits read into an integer or exact decimal (longer numbers are read as floats), for the
    /// same reason as ``maximumLimbs``.
    static let maximumDigits = 10_000

    /// Whether the value is zero.
    var isZero: Bool { limbs.isEmpty }

    /// The value as an `Int`, when it fits.
    var intValue: Int? {
        guard limbs.count <= 2 else { return nil }
        var magnitude: UInt64 = 0
        for (index, limb) in limbs.enumerated() { magnitude |= UInt64(limb) << (32 * UInt64(index)) }
        if isNegative {
            if magnitude == UInt64(Int64.max) + 1 { return Int.min }
            return magnitude <= UInt64(Int64.max) ? -Int(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int(magnitude) : nil
    }

    /// The nearest `Double` (infinite beyond its range), correctly rounded through the decimal text.
    var doubleValue: Double { Double(description) ?? (isNegative ? -Double.infinity : Double.infinity) }

    /// The absolute value.
    var magnitude: LiquidBigInt { LiquidBigInt(isNegative: false, limbs: limbs) }

    /// Whether the value has more limbs than ``maximumLimbs``.
    var isOversized: Bool { limbs.count > LiquidBigInt.maximumLimbs }

    static prefix func - (value: LiquidBigInt) -> LiquidBigInt {
        LiquidBigInt(isNegative: !value.isNegative, limbs: value.limbs)
    }

    // MARK: Magnitude arithmetic

    private static func compareMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> Int {
        if a.count != b.count { return a.count < b.count ? -1 : 1 }
        for index in a.indices.reversed() where a[index] != b[index] {
            return a[index] < b[index] ? -1 : 1
        }
        return 0
    }

    private static func addMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result: [UInt32] = []
        result.reserveCapacity(max(a.count, b.count) + 1)
        var carry: UInt64 = 0
        for index in 0..<max(a.count, b.count) {
            let sum = UInt64(index < a.count ? a[index] : 0) + UInt64(index < b.count ? b[index] : 0) + carry
            result.append(UInt32(truncatingIfNeeded: sum))
            carry = sum >> 32
        }
        if carry > 0 { result.append(UInt32(truncatingIfNeeded: carry)) }
        return result
    }

    /// `a - b` for `a >= b`.
    private static func subtractMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        var result = a
        var borrow: Int64 = 0
        for index in result.indices {
            var difference = Int64(a[index]) - Int64(index < b.count ? b[index] : 0) - borrow
            borrow = 0
            if difference < 0 {
                difference += 1 << 32
                borrow = 1
            }
            result[index] = UInt32(truncatingIfNeeded: difference)
        }
        return result
    }

    private static func multiplyMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> [UInt32] {
        guard !a.isEmpty, !b.isEmpty else { return [] }
        var result = [UInt32](repeating: 0, count: a.count + b.count)
        for i in a.indices {
            var carry: UInt64 = 0
            for j in b.indices {
                let product = UInt64(a[i]) * UInt64(b[j]) + UInt64(result[i + j]) + carry
                result[i + j] = UInt32(truncatingIfNeeded: product)
                carry = product >> 32
            }
            result[i + b.count] = UInt32(truncatingIfNeeded: carry)
        }
        return result
    }

    /// Truncating division of magnitudes (shift and subtract, one bit at a time); `b` is not zero.
    private static func divideMagnitudes(_ a: [UInt32], _ b: [UInt32]) -> (quotient: [UInt32], remainder: [UInt32]) {
        if compareMagnitudes(a, b) < 0 { return ([], a) }
        if b.count == 1 {
            var quotient = a
            let remainder = divideInPlace(&quotient, by: b[0])
            return (quotient, remainder == 0 ? [] : [remainder])
        }
        var quotient = [UInt32](repeating: 0, count: a.count)
        var remainder: [UInt32] = []
        for bit in stride(from: a.count * 32 - 1, through: 0, by: -1) {
            // remainder = remainder << 1 | bit
            var carry = (a[bit / 32] >> UInt32(bit % 32)) & 1
            for index in remainder.indices {
                let next = remainder[index] >> 31
                remainder[index] = remainder[index] << 1 | carry
                carry = next
            }
            if carry != 0 { remainder.append(carry) }
            if compareMagnitudes(remainder, b) >= 0 {
                remainder = subtractMagnitudes(remainder, b)
                while let last = remainder.last, last == 0 { remainder.removeLast() }
                quotient[bit / 32] |= 1 << UInt32(bit % 32)
            }
        }
        return (quotient, remainder)
    }

    // MARK: Signed arithmetic

    static func + (a: LiquidBigInt, b: LiquidBigInt) -> LiquidBigInt {
        if a.isNegative == b.isNegative {
            return LiquidBigInt(isNegative: a.isNegative, limbs: addMagnitudes(a.limbs, b.limbs))
        }
        if compareMagnitudes(a.limbs, b.limbs) >= 0 {
            return LiquidBigInt(isNegative: a.isNegative, limbs: subtractMagnitudes(a.limbs, b.limbs))
        }
        return LiquidBigInt(isNegative: b.isNegative, limbs: subtractMagnitudes(b.limbs, a.limbs))
    }

    static func - (a: LiquidBigInt, b: LiquidBigInt) -> LiquidBigInt { a + -b }

    static func * (a: LiquidBigInt, b: LiquidBigInt) -> LiquidBigInt {
        LiquidBigInt(isNegative: a.isNegative != b.isNegative, limbs: multiplyMagnitudes(a.limbs, b.limbs))
    }

    /// Floored division and remainder, as Ruby's `divmod`: the quotient rounds towards negative infinity and the
    /// remainder takes the divisor's sign. `nil` when the divisor is zero.
    func flooredDivision(by divisor: LiquidBigInt) -> (quotient: LiquidBigInt, remainder: LiquidBigInt)? {
        guard !divisor.isZero else { return nil }
        let (q, r) = LiquidBigInt.divideMagnitudes(limbs, divisor.limbs)
        var quotient = LiquidBigInt(isNegative: isNegative != divisor.isNegative, limbs: q)
        var remainder = LiquidBigInt(isNegative: isNegative, limbs: r)
        if !remainder.isZero, remainder.isNegative != divisor.isNegative {
            quotient = quotient - LiquidBigInt(1)
            remainder = remainder + divisor
        }
        return (quotient, remainder)
    }
}

extension LiquidBigInt: Comparable {
    static func < (a: LiquidBigInt, b: LiquidBigInt) -> Bool {
        if a.isNegative != b.isNegative { return a.isNegative }
        let order = compareMagnitudes(a.limbs, b.limbs)
        return a.isNegative ? order > 0 : order < 0
    }
}

extension LiquidBigInt: CustomStringConvertible {
    /// The decimal text, `-` first when negative.
    var description: String {
        if limbs.isEmpty { return "0" }
        var remaining = limbs
        var chunks: [UInt32] = []
        while !remaining.isEmpty { chunks.append(LiquidBigInt.divideInPlace(&remaining, by: 1_000_000_000)) }
        var text = isNegative ? "-" : ""
        text += String(chunks[chunks.count - 1])
        for chunk in chunks.dropLast().reversed() {
            let digits = String(chunk)
            text += String(repeating: "0", count: 9 - digits.count) + digits
        }
        return text
    }
}
