import Perk

/// The REPL reading a script: lines from standard input, no prompts, no escape
/// codes. A failing line is reported and the session goes on, unless
/// `--fail-fast` asks to stop there.
struct ScriptedRepl {
    var session: ReplSession
    let output: ReplOutput
    let failFast: Bool

    mutating func run() -> Int32 {
        let clock = ContinuousClock()
        while let line = readLine(strippingNewline: true) {
            let start = clock.now
            guard let reply = session.feed(line) else { continue }
            output.show(reply, took: clock.now - start)
            if reply.quit { return ExitCode.success }
            if reply.failed, failFast { return ExitCode.failure }
        }
        if let reply = session.finish() {
            output.show(reply)
            if reply.failed, failFast { return ExitCode.failure }
        }
        return ExitCode.success
    }
}
