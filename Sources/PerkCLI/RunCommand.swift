import Perk

/// `perk run`: evaluates the rules once, as of one day, and prints the action
/// plan; with a journal, it remembers what earlier days decided and, with
/// `--commit`, records the day.
enum RunCommand {
    static let usage = """
    Usage: perk run RULES... [--as-of DATE] [--format table|csv|json] [--out FILE] [--journal DIR [--commit]]
                    [--customers FILE] [--orders FILE | --matches FILE]

    Evaluates the rules for every customer as of one day and prints who gets what.
    RULES are .perk files or folders of them.

    Options:
      --as-of DATE       the evaluation day (YYYY-MM-DD); default: the day after the latest order
      --format FORMAT    table (default), csv (customer_id,rule,action,value,channel) or json
      --out FILE         write the plan to FILE; without --format, its name ends in the format:
                         .txt (table), .csv or .json
      --journal DIR      the campaign journal: its days count for limits, cooldowns, budgets and
                         contact policies, and each sent coupon gets a code (column coupon_code)
      --commit           record the day in the journal (without it, a preview: nothing written)
      --matches FILE     who matches which rule, CSV customer_id,rule (`perk sql`'s rows); no orders read
    \(DataFlags.help)

    Exit status: 0 with a plan; 1 if the rules, data or journal have errors or FILE cannot be
    written; 2 for a bad command line.
    Example: perk run rules/ --as-of 2025-12-01 --out plan.csv

    """

    /// How long a commit waits for another to finish with the same journal.
    static let lockTimeout = 120.0

    static let options = Arguments.Options(valued: DataFlags.valued.union(["as-of", "format", "out", "journal", "matches"]),
                                           switches: DataFlags.switches.union(["commit"]))

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard !args.positional.isEmpty else { throw Arguments.UsageError(description: "name at least one rules file or folder") }
        let format: PlanReport.Format = try OutputFile.format(
            args, default: .table, extensions: [(.table, ["txt"]), (.csv, ["csv"]), (.json, ["json"])], command: "run")
        let out = try args.value("out")
        let asOf = try args.date("as-of")
        let journalPath = try args.value("journal")
        let matchesPath = try SqlCommand.matchesPath(args)
        if args.flag("commit"), journalPath == nil {
            throw Arguments.UsageError(description: "--commit needs --journal DIR, the folder where the day is recorded")
        }
        if let out, let problem = OutputFile.problem(writing: out) {
            Console.err(OutputFile.message("run", out, problem))
            return ExitCode.failure
        }
        // The plan goes to --out only once it is whole, so a run that stops
        // early never leaves an empty or half-written plan behind.
        let destination = PlanDestination(path: out, format: format)
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
        var matches: MatchFile?
        if let matchesPath {
            guard let read = SqlCommand.readMatches(matchesPath, program: program, customers: customers, day: day) else { return ExitCode.failure }
            matches = read
        }
        guard let journalPath else {
            let plan: ActionPlan
            do throws(RuntimeFailure) { plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day, matches: matches) } catch {
                return DataFlags.stopped(by: error, nothingWas: "run")
            }
            return destination.deliver(PlanReport(plan: plan, program: program, customers: customers).rendered(format))
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
            return destination.deliver(PlanReport(committed: rows, day: day, program: program, customers: customers).rendered(format))
        }
        if let latest = history.latestDay, day < latest {
            Console.err("perk: \(folder.path) already holds \(latest), after \(day); a journal only moves forward, so nothing was \(commit ? "written" : "run").\n"
                        + "Run a day after \(latest), or take \(latest) back first with `perk journal \(folder.path) --undo-last`.\n")
            return ExitCode.failure
        }

        let plan: ActionPlan
        do throws(RuntimeFailure) { plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day, journal: history, matches: matches) } catch {
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
        let delivered = destination.deliver(PlanReport(plan: plan, program: program, customers: customers, showsCouponCodes: true).rendered(format))
        if delivered != ExitCode.success, commit {
            Console.err("perk: \(day) is committed to \(folder.path) all the same; run the same command again to write its plan as committed.\n")
        }
        if commit {
            let codes = plan.entries.filter { $0.couponCode != nil }.count
            Console.err("Committed \(day) to \(folder.path): \(PlanReport.count(plan.decisions.count, "decision")), "
                        + "\(PlanReport.grouped(plan.statusCounts[.sent] ?? 0)) sent, \(PlanReport.grouped(codes)) coupon codes issued.\n")
        } else {
            let missing = folder.state == .missing ? " (the folder does not exist yet; --commit creates it)" : ""
            Console.err("Preview: nothing was written to \(folder.path)\(missing). Add --commit to record \(day).\n")
        }
        return delivered
    }
}

/// Where `perk run` puts the plan: standard output, or the `--out` file.
private struct PlanDestination {
    var path: String?
    var format: PlanReport.Format

    /// Writes the plan and returns the exit status: a file that cannot be
    /// written is a failure (1), said in one plain line.
    func deliver(_ text: String) -> Int32 {
        guard let path else {
            Console.out(text)
            return ExitCode.success
        }
        switch FileOutput.open(path) {
        case .failure(let failure):
            Console.err(OutputFile.message("run", path, OutputFile.reason(failure.code, path: path)))
            return ExitCode.failure
        case .success(let file):
            file.write(text)
            if let code = file.close() {
                Console.err(OutputFile.message("run", path, OutputFile.reason(code, path: path)))
                return ExitCode.failure
            }
            Console.err("Wrote the \(format.rawValue) plan to \(path).\n")
            return ExitCode.success
        }
    }
}
