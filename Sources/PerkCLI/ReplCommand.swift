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

    Ctrl-C (SIGINT) stops the entry that is running: in a terminal the prompt
    comes back; reading a script, the script stops there.

    Exit status: 0 at the end of input or :quit; 1 if the data cannot be loaded,
    or with --fail-fast when a line fails; 2 for a bad command line; 130 when
    SIGINT stopped a script.
    Example: perk repl rules/ --customers customers.csv --orders orders.csv

    """

    static let options = Arguments.Options(valued: DataFlags.valued.union(["as-of"]), switches: DataFlags.switches.union(["fail-fast", "timing"]))

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        let asOf = try args.date("as-of")
        guard let (workspace, opening) = try DataFlags.open(rules: [], args) else { return ExitCode.failure }
        Console.diagnostics(opening.diagnostics)
        let day = asOf ?? workspace.data.dayAfterLatestOrder ?? Self.calendarToday()
        var session = ReplSession(data: workspace.data, day: day)
        let interactive = isatty(STDIN_FILENO) != 0 && isatty(STDOUT_FILENO) != 0
        let output = ReplOutput(colour: interactive && getenv("NO_COLOR") == nil, timing: args.flag("timing"))
        // At a prompt Ctrl-C is a key, so a SIGINT then came from elsewhere and
        // the session goes on; between a script's entries it ends the run.
        let interrupts = Interrupts(idle: { if !interactive { endInterruptedScript() } })
        if !args.positional.isEmpty {
            let reply = interrupts.during { session.load(args.positional, cancellation: $0) }
            output.show(reply)
            if reply.interrupted, !interactive { return ExitCode.interrupted }
            if reply.failed, args.flag("fail-fast") { return ExitCode.failure }
        }
        if interactive {
            Console.out(ReplHelp.greeting(summary: workspace.data.summary, day: day))
            var repl = InteractiveRepl(session: session, output: output, interrupts: interrupts)
            return repl.run()
        }
        var repl = ScriptedRepl(session: session, output: output, failFast: args.flag("fail-fast"), interrupts: interrupts)
        return repl.run()
    }

    /// SIGINT while a script's next line is read: the script ends there.
    static func endInterruptedScript() {
        Console.flush()
        Console.err("interrupted\n")
        Console.flush()
        exit(ExitCode.interrupted)
    }

    /// The system's date, for data with no orders to take a day from.
    static func calendarToday() -> LocalDate {
        let days = Int(Date().timeIntervalSince1970 / 86_400)
        return LocalDate(day: Int32(days))
    }
}
