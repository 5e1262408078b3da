import Perk

/// Prints the session's replies: results to standard output, diagnostics to
/// standard error through the one renderer, in colour only on a terminal.
struct ReplOutput {
    let colour: Bool

    func show(_ reply: ReplSession.Reply) {
        if !reply.diagnostics.isEmpty {
            Console.err(DiagnosticRenderer(style: colour ? .ansi : .plain).render(reply.diagnostics))
        }
        if !reply.output.isEmpty { Console.out(reply.output) }
        Console.flush()
    }
}
