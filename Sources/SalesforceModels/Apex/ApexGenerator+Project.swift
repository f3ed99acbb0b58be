extension ApexGenerator {
    /// The folder of the project's one package directory that holds the source files.
    public static let sourceDirectory = "force-app/main/default"

    /// A complete Salesforce DX project, relative to its root: `sfdx-project.json` and every file of
    /// ``metadataFiles`` under `force-app/main/default/`. From the root, `sf project deploy start --source-dir
    /// force-app --target-org <alias>` deploys it (add `--test-level RunSpecifiedTests --tests <Class>Test` for
    /// production, which needs the test class to run).
    public var projectFiles: [ApexGeneratedFile] {
        [ApexGeneratedFile(path: "sfdx-project.json", contents: projectJSON)]
            + metadataFiles.map { ApexGeneratedFile(path: ApexGenerator.sourceDirectory + "/" + $0.path, contents: $0.contents) }
    }

    /// `sfdx-project.json`: one default package directory (`force-app`), the namespace (empty without one), and
    /// the source API version.
    public var projectJSON: String {
        // Every value here is a checked name (letters, digits, underscores) or a version number: nothing to escape.
        """
        {
          "packageDirectories": [
            {
              "path": "force-app",
              "default": true
            }
          ],
          "name": "\(spec.className)",
          "namespace": "\(spec.namespace?.prefix ?? "")",
          "sfdcLoginUrl": "https://login.salesforce.com",
          "sourceApiVersion": "\(spec.apiVersion.number)"
        }

        """
    }
}
