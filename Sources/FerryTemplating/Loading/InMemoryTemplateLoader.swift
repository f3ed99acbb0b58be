/// Partials held in memory, by name: for tests, previews, and partials stored alongside a campaign.
public struct InMemoryTemplateLoader: TemplateLoader {
    /// The partials' sources by name.
    public var partials: [String: String]

    /// Creates a loader.
    /// - Parameter partials: The partials' sources by name.
    public init(_ partials: [String: String] = [:]) {
        self.partials = partials
    }

    /// The partial called `name`, or `nil`.
    /// - Parameter name: The partial's name.
    /// - Returns: Its source, or `nil`.
    public func source(named name: String) -> String? {
        partials[name]
    }
}
