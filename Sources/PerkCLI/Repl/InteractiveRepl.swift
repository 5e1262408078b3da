import Perk

/// Placeholder until the terminal line editor lands.
struct InteractiveRepl {
    var session: ReplSession
    let output: ReplOutput

    mutating func run() -> Int32 {
        var scripted = ScriptedRepl(session: session, output: output, failFast: false)
        return scripted.run()
    }
}
