import Perk

/// The data options every command shares.
enum DataFlags {
    static let valued: Set<String> = ["customers", "orders", "schema"]
    static let switches: Set<String> = ["skip-bad-rows"]

    static let help = """
      --customers FILE   customers, CSV or JSON Lines (.csv, .jsonl); default: the built-in sample shop
      --orders FILE      orders, CSV or JSON Lines; needs --customers
      --schema FILE      declares column types and enum orders (see README: Schema files)
      --skip-bad-rows    skip rows that cannot be read (they are counted and reported) instead of failing
    """

    /// Opens the workspace, printing data notices and diagnostics. Nil means the
    /// command should stop with a failure. A command that reads nothing of the
    /// orders but what its rules name says so with `onlyNamedOrderFields`.
    static func open(rules: [String], _ args: Arguments, onlyNamedOrderFields: Bool = false) throws -> (Workspace, [Diagnostic])? {
        if try args.value("orders") != nil, try args.value("customers") == nil {
            throw Arguments.UsageError(description: "--orders needs --customers: the customers file says who the orders belong to")
        }
        let options = Workspace.Options(rules: rules, customers: try args.value("customers"), orders: try args.value("orders"),
                                        schema: try args.value("schema"), skipBadRows: args.flag("skip-bad-rows"),
                                        loadsOnlyNamedOrderFields: onlyNamedOrderFields)
        let (workspace, diagnostics) = Workspace.open(options)
        guard let workspace else {
            Console.diagnostics(diagnostics)
            Console.err("perk: nothing was run: fix the data or schema problems above.\n")
            return nil
        }
        if workspace.data.isSample {
            Console.err("Using the \(workspace.data.summary). Pass --customers and --orders to use your own data.\n")
        }
        return (workspace, diagnostics)
    }

    /// Prints the workspace's diagnostics and returns its checked program, or
    /// nil after a summary line (counting every problem, shown or not) when
    /// the rules have errors; `outcome` says what did not happen ("run").
    static func program(of workspace: Workspace, _ diagnostics: [Diagnostic], nothingWas outcome: String) -> CheckedProgram? {
        Console.diagnostics(diagnostics)
        guard let program = workspace.program, !diagnostics.hasErrors else {
            let c = workspace.compilation
            let errors = diagnostics.errorCount - c.diagnostics.errorCount + c.errorCount
            let warnings = diagnostics.warningCount - c.diagnostics.warningCount + c.warningCount
            Console.err("perk: \(DiagnosticRenderer.summary(errors: errors, warnings: warnings, files: workspace.sources.count)); nothing was \(outcome).\n")
            return nil
        }
        return program
    }

    /// Reports a value the rules could not compute on the data (E001, E002) and
    /// returns the failure exit code; `outcome` says what did not happen.
    static func stopped(by failure: RuntimeFailure, nothingWas outcome: String) -> Int32 {
        Console.diagnostics([failure.diagnostic])
        Console.err("perk: a value could not be computed exactly; nothing was \(outcome).\n")
        return ExitCode.failure
    }
}
