// The `ferry` command-line tool: previews templates, checks credentials and orgs, generates Apex, sends data.
import Foundation

/// Every command, in the order `ferry --help` lists them.
let commands: [any Command.Type] = [
    DemoCommand.self,
    RenderCommand.self,
    TokenCommand.self,
    CheckCommand.self,
    SendCommand.self,
    ApexCommand.self,
    VersionCommand.self,
]

@MainActor func printOverview() {
    var text = """
        USAGE: ferry <command> [options]

        Export engagement data into Salesforce: preview payloads, check credentials, generate Apex, send records.

        COMMANDS:

        """
    for command in commands {
        text += "  " + command.name.padding(toLength: 10, withPad: " ", startingAt: 0) + command.summary + "\n"
    }
    text += "\nRun 'ferry <command> --help' for a command's options.\nExit status: 0 success, 1 failures, 2 usage or configuration error.\n"
    Console.out(text)
}

let arguments = Array(CommandLine.arguments.dropFirst())
guard let first = arguments.first, first != "--help", first != "-h", first != "help" else {
    printOverview()
    exit(arguments.isEmpty ? ExitStatus.usage : ExitStatus.success)
}
guard let command = commands.first(where: { $0.name == first }) else {
    Console.err("error: unknown command '\(first)'\nRun 'ferry --help' for the list of commands.\n")
    exit(ExitStatus.usage)
}
let rest = Array(arguments.dropFirst())
if rest.contains("--help") || rest.contains("-h") {
    Console.out(command.help + "\n")
    exit(ExitStatus.success)
}
exit(await command.run(rest))
