/// The version of the Ferry SDK.
public enum FerryVersion {
    /// The version string, following semantic versioning.
    public static let current = "0.1.0-dev"
}
