import Perk

/// `perk test`: runs the tests written beside the rules (`test "..."`
/// declarations) against the rules of the same paths.
enum TestCommand {
    static let usage = """
    Usage: perk test PATHS... [--format text|junit] [--coverage] [--customers FILE | --schema FILE]

    Runs every test in PATHS (.perk files or folders of them) against the rules in
    the same PATHS. A test gives a few customers and their orders as small tables,
    a day, and what each rule must do for them. Each test runs on its own data,
    day after day as daily runs would. A failing expectation prints one line with
    what was expected and what happened, then the rule's condition as a tree for
    that customer; a summary follows.

    Options:
      --format FORMAT    text (default) or junit (JUnit XML for CI servers)
      --coverage         also list rules no test exercises, and parts of conditions the
                         tests never saw both true and false
    \(DataFlags.help)

    The tests' tables take the columns and types of the data (the sample shop's, by
    default) or of a schema file.

    Exit status: 0 when every test passes; 1 if a test fails, or the rules or tests have
    errors, or PATHS hold no test; 2 for a bad command line.
    Example: perk test rules/ --coverage

    """

    enum Format: String, CaseIterable { case text, junit }

    static let options = Arguments.Options(valued: DataFlags.valued.union(["format"]), switches: DataFlags.switches.union(["coverage"]))

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one file or folder of rules and tests") }
        let format: Format = try args.choice("format", default: .text)
        let coverage = args.flag("coverage")
        // The data gives only the columns the tests' tables may fill; its rows are not used.
        let opening = try DataFlags.opening(rules: args.positional, args)
        guard let compilation = opening.compilation, let program = compilation.program, !opening.loadDiagnostics.hasErrors else {
            Console.diagnostics(opening.diagnostics)
            let c = opening.compilation
            Console.err("perk: \(DiagnosticRenderer.summary(errors: opening.loadDiagnostics.errorCount + (c?.errorCount ?? 0), warnings: opening.loadDiagnostics.warningCount + (c?.warningCount ?? 0), files: opening.sources.count)); no test was run.\n")
            return ExitCode.failure
        }
        var suite = RuleTestSuite.check(compilation.files, program: program)
        if suite.diagnostics.hasErrors {
            Console.diagnostics(suite.diagnostics)
            Console.err("perk: \(DiagnosticRenderer.summary(errors: suite.diagnostics.errorCount, warnings: suite.diagnostics.warningCount, files: opening.sources.count)); no test was run.\n")
            return ExitCode.failure
        }
        guard !suite.tests.isEmpty else {
            Console.err("perk: \(args.positional.joined(separator: " ")) hold\(args.positional.count == 1 ? "s" : "") no test; a test starts with `test \"name\"` (see the README, Tests).\n")
            return ExitCode.failure
        }
        suite.run(program, coverage: coverage)
        let report = TestReport(suite, program: program)
        switch format {
        case .text:
            Console.out(report.text())
            if coverage { Console.out(report.coverage()) }
        case .junit:
            Console.out(report.junit())
            // The XML is for the CI server; people read the rest on standard error.
            if coverage { Console.err(report.coverage()) }
            Console.err(report.summary() + "\n")
        }
        return suite.failedCount > 0 ? ExitCode.failure : ExitCode.success
    }
}
