import Perk

/// Prints the session's replies: results to standard output, diagnostics to
/// standard error through the one renderer, in colour only on a terminal.
struct ReplOutput {
    let colour: Bool
    /// `--timing`: how long each entry took, on standard error.
    let timing: Bool

    func show(_ reply: ReplSession.Reply, took elapsed: Swift.Duration? = nil) {
        if reply.interrupted {
            Console.flush()
            Console.err("interrupted\n")
        }
        if !reply.diagnostics.isEmpty {
            Console.err(DiagnosticRenderer(style: colour ? .ansi : .plain).render(reply.diagnostics))
        }
        if !reply.output.isEmpty {
            // A table or tree is followed by a blank line, so replies stay apart.
            let isBlock = reply.output.dropLast().contains("\n")
            Console.out(reply.output + (isBlock ? "\n" : ""))
        }
        if timing, let elapsed {
            Console.flush()
            Console.err("(\(Self.milliseconds(elapsed)) ms)\n")
        }
        Console.flush()
    }

    static func milliseconds(_ d: Swift.Duration) -> String {
        let (seconds, attoseconds) = d.components
        let tenths = seconds * 10_000 + attoseconds / 100_000_000_000_000
        return "\(tenths / 10).\(tenths % 10)"
    }
}
