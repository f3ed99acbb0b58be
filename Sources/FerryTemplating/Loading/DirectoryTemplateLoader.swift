import Foundation

/// Partials read from files in one directory: `{% render 'footer' %}` reads `footer.liquid` (or `footer` when
/// the name already has an extension).
///
/// Names are confined to the directory: a name that is absolute, contains `..` or a backslash, or starts with
/// `~` is never read, so a template cannot reach other files.
public struct DirectoryTemplateLoader: TemplateLoader {
    /// The directory partials are read from.
    public let directory: URL
    /// The extension added to names that have none (default `liquid`).
    public let fileExtension: String

    /// Creates a loader.
    /// - Parameters:
    ///   - directory: The directory partials are read from.
    ///   - fileExtension: The extension added to names without one.
    public init(directory: URL, fileExtension: String = "liquid") {
        self.directory = directory
        self.fileExtension = fileExtension
    }

    /// Reads the partial called `name`.
    /// - Parameter name: A relative name such as `footer` or `emails/footer.liquid`.
    /// - Returns: The file's text, or `nil` when the name is unsafe or no such readable UTF-8 file exists.
    public func source(named name: String) -> String? {
        guard DirectoryTemplateLoader.isSafe(name) else { return nil }
        var candidates = [name]
        if (name as NSString).pathExtension.isEmpty { candidates.insert(name + "." + fileExtension, at: 0) }
        for candidate in candidates {
            let url = directory.appendingPathComponent(candidate)
            if let data = FileManager.default.contents(atPath: url.path), let text = String(data: data, encoding: .utf8) {
                return text
            }
        }
        return nil
    }

    static func isSafe(_ name: String) -> Bool {
        guard !name.isEmpty, !name.hasPrefix("/"), !name.hasPrefix("~"), !name.contains("\\"), !name.contains("\0")
        else { return false }
        return !name.split(separator: "/", omittingEmptySubsequences: false).contains { $0 == ".." || $0 == "." || $0.isEmpty }
    }
}
