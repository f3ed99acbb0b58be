import Foundation
import FerryCore

/// A Liquid filter: the function behind `{{ input | name: argument, other, key: value }}`.
///
/// Filters receive their input and arguments as ``/FerryCore/JSONValue``s (the engine has already resolved variables
/// and turned ranges into arrays; an undefined value arrives as `.null`) and return a new value. Host applications
/// register their own in a template environment:
///
/// ```swift
/// let truncateNPS: LiquidFilter = { input, arguments, context in
///     guard let score = input.intValue else { return .null }
///     return .int(min(max(score, 0), 10))
/// }
/// ```
public typealias LiquidFilter = @Sendable (
    _ input: JSONValue, _ arguments: FilterArguments, _ context: FilterContext
) throws(FilterError) -> JSONValue

/// The arguments of one filter call: positional ones in order and keyword ones (`allow_false: true`).
public struct FilterArguments: Sendable, Hashable {
    /// The positional arguments, in order.
    public var positional: [JSONValue]
    /// The keyword arguments, in order.
    public var keyword: JSONObject

    /// Creates filter arguments.
    /// - Parameters:
    ///   - positional: The positional arguments, in order.
    ///   - keyword: The keyword arguments.
    public init(_ positional: [JSONValue] = [], keyword: JSONObject = JSONObject()) {
        self.positional = positional
        self.keyword = keyword
    }

    /// The positional argument at `index`, or `nil` when fewer were given.
    public subscript(index: Int) -> JSONValue? {
        positional.indices.contains(index) ? positional[index] : nil
    }

    /// The number of positional arguments.
    public var count: Int { positional.count }
}

/// What a filter may need from the render that calls it.
public struct FilterContext: Sendable {
    /// The clock behind `"now"` and `"today"` (injected, so tests and previews are repeatable).
    public var clock: any FerryClock
    /// The time zone dates are shown in when a filter is not given one (UTC unless configured; CleverTap's
    /// dashboard uses IST, UTC+05:30).
    public var timeZone: TimeZone
    /// Whether the template renders in strict mode (undefined variables and filters are errors).
    public var isStrict: Bool
    /// The largest string, in UTF-8 bytes, a filter may build (the template's
    /// ``TemplateLimits/maximumOutputBytes`` during a render). Filters whose result can be many times their input
    /// (`replace`, `join`) stop with ``FilterError/resultTooLarge(_:)`` once they pass it, before the memory is
    /// spent.
    public var maximumResultBytes: Int

    /// Creates a filter context.
    /// - Parameters:
    ///   - clock: The clock behind `"now"`.
    ///   - timeZone: The default time zone for dates.
    ///   - isStrict: Whether rendering is strict.
    ///   - maximumResultBytes: The largest string a filter may build (unlimited by default).
    public init(clock: any FerryClock = SystemClock(), timeZone: TimeZone = TimeZone(identifier: "UTC") ?? .current,
                isStrict: Bool = false, maximumResultBytes: Int = .max) {
        self.clock = clock
        self.timeZone = timeZone
        self.isStrict = isStrict
        self.maximumResultBytes = maximumResultBytes
    }
}
