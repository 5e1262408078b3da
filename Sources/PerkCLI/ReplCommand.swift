#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation
import Perk

/// `perk repl`: explore customers and try rules, in a terminal or from a script.
enum ReplCommand {
    static let usage = """
    Usage: perk repl [RULES...] [--customers FILE] [--orders FILE] [--as-of DATE] [--fail-fast] [--timing]

    Asks questions of the customers and tries rules before writing them down:
      customers where member.tier == VIP and days_since_visit > 60
      count customers where birthday in next 7 days
      customer "C00042"
      top 10 customers by total_spend where member.city == "上海"
      group customers by member.tier
      when member.tier == VIP and days_since_visit > 60 then send coupon 20
      :explain "VIP win-back" C00042
    Type :help in the session for everything it understands. RULES (.perk files
    or folders) are loaded at the start, as with :load.

    In a terminal it edits lines (arrows, history, Tab completion; history is
    kept in $PERK_HISTORY, default ~/.perk_history). With standard input from a
    file or pipe it reads lines and prints results without prompts or colour:
      perk repl < session.txt

    Options:
      --as-of DATE       the evaluation day (YYYY-MM-DD); default: the day after the latest order
      --fail-fast        reading a script: stop at the first line that fails, with exit status 1
      --timing           after each entry, print how long it took (standard error)
    \(DataFlags.help)

    Exit status: 0 at the end of input or :quit; 1 if the data cannot be loaded,
    or with --fail-fast when a line fails; 2 for a bad command line.

    """

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: DataFlags.valued.union(["as-of"]), switches: DataFlags.switches.union(["fail-fast", "timing"]))
        let asOf = try args.date("as-of")
        guard let (workspace, diagnostics) = try DataFlags.open(rules: [], args) else { return ExitCode.failure }
        Console.diagnostics(diagnostics)
        let day = asOf ?? workspace.data.dayAfterLatestOrder ?? Self.calendarToday()
        var session = ReplSession(data: workspace.data, day: day)
        let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        let output = ReplOutput(colour: interactive && getenv("NO_COLOR") == nil, timing: args.flag("timing"))
        if !args.positional.isEmpty {
            let reply = session.load(args.positional)
            output.show(reply)
            if reply.failed, args.flag("fail-fast") { return ExitCode.failure }
        }
        if interactive {
            Console.out(ReplHelp.greeting(summary: workspace.data.summary, day: day))
            var repl = InteractiveRepl(session: session, output: output)
            return repl.run()
        }
        var repl = ScriptedRepl(session: session, output: output, failFast: args.flag("fail-fast"))
        return repl.run()
    }

    /// The system's date, for data with no orders to take a day from.
    static func calendarToday() -> LocalDate {
        let days = Int(Date().timeIntervalSince1970 / 86_400)
        return LocalDate(day: Int32(days))
    }
}
