#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Perk

Allocator.returnBigBlocksPromptly()
// A write past a file size limit then fails with an error Perk reports,
// instead of killing the process halfway through a journal commit.
signal(SIGXFSZ, SIG_IGN)

/// `perk COMMAND ...`: each command lives in its own file; this only dispatches.
let commands: [String: (usage: String, run: ([String]) throws -> Int32)] = [
    "run": (RunCommand.usage, RunCommand.main),
    "lint": (LintCommand.usage, LintCommand.main),
    "sample-data": (SampleDataCommand.usage, SampleDataCommand.main),
    "simulate": (SimulateCommand.usage, SimulateCommand.main),
    "explain": (ExplainCommand.usage, ExplainCommand.main),
    "repl": (ReplCommand.usage, ReplCommand.main),
    "journal": (JournalCommand.usage, JournalCommand.main),
]

let overview = """
perk: campaign rules for shops that know their regulars

Usage: perk COMMAND [OPTIONS]

Commands:
  run          the action plan for one day: who gets what
  lint         check rules files and report every problem
  simulate     replay past orders with the rules on: who gets what, at what cost
  sample-data  write a synthetic tea-shop data set to CSV files
  explain      why each rule does or does not act for one customer, as a tree
  repl         explore customers and try rules interactively (or from a script)
  journal      what a campaign journal holds; take its latest day back

Run `perk COMMAND --help` for a command's options, `perk --version` for the
version. With no --customers and --orders, commands use a built-in sample shop.

"""

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--version" || arguments.first == "-V" {
    Console.out("perk \(PerkVersion.current)\n")
    exit(ExitCode.success)
}
guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
    if arguments.count > 1, arguments[0] == "help", let command = commands[arguments[1]] {
        Console.out(command.usage)
    } else {
        Console.out(overview)
    }
    exit(arguments.isEmpty ? ExitCode.usage : ExitCode.success)
}
guard let command = commands[name] else {
    let guess = Suggest.closest(to: name, among: commands.keys.sorted())
    Console.err("perk: unknown command `\(name)`" + (guess.map { "; did you mean `\($0)`?" } ?? "") + "\nRun `perk --help` for the list of commands.\n")
    exit(ExitCode.usage)
}
let rest = Array(arguments.dropFirst())
if rest.contains("--help") || rest.contains("-h") {
    Console.out(command.usage)
    exit(ExitCode.success)
}
do {
    exit(try command.run(rest))
} catch let error as Arguments.UsageError {
    Console.err("perk \(name): \(error.description)\nRun `perk \(name) --help` for usage.\n")
    exit(ExitCode.usage)
}
