/// `perk COMMAND ...`: each command lives in its own file; `main.swift` only
/// dispatches through this table. It is kept out of `main.swift` so the tests
/// can read it (a top-level constant there belongs to the program's start).
enum PerkCommands {
    struct Command {
        var usage: String
        /// What the command's parser accepts; its help must list each of them.
        var options: Arguments.Options
        var run: ([String]) throws -> Int32
    }

    static let all: [String: Command] = [
        "run": Command(usage: RunCommand.usage, options: RunCommand.options, run: RunCommand.main),
        "lint": Command(usage: LintCommand.usage, options: LintCommand.options, run: LintCommand.main),
        "sample-data": Command(usage: SampleDataCommand.usage, options: SampleDataCommand.options, run: SampleDataCommand.main),
        "simulate": Command(usage: SimulateCommand.usage, options: SimulateCommand.options, run: SimulateCommand.main),
        "explain": Command(usage: ExplainCommand.usage, options: ExplainCommand.options, run: ExplainCommand.main),
        "repl": Command(usage: ReplCommand.usage, options: ReplCommand.options, run: ReplCommand.main),
        "journal": Command(usage: JournalCommand.usage, options: JournalCommand.options, run: JournalCommand.main),
        "test": Command(usage: TestCommand.usage, options: TestCommand.options, run: TestCommand.main),
        "sql": Command(usage: SqlCommand.usage, options: SqlCommand.options, run: SqlCommand.main),
        "fmt": Command(usage: FmtCommand.usage, options: FmtCommand.options, run: FmtCommand.main),
    ]

    /// What `perk` itself takes before a command (`main.swift` reads them):
    /// `--version` (also `-V`) and `--help` (also `-h`).
    static let options = Arguments.Options(valued: [], switches: ["version", "help"])

    static let overview = """
    perk: campaign rules for shops that know their regulars

    Usage: perk COMMAND [OPTIONS]

    Commands:
      run          the action plan for one day: who gets what
      lint         check rules files and report every problem
      simulate     replay past orders with the rules on: who gets what, at what cost
      sample-data  write a synthetic tea-shop data set to CSV files
      explain      why each rule does or does not act for one customer, as a tree
      repl         explore customers and try rules interactively (or from a script)
      journal      what a campaign journal holds; take its latest day back
      test         run the tests written beside the rules: what each rule must do
      sql          the rules' conditions as one SQL query for DuckDB, PostgreSQL or Spark
      fmt          rewrite rules files in the one canonical layout (--check to only look)

    Options:
      --help, -h         this page; `perk COMMAND --help` shows a command's options
      --version, -V      print the version

    With no --customers and --orders, commands use a built-in sample shop.

    Exit status: 0 when the command did its work; 1 if the rules, data or files
    have errors; 2 for a bad command line (each command's page says more).

    Example: perk run rules/ --out plan.csv

    """
}
