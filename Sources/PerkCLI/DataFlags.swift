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
    /// command should stop with a failure.
    static func open(rules: [String], _ args: Arguments) throws -> (Workspace, [Diagnostic])? {
        let options = Workspace.Options(rules: rules, customers: try args.value("customers"), orders: try args.value("orders"),
                                        schema: try args.value("schema"), skipBadRows: args.flag("skip-bad-rows"))
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
}
