import Perk

/// `perk sql`: the rules' conditions as one SQL query for a warehouse; the
/// decisions stay in Perk (`perk run --matches`).
enum SqlCommand {
    static let usage = """
    Usage: perk sql RULES... --dialect duckdb|postgres|spark --as-of DATE [--schema FILE | --customers FILE [--orders FILE]]
                    [--customers-table NAME] [--orders-table NAME]

    Prints one read-only SQL query that returns a row (customer_id, rule) for each customer
    whose condition is definitely true on the day, for every rule active that day. Run it in
    the warehouse, save the rows as CSV, and give them to `perk run --matches` for the
    decisions. RULES are .perk files or folders of them. No data row is read: the columns come
    from the schema file or the data files' headers (see README: Running in your warehouse).

    Options:
      --dialect NAME          duckdb, postgres or spark (required)
      --as-of DATE            the evaluation day (YYYY-MM-DD; required: no orders are read)
      --customers-table NAME  the customers table (default: customers)
      --orders-table NAME     the orders table (default: orders)
      --customers FILE   take the customers' columns from this file's header and first rows
      --orders FILE      take the orders' columns from this file's; needs --customers
      --schema FILE      declares column types and enum orders (see README: Schema files)

    Exit status: 0 with a query; 1 if the rules or schema have errors, or a rule cannot be
    written exactly in the dialect (Q001, Q002); 2 for a bad command line.
    Example: perk sql rules/ --dialect duckdb --as-of 2025-12-01 --schema shop.schema > matches.sql

    """

    static let options = Arguments.Options(valued: ["dialect", "as-of", "customers-table", "orders-table", "customers", "orders", "schema"],
                                           switches: [])

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        guard let dialectName = try args.value("dialect") else {
            throw Arguments.UsageError(description: "--dialect is required: duckdb, postgres or spark")
        }
        guard let dialect = SQLDialect(rawValue: dialectName.lowercased()) else {
            throw Arguments.UsageError(description: "unknown dialect `\(dialectName)`; use duckdb, postgres or spark")
        }
        guard let day = try args.date("as-of") else {
            throw Arguments.UsageError(description: "--as-of DATE is required: the query reads no orders to take a default day from")
        }
        let customers = try args.value("customers"), orders = try args.value("orders")
        if orders != nil, customers == nil {
            throw Arguments.UsageError(description: "--orders needs --customers: the customers file says who the orders belong to")
        }
        let tables = SQLPlanner.Tables(customers: try args.value("customers-table") ?? "customers",
                                       orders: try args.value("orders-table") ?? "orders")
        let checked = SQLSchemaSource.check(rules: args.positional, customers: customers, orders: orders, schema: try args.value("schema"))
        if checked.usedSampleShop {
            Console.err("Using the built-in sample shop's columns. Pass --schema FILE or --customers and --orders to use your own.\n")
        }
        let compilationDiagnostics = checked.compilation?.diagnostics ?? []
        Console.diagnostics(checked.diagnostics + compilationDiagnostics)
        let errors = checked.diagnostics.errorCount + compilationDiagnostics.errorCount
        guard let program = checked.compilation?.program, !checked.diagnostics.hasErrors else {
            Console.err("perk: \(DiagnosticRenderer.summary(errors: max(errors, 1), warnings: 0, files: checked.sources.count)); no query was written.\n")
            return ExitCode.failure
        }
        let (sql, problems) = SQLPlanner(program: program, dialect: dialect, day: day, tables: tables).query()
        guard let sql else {
            Console.diagnostics(problems)
            Console.err("perk: \(DiagnosticRenderer.summary(errors: problems.count, warnings: 0, files: checked.sources.count)); no query was written.\n")
            return ExitCode.failure
        }
        Console.out(sql)
        return ExitCode.success
    }

    // MARK: perk run --matches

    /// `perk run`'s `--matches FILE`: with customers and without orders, whose conditions the warehouse evaluated.
    static func matchesPath(_ args: Arguments) throws -> String? {
        guard let path = try args.value("matches") else { return nil }
        guard try args.value("customers") != nil else {
            throw Arguments.UsageError(description: "--matches needs --customers: the match file names customers by customer_id")
        }
        if try args.value("orders") != nil {
            throw Arguments.UsageError(description: "--matches replaces --orders: the conditions were evaluated where the orders are")
        }
        return path
    }

    /// The match file, or nil after printing its problems.
    static func readMatches(_ path: String, program: CheckedProgram, customers: CustomerTable, day: LocalDate) -> MatchFile? {
        let (file, problems) = MatchFile.read(path, program: program, customers: customers, day: day)
        guard let file else {
            Console.diagnostics(problems)
            Console.err("perk: \(DiagnosticRenderer.summary(errors: problems.errorCount, warnings: 0, files: 1)) in \(path); nothing was run.\n")
            return nil
        }
        return file
    }
}
