/// One `ferry` sub-command.
protocol Command {
    /// The word after `ferry`.
    static var name: String { get }
    /// One line for `ferry --help`.
    static var summary: String { get }
    /// The full text of `ferry <name> --help`.
    static var help: String { get }
    /// Runs the command with the arguments after its name and returns the exit status.
    static func run(_ arguments: [String]) async -> Int32
}
