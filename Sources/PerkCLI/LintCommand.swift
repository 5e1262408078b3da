import Perk

/// `perk lint`: checks rules files and prints every problem found.
enum LintCommand {
    static let usage = """
    Usage: perk lint RULES... [--customers FILE | --schema FILE] [--format text|json|sarif] [--strict]
                     [--as-of DATE] [--skip-bad-rows]

    Reports every error (exit 1) and every warning: conditions that can never or
    always hold, rules shadowed in exclusive campaigns, two coupons for one
    customer on one day, coupons without limits or budgets, channels without
    consent, negated tests on fields that can be missing, unused defines, contact
    policies more rules would exceed, tier downgrades, consent mixed with actions
    that need none, text values no customer holds, birthday in last. With
    --customers, also how many customers each rule matches, with real examples.

    Options:
      --format FORMAT    text (default), json, or sarif (SARIF 2.1.0 for code hosts)
      --strict           exit 1 on warnings too
      --as-of DATE       the day for match counts (default: the day after the latest order)
    \(DataFlags.help)

    Exit status: 0 when there is no error (with --strict, no warning either); 1 if there is;
    2 for a bad command line.
    Example: perk lint rules/ --customers customers.csv --strict

    """

    enum Format: String, CaseIterable { case text, json, sarif }

    static let options = Arguments.Options(valued: DataFlags.valued.union(["format", "as-of"]), switches: DataFlags.switches.union(["strict"]))

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let format: Format = try args.choice("format", default: .text)
        let asOf = try args.date("as-of")
        // Lint needs no rows: with a schema file alone, or rules with errors,
        // the rules are linted as checked against the schema.
        let opening = try DataFlags.opening(rules: args.positional, args)
        guard let compilation = opening.compilation else {
            Console.diagnostics(opening.diagnostics)
            Console.err("perk: nothing was run: fix the data or schema problems above.\n")
            return ExitCode.failure
        }
        if let data = opening.data, data.isSample {
            Console.err("Using the \(data.summary). Pass --customers and --orders to use your own data.\n")
        }
        let dataGiven = try args.value("customers") != nil
        let result = Linter.lint(compilation, population: opening.data, dataGiven: dataGiven, day: asOf)
        // Tests are checked like the rules they name (running them is `perk test`'s job).
        let tests = compilation.program.map { RuleTestSuite.check(compilation.files, program: $0).diagnostics } ?? []
        // Data and file problems come first; the linter's list holds the rules' own.
        let load = opening.loadDiagnostics
        let diagnostics = load + result.diagnostics + tests
        let errors = load.errorCount + result.errorCount + tests.errorCount
        let warnings = load.warningCount + result.warningCount + tests.warningCount
        let files = opening.sources.count
        switch format {
        case .text:
            Console.out(DiagnosticRenderer().render(diagnostics))
            if let matches = result.matches, let day = result.day {
                Console.out(LintReport.matchTable(matches, day: day))
            }
            Console.out(DiagnosticRenderer.summary(errors: errors, warnings: warnings, files: files) + "\n")
        case .json:
            Console.out(LintReport.json(diagnostics, files: files, errors: errors, warnings: warnings, matches: result.matches, day: result.day).rendered() + "\n")
        case .sarif:
            Console.out(LintReport.sarif(diagnostics).rendered() + "\n")
        }
        if errors > 0 { return ExitCode.failure }
        return args.flag("strict") && warnings > 0 ? ExitCode.failure : ExitCode.success
    }
}
