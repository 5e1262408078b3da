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

let arguments = Array(CommandLine.arguments.dropFirst())
if arguments.first == "--version" || arguments.first == "-V" {
    Console.out("perk \(PerkVersion.current)\n")
    exit(ExitCode.success)
}
guard let name = arguments.first, name != "--help", name != "-h", name != "help" else {
    if arguments.count > 1, arguments[0] == "help", let command = PerkCommands.all[arguments[1]] {
        Console.out(command.usage)
    } else {
        Console.out(PerkCommands.overview)
    }
    exit(arguments.isEmpty ? ExitCode.usage : ExitCode.success)
}
guard let command = PerkCommands.all[name] else {
    let guess = Suggest.closest(to: name, among: PerkCommands.all.keys.sorted())
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
