/// One file of generated Salesforce DX source: its path relative to the package directory (e.g.
/// `force-app/main/default`) and its contents.
public struct ApexGeneratedFile: Sendable, Hashable {
    /// The path relative to the package directory, e.g. `objects/Feedback__c/fields/Score__c.field-meta.xml`.
    public let path: String
    /// The contents (UTF-8 text ending in a newline).
    public let contents: String

    /// Creates a file.
    /// - Parameters:
    ///   - path: The relative path.
    ///   - contents: The contents.
    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}
