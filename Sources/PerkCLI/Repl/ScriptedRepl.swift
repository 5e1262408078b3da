import Perk

/// The REPL reading a script: lines from standard input, no prompts, no escape
/// codes. A failing line is reported and the session goes on, unless
/// `--fail-fast` asks to stop there. SIGINT (Ctrl-C at the shell that runs
/// the script, or `kill -INT`) stops the entry running, and the script with
/// it: what follows may depend on that entry, so nothing more is read, and the
/// exit status is 130, as a shell gives a command ended by SIGINT.
struct ScriptedRepl {
    var session: ReplSession
    let output: ReplOutput
    let failFast: Bool
    let interrupts: Interrupts

    mutating func run() -> Int32 {
        let clock = ContinuousClock()
        var lines = 0
        while let line = readLine(strippingNewline: true) {
            lines += 1
            let start = clock.now
            guard let reply = interrupts.during({ session.feed(line, cancellation: $0) }) else { continue }
            output.show(reply, took: clock.now - start)
            if reply.interrupted { return Self.stop(at: lines) }
            if reply.quit { return ExitCode.success }
            if reply.failed, failFast { return ExitCode.failure }
        }
        if let reply = interrupts.during({ session.finish(cancellation: $0) }) {
            output.show(reply)
            if reply.interrupted { return Self.stop(at: lines) }
            if reply.failed, failFast { return ExitCode.failure }
        }
        return ExitCode.success
    }

    private static func stop(at line: Int) -> Int32 {
        Console.err("the script stops at line \(line)\n")
        Console.flush()
        return ExitCode.interrupted
    }
}
