import Perk

/// `perk explain`: why each rule does or does not act for one customer.
enum ExplainCommand {
    static let usage = """
    Usage: perk explain RULES... --customer ID [--rule NAME] [--as-of DATE] [--journal DIR]

    Shows, for one customer, each rule's condition as a tree: every part with its
    value, unknown values traced to the missing field, defines expanded under
    their name, and whether the rule fires that day (and if not, why not).
    RULES are .perk files or folders of them.

    Options:
      --customer ID      the customer's customer_id (required)
      --rule NAME        explain only this rule (as `perk run` names it)
      --as-of DATE       the evaluation day (YYYY-MM-DD); default: the day after the latest order
      --journal DIR      count the decisions of the days committed to this campaign journal
                         before the day, and show the history behind a limit, cooldown or budget
    \(DataFlags.help)

    Exit status: 0 when explained, 1 if the rules or data have errors, 2 for a bad
    command line (including a customer or rule that does not exist).
    Example: perk explain rules/ --customer C00042 --rule "VIP win-back"

    """

    static let options = Arguments.Options(valued: DataFlags.valued.union(["customer", "rule", "as-of", "journal"]), switches: DataFlags.switches)

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        guard let id = try args.value("customer") else { throw Arguments.UsageError(description: "--customer ID is required") }
        let ruleName = try args.value("rule")
        let asOf = try args.date("as-of")
        guard let (workspace, opening) = try DataFlags.open(rules: args.positional, args, nothingWas: "explained") else {
            return ExitCode.failure
        }
        guard let program = DataFlags.program(of: workspace, opening, nothingWas: "explained") else { return ExitCode.failure }
        let customers = workspace.data.customers
        guard let customer = customers.index(of: id) else {
            let guess = customers.closestID(to: id).map { "; did you mean `\($0)`?" } ?? ""
            throw Arguments.UsageError(description: "no customer `\(id)` in \(customers.source)\(guess)")
        }
        var rules = Array(program.rules.indices)
        if let ruleName {
            guard let r = program.ruleIndex(named: ruleName) else {
                let guess = program.closestRuleName(to: ruleName).map { "; did you mean \"\($0)\"?" } ?? ""
                throw Arguments.UsageError(description: "no rule \"\(ruleName)\" in the rules given\(guess)")
            }
            rules = [r]
        }
        guard let day = asOf ?? workspace.data.dayAfterLatestOrder else {
            throw Arguments.UsageError(description: "there are no orders to take a default day from; give --as-of DATE")
        }
        guard !rules.isEmpty else {
            Console.out("The rules given have no rules to explain.\n")
            return ExitCode.success
        }
        var history: JournalHistory?
        if let path = try args.value("journal") {
            guard let read = JournalCommand.read(JournalFolder(path: path), customers: customers, nothingWas: "explained") else {
                return ExitCode.failure
            }
            JournalCommand.warnAboutWhatTheRulesAndDataLack(read, program: program, customers: customers)
            history = read
        }
        let explainer = Explainer(program: program, interpreter: Interpreter(customers: customers, orders: workspace.data.orders),
                                  history: history)
        let explanations = rules.map { explainer.explain(rule: $0, customer: customer, day: day) }
        Console.out(explanations.map { ExplainReport($0).rendered() }.joined(separator: "\n"))
        // A rule that cannot be decided is an error, as it is for `perk run`.
        let failures = explanations.compactMap(\.failure)
        guard failures.isEmpty else {
            Console.diagnostics(failures.map(\.diagnostic))
            return ExitCode.failure
        }
        return ExitCode.success
    }
}
