import Perk

/// `perk run`: evaluates the rules once, as of one day, and prints the action
/// plan; with a journal, it remembers what earlier days decided and, with
/// `--commit`, records the day.
enum RunCommand {
    static let usage = """
    Usage: perk run RULES... [--customers FILE] [--orders FILE] [--as-of DATE] [--format table|csv|json]
                    [--journal DIR [--commit]]

    Evaluates the rules for every customer as of one day and prints who gets what.
    RULES are .perk files or folders of them.

    Options:
      --as-of DATE       the evaluation day (YYYY-MM-DD); default: the day after the latest order
      --format FORMAT    table (default), csv (customer_id,rule,action,value,channel) or json
      --journal DIR      the campaign journal: limits, cooldowns, budgets and contact policies
                         count the decisions of the days committed to it, and each sent coupon
                         gets a coupon code (a last column, coupon_code). Without --commit the
                         plan is a preview and nothing is written.
      --commit           record the day's decisions in the journal (a day already there is
                         printed again as committed; an earlier day than its latest is refused)
    \(DataFlags.help)

    Exit status: 0 with a plan, 1 if the rules, data or journal have errors, 2 for a bad command line.

    """

    /// How long a commit waits for another to finish with the same journal.
    static let lockTimeout = 120.0

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, valued: DataFlags.valued.union(["as-of", "format", "journal"]),
                                 switches: DataFlags.switches.union(["commit"]))
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let format: PlanReport.Format = try args.choice("format", default: .table)
        let asOf = try args.date("as-of")
        let journalPath = try args.value("journal")
        if args.flag("commit"), journalPath == nil {
            throw Arguments.UsageError(description: "--commit needs --journal DIR, the folder where the day is recorded")
        }
        // A plan reads no order field its rules do not name, so the others are not loaded.
        guard let (workspace, opening) = try DataFlags.open(rules: args.positional, args, onlyNamedOrderFields: true) else {
            return ExitCode.failure
        }
        guard let program = DataFlags.program(of: workspace, opening, nothingWas: "run") else { return ExitCode.failure }
        guard let day = asOf ?? workspace.data.dayAfterLatestOrder else {
            throw Arguments.UsageError(description: "there are no orders to take a default day from; give --as-of DATE")
        }
        if program.rules.isEmpty {
            Console.err("perk: the rules files hold no rules, so the plan is empty.\n")
        }
        let customers = workspace.data.customers
        let interpreter = Interpreter(customers: customers, orders: workspace.data.orders)
        guard let journalPath else {
            let plan: ActionPlan
            do throws(RuntimeFailure) { plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day) } catch {
                return DataFlags.stopped(by: error, nothingWas: "run")
            }
            Console.out(PlanReport(plan: plan, program: program, customers: customers).rendered(format))
            return ExitCode.success
        }

        let folder = JournalFolder(path: journalPath)
        let commit = args.flag("commit")
        var lock: JournalLock?
        if commit {
            do {
                lock = try folder.lock(timeout: lockTimeout) { holder in
                    Console.err("perk: waiting for \(holder ?? "another perk") to finish with \(folder.path) ...\n")
                }
            } catch let failure as JournalFolder.Failure {
                Console.err("perk: \(failure); nothing was written.\n")
                return ExitCode.failure
            }
        }
        defer { lock?.release() }
        guard let history = JournalCommand.read(folder, customers: customers, nothingWas: "run") else { return ExitCode.failure }
        JournalCommand.warnAboutWhatTheRulesAndDataLack(history, program: program, customers: customers)

        if history.days.contains(day) {
            let (rows, problems) = history.rows(of: day, customers: customers)
            guard let rows else {
                Console.diagnostics(problems)
                return ExitCode.failure
            }
            Console.err("perk: \(day) is already committed to \(folder.path): nothing was written. This is the plan as committed.\n")
            Console.out(PlanReport(committed: rows, day: day, program: program, customers: customers).rendered(format))
            return ExitCode.success
        }
        if let latest = history.latestDay, day < latest {
            Console.err("perk: \(folder.path) already holds \(latest), after \(day); a journal only moves forward, so nothing was \(commit ? "written" : "run").\n"
                        + "Run a day after \(latest), or take \(latest) back first with `perk journal \(folder.path) --undo-last`.\n")
            return ExitCode.failure
        }

        let plan: ActionPlan
        do throws(RuntimeFailure) { plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day, journal: history) } catch {
            return DataFlags.stopped(by: error, nothingWas: commit ? "written" : "run")
        }
        if commit {
            do {
                try folder.commit(plan, program: program, customers: customers)
            } catch let failure as JournalFolder.Failure where failure.dayIsCommitted {
                // Later runs see the day; say that it may not survive a power cut.
                Console.err("perk: warning: \(day) is committed, but \(failure); it could be lost if the power failed now.\n")
            } catch let failure as JournalFolder.Failure {
                Console.err("perk: \(failure); nothing was committed.\n")
                return ExitCode.failure
            }
        }
        Console.out(PlanReport(plan: plan, program: program, customers: customers, showsCouponCodes: true).rendered(format))
        if commit {
            let codes = plan.entries.filter { $0.couponCode != nil }.count
            Console.err("Committed \(day) to \(folder.path): \(PlanReport.count(plan.decisions.count, "decision")), "
                        + "\(PlanReport.grouped(plan.statusCounts[.sent] ?? 0)) sent, \(PlanReport.grouped(codes)) coupon codes issued.\n")
        } else {
            let missing = folder.state == .missing ? " (the folder does not exist yet; --commit creates it)" : ""
            Console.err("Preview: nothing was written to \(folder.path)\(missing). Add --commit to record \(day).\n")
        }
        return ExitCode.success
    }
}
