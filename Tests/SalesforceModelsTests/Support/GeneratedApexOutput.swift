import Foundation
import SalesforceModels

/// Writes the Apex classes a test generates into the folder named by `FERRY_APEX_OUTPUT_DIR`, when it is set,
/// so `.ci/apex-grammar` can parse every one of them with the tree-sitter Apex grammar. Unset (a plain
/// `swift test`), it does nothing.
enum GeneratedApexOutput {
    /// The environment variable naming the folder.
    static let variable = "FERRY_APEX_OUTPUT_DIR"

    /// Writes the REST class and the test class of `generator` as `<label>.cls` and `<label>Test.cls`.
    /// - Parameters:
    ///   - generator: The generator.
    ///   - label: A file name unique to the calling test (letters, digits, `-`).
    static func record(_ generator: ApexGenerator, as label: String) throws {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return }
        let folder = URL(fileURLWithPath: path, isDirectory: true)
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        try Data(generator.restClass.utf8).write(to: folder.appendingPathComponent(label + ".cls"))
        try Data(generator.testClass.utf8).write(to: folder.appendingPathComponent(label + "Test.cls"))
    }
}
