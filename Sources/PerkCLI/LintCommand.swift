import Perk

/// `perk lint`: checks rules files and prints every problem found.
enum LintCommand {
    static let usage = """
    Usage: perk lint RULES... [--customers FILE | --schema FILE] [--format text|json]

    Checks rules files against the customers' columns and reports every problem,
    each with its file, line and column. RULES are .perk files or folders of them.

    Options:
      --format FORMAT    text (default) or json
    \(DataFlags.help)

    Exit status: 0 when there are no errors, 1 when there are, 2 for a bad command line.

    """

    enum Format: String, CaseIterable { case text, json }

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: DataFlags.valued.union(["format"]), switches: DataFlags.switches)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let format: Format = try args.choice("format", default: .text)
        guard let (workspace, diagnostics) = try DataFlags.open(rules: args.positional, args) else { return ExitCode.failure }
        let files = workspace.sources.count
        switch format {
        case .text:
            Console.out(DiagnosticRenderer().render(diagnostics))
            Console.out(DiagnosticRenderer.summary(diagnostics, files: files) + "\n")
        case .json:
            Console.out(LintReport.json(diagnostics, files: files).rendered() + "\n")
        }
        return diagnostics.hasErrors ? ExitCode.failure : ExitCode.success
    }
}
