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

    /// Opens the workspace, printing data notices and, when it cannot be
    /// used, its diagnostics. Nil means the command should stop with a
    /// failure; `outcome` says what did not happen ("run"). A command that
    /// reads nothing of the orders but what its rules name says so with
    /// `onlyNamedOrderFields`.
    static func open(rules: [String], _ args: Arguments, onlyNamedOrderFields: Bool = false,
                     nothingWas outcome: String = "run") throws -> (Workspace, Workspace.Opening)? {
        var opening = try opening(rules: rules, args, onlyNamedOrderFields: onlyNamedOrderFields)
        if opening.data == nil, opening.compilation != nil, try args.value("customers") == nil {
            // A schema file alone: commands that read tables get empty ones with its columns.
            opening.data = try args.value("schema").flatMap { _ in opening.schemaOnlyData }
        }
        if opening.rulesStoppedTheLoad, let compilation = opening.compilation {
            // The rules were checked against the files' headers; no row was loaded.
            Console.diagnostics(opening.diagnostics)
            Console.err("perk: \(summary(opening, compilation, files: opening.sources.count)); nothing was \(outcome).\n")
            return nil
        }
        guard let workspace = opening.workspace else {
            Console.diagnostics(opening.diagnostics)
            Console.err("perk: nothing was run: fix the data or schema problems above.\n")
            return nil
        }
        if workspace.data.isSample {
            Console.err("Using the \(workspace.data.summary). Pass --customers and --orders to use your own data.\n")
        }
        return (workspace, opening)
    }

    /// Opens the data and rules as the options say, printing nothing.
    static func opening(rules: [String], _ args: Arguments, onlyNamedOrderFields: Bool = false) throws -> Workspace.Opening {
        if try args.value("orders") != nil, try args.value("customers") == nil {
            throw Arguments.UsageError(description: "--orders needs --customers: the customers file says who the orders belong to")
        }
        let options = Workspace.Options(rules: rules, customers: try args.value("customers"), orders: try args.value("orders"),
                                        schema: try args.value("schema"), skipBadRows: args.flag("skip-bad-rows"),
                                        loadsOnlyNamedOrderFields: onlyNamedOrderFields)
        return Workspace.open(options)
    }

    /// Prints the workspace's diagnostics and returns its checked program, or
    /// nil after a summary line (counting every problem, shown or not) when
    /// the rules have errors; `outcome` says what did not happen ("run").
    static func program(of workspace: Workspace, _ opening: Workspace.Opening, nothingWas outcome: String) -> CheckedProgram? {
        program(of: workspace, loadDiagnostics: opening.loadDiagnostics, nothingWas: outcome)
    }

    /// As `program(of:_:nothingWas:)`, with the diagnostics of opening other
    /// than the compilation's (those of `--compare` rules files, say).
    static func program(of workspace: Workspace, loadDiagnostics: [Diagnostic], nothingWas outcome: String) -> CheckedProgram? {
        let c = workspace.compilation
        Console.diagnostics(loadDiagnostics + c.diagnostics)
        guard let program = workspace.program, !loadDiagnostics.hasErrors else {
            Console.err("perk: \(DiagnosticRenderer.summary(errors: loadDiagnostics.errorCount + c.errorCount, warnings: loadDiagnostics.warningCount + c.warningCount, files: workspace.sources.count)); nothing was \(outcome).\n")
            return nil
        }
        return program
    }

    private static func summary(_ opening: Workspace.Opening, _ c: Compilation, files: Int) -> String {
        let load = opening.loadDiagnostics
        return DiagnosticRenderer.summary(errors: load.errorCount + c.errorCount, warnings: load.warningCount + c.warningCount, files: files)
    }

    /// Reports a value the rules could not compute on the data (E001, E002) and
    /// returns the failure exit code; `outcome` says what did not happen.
    static func stopped(by failure: RuntimeFailure, nothingWas outcome: String) -> Int32 {
        Console.diagnostics([failure.diagnostic])
        Console.err("perk: a value could not be computed exactly; nothing was \(outcome).\n")
        return ExitCode.failure
    }
}
