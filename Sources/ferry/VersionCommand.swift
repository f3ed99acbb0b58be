import Ferry

/// `ferry version`: prints the SDK version.
enum VersionCommand: Command {
    static let name = "version"
    static let summary = "Print the Ferry version."
    static let help = """
        USAGE: ferry version

        Prints the version of the Ferry SDK this tool was built from.
        """

    static func run(_ arguments: [String]) async -> Int32 {
        guard arguments.isEmpty else {
            Console.err("error: ferry version takes no arguments\n")
            return ExitStatus.usage
        }
        Console.out("ferry \(FerryVersion.current)\n")
        return ExitStatus.success
    }
}
