import Foundation
import Synchronization

/// Looks up time zones by name once and remembers them (a lookup reads the zone database).
enum TimeZoneCache {
    private static let cache = Mutex<[String: TimeZone]>([:])
    private static let limit = 128

    /// The zone for an IANA identifier (`Asia/Kolkata`), `UTC`/`GMT`, or a fixed offset (`+05:30`, `-0800`,
    /// `UTC+05:30`); `nil` when unknown.
    static func zone(named name: String) -> TimeZone? {
        if let cached = cache.withLock({ $0[name] }) { return cached }
        guard let zone = resolve(name) else { return nil }
        cache.withLock { table in
            if table.count >= limit { table.removeAll() }
            table[name] = zone
        }
        return zone
    }

    private static func resolve(_ name: String) -> TimeZone? {
        let trimmed = StandardFilters.strip(name, leading: true, trailing: true)
        let upper = trimmed.uppercased()
        if upper == "UTC" || upper == "GMT" || upper == "Z" { return TimeZone(identifier: "UTC") }
        var offsetText = Substring(trimmed)
        if upper.hasPrefix("UTC") || upper.hasPrefix("GMT") { offsetText = offsetText.dropFirst(3) }
        if let first = offsetText.first, first == "+" || first == "-",
           let offset = LiquidDateParser.parseOffset(Array(offsetText.utf8)) {
            return TimeZone(secondsFromGMT: offset)
        }
        guard trimmed.contains("/") || TimeZone.knownTimeZoneIdentifiers.contains(trimmed) else { return nil }
        return TimeZone(identifier: trimmed)
    }
}
