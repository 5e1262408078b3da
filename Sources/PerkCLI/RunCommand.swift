import Perk

/// `perk run`: evaluates the rules once, as of one day, and prints the action plan.
enum RunCommand {
    static let usage = """
    Usage: perk run RULES... [--customers FILE] [--orders FILE] [--as-of DATE] [--format table|csv|json]

    Evaluates the rules for every customer as of one day and prints who gets what.
    RULES are .perk files or folders of them.

    Options:
      --as-of DATE       the evaluation day (YYYY-MM-DD); default: the day after the latest order
      --format FORMAT    table (default), csv (customer_id,rule,action,value,channel) or json
    \(DataFlags.help)

    Exit status: 0 with a plan, 1 if the rules or data have errors, 2 for a bad command line.

    """

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: DataFlags.valued.union(["as-of", "format"]), switches: DataFlags.switches)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let format: PlanReport.Format = try args.choice("format", default: .table)
        let asOf = try args.date("as-of")
        // A plan reads no order field its rules do not name, so the others are not loaded.
        guard let (workspace, diagnostics) = try DataFlags.open(rules: args.positional, args, onlyNamedOrderFields: true) else {
            return ExitCode.failure
        }
        guard let program = DataFlags.program(of: workspace, diagnostics, nothingWas: "run") else { return ExitCode.failure }
        guard let day = asOf ?? workspace.data.dayAfterLatestOrder else {
            throw Arguments.UsageError(description: "there are no orders to take a default day from; give --as-of DATE")
        }
        if program.rules.isEmpty {
            Console.err("perk: the rules files hold no rules, so the plan is empty.\n")
        }
        let interpreter = Interpreter(customers: workspace.data.customers, orders: workspace.data.orders)
        let plan = ActionPlan.make(program: program, interpreter: interpreter, day: day)
        Console.out(PlanReport(plan: plan, program: program, customers: workspace.data.customers).rendered(format))
        return ExitCode.success
    }
}
