import Perk

/// Prints the session's replies: results to standard output, diagnostics to
/// standard error through the one renderer, in colour only on a terminal.
struct ReplOutput {
    let colour: Bool

    func show(_ reply: ReplSession.Reply) {
        if !reply.diagnostics.isEmpty {
            Console.err(DiagnosticRenderer(style: colour ? .ansi : .plain).render(reply.diagnostics))
        }
        if !reply.output.isEmpty {
            // A table or tree is followed by a blank line, so replies stay apart.
            let isBlock = reply.output.dropLast().contains("\n")
            Console.out(reply.output + (isBlock ? "\n" : ""))
        }
        Console.flush()
    }
}
