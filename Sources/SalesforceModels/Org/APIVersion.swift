import Foundation

/// A Salesforce REST API version such as `v66.0` (Spring '26).
///
/// Ferry defaults to ``default``; set another when an org must be pinned (`GET /services/data/` lists what an
/// org serves). Versions compare numerically: `v9.0 < v62.0`.
public struct APIVersion: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The major number, e.g. `66`.
    public let major: Int
    /// The minor number, always `0` for released versions.
    public let minor: Int

    /// Creates a version from its numbers.
    /// - Parameters:
    ///   - major: The major number (at least 1).
    ///   - minor: The minor number (default 0).
    public init(major: Int, minor: Int = 0) {
        self.major = max(1, major)
        self.minor = max(0, minor)
    }

    /// Parses `v66.0`, `66.0` or `66`.
    /// - Parameter text: The version text.
    /// - Throws: ``SalesforceOrgError`` of kind ``SalesforceOrgError/Kind/invalidVersion``.
    public init(_ text: String) throws(SalesforceOrgError) {
        var body = Substring(text.trimmingCharacters(in: .whitespaces))
        if body.first == "v" || body.first == "V" { body = body.dropFirst() }
        let parts = body.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count),
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 3 && $0.allSatisfy(\.isASCIIDigitCharacter) }),
            let major = Int(parts[0]), major >= 1
        else {
            throw SalesforceOrgError(
                .invalidVersion,
                "'\(text)' is not a Salesforce API version: write it as vNN.N, for example v66.0 (GET /services/data/ lists the versions an org serves)"
            )
        }
        let minor = parts.count == 2 ? Int(parts[1]) ?? 0 : 0
        self.init(major: major, minor: minor)
    }

    /// v62.0, Winter '25.
    public static let v62 = APIVersion(major: 62)
    /// v63.0, Spring '25.
    public static let v63 = APIVersion(major: 63)
    /// v64.0, Summer '25.
    public static let v64 = APIVersion(major: 64)
    /// v65.0, Winter '26.
    public static let v65 = APIVersion(major: 65)
    /// v66.0, Spring '26.
    public static let v66 = APIVersion(major: 66)
    /// v67.0, Summer '26.
    public static let v67 = APIVersion(major: 67)

    /// The version Ferry uses unless told otherwise: v66.0 (Spring '26).
    public static let `default` = v66

    /// `66.0`: the number as metadata files (`<apiVersion>`) write it.
    public var number: String { "\(major).\(minor)" }

    /// `v66.0`: the form used in REST paths.
    public var description: String { "v\(number)" }

    /// Numeric order.
    /// - Parameters:
    ///   - lhs: A version.
    ///   - rhs: Another version.
    /// - Returns: `true` when `lhs` is older.
    public static func < (lhs: APIVersion, rhs: APIVersion) -> Bool {
        (lhs.major, lhs.minor) < (rhs.major, rhs.minor)
    }
}

extension Character {
    /// Whether the character is one of `0`-`9`.
    var isASCIIDigitCharacter: Bool { isASCII && isNumber }
    /// Whether the character is one of `a`-`z`, `A`-`Z`.
    var isASCIILetterCharacter: Bool { isASCII && isLetter }
}
