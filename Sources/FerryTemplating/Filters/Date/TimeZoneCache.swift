import FerryCore
import Foundation

/// Looks up time zones by name once and remembers them (a lookup reads the zone database).
enum TimeZoneCache {
    private static let cache = FerryMutex<[String: TimeZone]>([:])
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

    private static let abbreviations = FerryMutex<[String: String]>([:])

    /// Abbreviations for zones whose ICU data on Linux has none (it answers `GMT+5:30` for India): standard
    /// and daylight-saving time.
    private static let knownAbbreviations: [String: (String, String)] = [
        "Asia/Kolkata": ("IST", "IST"), "Asia/Calcutta": ("IST", "IST"), "Asia/Tokyo": ("JST", "JST"),
        "Asia/Seoul": ("KST", "KST"), "Asia/Shanghai": ("CST", "CST"), "Asia/Hong_Kong": ("HKT", "HKT"),
        "Asia/Jakarta": ("WIB", "WIB"), "Asia/Karachi": ("PKT", "PKT"), "Asia/Jerusalem": ("IST", "IDT"),
        "Europe/London": ("GMT", "BST"), "Europe/Paris": ("CET", "CEST"), "Europe/Berlin": ("CET", "CEST"),
        "Europe/Madrid": ("CET", "CEST"), "Europe/Rome": ("CET", "CEST"), "Europe/Amsterdam": ("CET", "CEST"),
        "Europe/Brussels": ("CET", "CEST"), "Europe/Vienna": ("CET", "CEST"), "Europe/Zurich": ("CET", "CEST"),
        "Europe/Stockholm": ("CET", "CEST"), "Europe/Warsaw": ("CET", "CEST"), "Europe/Athens": ("EET", "EEST"),
        "Europe/Helsinki": ("EET", "EEST"), "Europe/Kiev": ("EET", "EEST"), "Europe/Kyiv": ("EET", "EEST"),
        "Europe/Moscow": ("MSK", "MSK"), "Australia/Sydney": ("AEST", "AEDT"), "Australia/Melbourne": ("AEST", "AEDT"),
        "Australia/Brisbane": ("AEST", "AEST"), "Australia/Perth": ("AWST", "AWST"),
        "Pacific/Auckland": ("NZST", "NZDT"), "Africa/Johannesburg": ("SAST", "SAST"), "Africa/Lagos": ("WAT", "WAT"),
        "Africa/Nairobi": ("EAT", "EAT"),
    ]

    private static let utcIdentifiers: Set<String> = ["UTC", "GMT", "Etc/UTC", "Etc/GMT", "UCT", "Zulu", "Universal"]

    /// The zone's abbreviation at an instant (`IST`, `EDT`, `UTC`), or `nil` when neither the table above nor
    /// Foundation knows a name other than `GMT±H`.
    static func abbreviation(for zone: TimeZone, at date: Date) -> String? {
        if utcIdentifiers.contains(zone.identifier), zone.secondsFromGMT(for: date) == 0 { return "UTC" }
        let daylight = zone.isDaylightSavingTime(for: date)
        if let known = knownAbbreviations[zone.identifier] { return daylight ? known.1 : known.0 }
        let key = "\(zone.identifier)|\(daylight)"
        if let cached = abbreviations.withLock({ $0[key] }) { return cached.isEmpty ? nil : cached }
        let name = zone.localizedName(for: daylight ? .shortDaylightSaving : .shortStandard,
                                      locale: Locale(identifier: "en_US"))
            ?? zone.abbreviation(for: date) ?? ""
        let usable = name.hasPrefix("GMT+") || name.hasPrefix("GMT-") || name.hasPrefix("UTC+") || name.hasPrefix("UTC-")
            ? "" : name
        abbreviations.withLock { table in
            if table.count >= limit { table.removeAll() }
            table[key] = usable
        }
        return usable.isEmpty ? nil : usable
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
