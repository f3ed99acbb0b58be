import Foundation
import FerryCore

/// Everything templates share: filters, custom tags, the partial loader, limits, mode, clock and time zone.
///
/// An environment is a value: configure one, then parse templates with it. Filters are resolved when a template is
/// parsed, so rendering never looks a filter up by name.
///
/// ```swift
/// var environment = TemplateEnvironment(mode: .strict, loader: InMemoryTemplateLoader(["footer": "..."]))
/// environment.register(filter: "truncate_nps") { input, _, _ in
///     .int(min(max(input.intValue ?? 0, 0), 10))
/// }
/// let template = try Template(source, environment: environment)
/// ```
public struct TemplateEnvironment: Sendable {
    /// The filters by name (the standard filters unless replaced).
    public var filters: [String: LiquidFilter] {
        didSet { standardFiltersIntact = false }
    }
    /// Whether ``filters`` still holds the standard filters under their own names, apart from the names in
    /// ``registeredFilterNames``. Templates then bind standard filters from ``StandardFilters/definitions``
    /// rather than from ``filters``: a closure read out of a `[String: LiquidFilter]` comes wrapped in a pair of
    /// reabstraction thunks (the dictionary keeps it in its most general form), which every call would run.
    var standardFiltersIntact: Bool
    /// The names ``register(filter:_:)`` has set, which no longer hold the standard filter.
    var registeredFilterNames = Set<String>()
    /// Host-defined tags by name.
    public var tags: [String: CustomTag]
    /// Where `include` and `render` find partials; `nil` makes both an error.
    public var loader: (any TemplateLoader)?
    /// Resource limits.
    public var limits: TemplateLimits
    /// Lax (Shopify's default) or strict handling of undefined variables and filters.
    public var mode: TemplateMode
    /// The clock behind `"now"` and `"today"`.
    public var clock: any FerryClock
    /// The time zone dates are shown in when a filter is not given one (UTC by default; CleverTap's dashboard
    /// uses IST: `TimeZone(identifier: "Asia/Kolkata")`).
    public var timeZone: TimeZone

    /// Creates an environment with the standard filters.
    /// - Parameters:
    ///   - mode: Lax or strict.
    ///   - loader: Where partials come from.
    ///   - limits: Resource limits.
    ///   - clock: The clock behind `"now"`.
    ///   - timeZone: The default time zone for dates.
    public init(mode: TemplateMode = .lax, loader: (any TemplateLoader)? = nil, limits: TemplateLimits = .default,
                clock: any FerryClock = SystemClock(),
                timeZone: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current) {
        self.init(mode: mode, loader: loader, limits: limits, clock: clock, timeZone: timeZone,
                  filters: TemplateEnvironment.standardFilters)
        standardFiltersIntact = true
    }

    /// Creates an environment with the given filters instead of the standard ones.
    /// - Parameters:
    ///   - mode: Lax or strict.
    ///   - loader: Where partials come from.
    ///   - limits: Resource limits.
    ///   - clock: The clock behind `"now"`.
    ///   - timeZone: The default time zone for dates.
    ///   - filters: The filters (``standardFilters`` plus or minus some, for example).
    public init(mode: TemplateMode = .lax, loader: (any TemplateLoader)? = nil, limits: TemplateLimits = .default,
                clock: any FerryClock = SystemClock(),
                timeZone: TimeZone = TimeZone(identifier: "UTC") ?? TimeZone(secondsFromGMT: 0) ?? .current,
                filters: [String: LiquidFilter]) {
        self.filters = filters
        self.standardFiltersIntact = false
        self.tags = [:]
        self.loader = loader
        self.limits = limits
        self.mode = mode
        self.clock = clock
        self.timeZone = timeZone
    }

    /// Adds or replaces a filter.
    /// - Parameters:
    ///   - name: The name templates use (`{{ x | name }}`).
    ///   - filter: The function.
    public mutating func register(filter name: String, _ filter: @escaping LiquidFilter) {
        // Only this name stops being the standard filter; the others can still be bound directly.
        let intact = standardFiltersIntact
        filters[name] = filter
        registeredFilterNames.insert(name)
        standardFiltersIntact = intact
    }

    /// The standard filter `name` in its own closure form, when ``filters`` holds it unchanged under that name.
    func standardDefinition(_ name: String) -> FilterDefinition? {
        guard standardFiltersIntact, !registeredFilterNames.contains(name) else { return nil }
        return StandardFilters.definitions[name]
    }

    /// Adds or replaces a custom tag. Built-in tag names cannot be replaced.
    /// - Parameters:
    ///   - name: The tag name templates use (`{% name ... %}`).
    ///   - tag: The tag.
    public mutating func register(tag name: String, _ tag: CustomTag) {
        tags[name] = tag
    }

    /// The context handed to filters.
    var filterContext: FilterContext {
        FilterContext(clock: clock, timeZone: timeZone, isStrict: mode.isStrict,
                      maximumResultBytes: limits.maximumOutputBytes)
    }
}
