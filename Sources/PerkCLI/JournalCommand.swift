import Perk

/// `perk journal`: what a campaign journal holds, and taking its latest day back.
enum JournalCommand {
    static let usage = """
    Usage: perk journal DIR [--rules RULES...] [--format text|json]
           perk journal DIR --undo-last

    Shows what the campaign journal in DIR holds: the days committed, decisions by
    rule and status, each campaign's spending and the coupon codes issued. With
    --rules, each campaign's budget and what is left of it.

    Options:
      --rules RULES...   the rules files or folders, for the campaigns' budgets
      --format FORMAT    text (default) or json (every day, too)
      --undo-last        remove the latest committed day (a mistake caught before
                         the messages went out) and say what was removed

    Exit status: 0 when shown or undone, 1 if the journal or rules have errors or
    there is nothing to undo, 2 for a bad command line.
    Example: perk journal journal/ --rules rules/

    """

    static let options = Arguments.Options(valued: ["format"], switches: ["undo-last"], collecting: ["rules"])

    static func main(_ argv: [String]) throws -> Int32 {
        let args = try Arguments(argv, options)
        guard args.positional.count == 1, let path = args.positional.first else {
            throw Arguments.UsageError(description: args.positional.isEmpty ? "name the journal folder" : "name one journal folder, not \(args.positional.count)")
        }
        let format: JournalReport.Format = try args.choice("format", default: .text)
        let folder = JournalFolder(path: path)
        if case .unusable(let why) = folder.state {
            Console.err("perk journal: cannot use \(path): \(why)\n")
            return ExitCode.failure
        }
        if folder.state == .missing {
            Console.err("perk journal: there is no journal at \(path): the folder does not exist. `perk run RULES --journal \(path) --commit` starts one.\n")
            return ExitCode.failure
        }
        if args.flag("undo-last") {
            guard args.list("rules").isEmpty, (try args.value("format")) == nil else {
                throw Arguments.UsageError(description: "--undo-last takes no other options")
            }
            return undoLast(folder)
        }
        var budgets: [String: Number]?
        if !args.list("rules").isEmpty {
            let (found, problems) = JournalReport.budgets(inRules: args.list("rules"))
            Console.diagnostics(problems)
            guard !problems.hasErrors else {
                Console.err("perk: fix the rules above to see the campaigns' budgets.\n")
                return ExitCode.failure
            }
            budgets = found
        }
        guard let history = read(folder, customers: CustomerTable(source: "", ids: [], columns: [], lines: []), nothingWas: "shown") else { return ExitCode.failure }
        Console.out(JournalReport(history: history, budgets: budgets).rendered(format))
        return ExitCode.success
    }

    /// Removes the latest day, holding the lock, and says what it held.
    private static func undoLast(_ folder: JournalFolder) -> Int32 {
        do {
            let lock = try folder.lock(timeout: RunCommand.lockTimeout) { holder in
                Console.err("perk: waiting for \(holder ?? "another perk") to finish with \(folder.path) ...\n")
            }
            defer { lock.release() }
            let (days, problems) = folder.days()
            Console.diagnostics(problems)
            // A file named like a day that does not exist is no committed day: taking the latest
            // day back would not mend it, and would remove a day that may well be sound.
            guard problems.isEmpty else {
                Console.err("perk journal: nothing was removed from \(folder.path); fix what is named above first "
                            + "(--undo-last takes back only the latest committed day).\n")
                return ExitCode.failure
            }
            guard let latest = days.last else {
                Console.err("perk journal: \(folder.path) holds no committed days; there is nothing to undo.\n")
                return ExitCode.failure
            }
            // What the day held, when its file can be read; a damaged day can be undone too.
            let summary = JournalDaySummary(reading: latest, of: folder)
            try folder.remove(latest)
            let rest = days.dropLast().last.map { "the latest day is now \($0)" } ?? "no days are committed now"
            Console.out("Removed \(latest) from \(folder.path)\(summary.map { ": \($0)" } ?? ""); \(rest).\n")
            if summary?.hasCodes ?? true {
                Console.err("The coupon codes issued on \(latest) are void now; if its messages already went out, customers hold them.\n")
            }
            return ExitCode.success
        } catch let failure as JournalFolder.Failure {
            Console.err("perk journal: \(failure); nothing was removed.\n")
            return ExitCode.failure
        } catch {
            Console.err("perk journal: \(error); nothing was removed.\n")
            return ExitCode.failure
        }
    }

    /// Reads the journal, printing its problems; nil when it cannot be used.
    static func read(_ folder: JournalFolder, customers: CustomerTable, nothingWas outcome: String) -> JournalHistory? {
        let (history, problems) = JournalHistory.read(folder, customers: customers)
        Console.diagnostics(problems)
        guard let history else {
            Console.err("perk: the journal at \(folder.path) is damaged; nothing was \(outcome). Fix or remove the files named above.\n")
            return nil
        }
        return history
    }

    /// Says once when the journal names rules that no rules file defines:
    /// their decisions still count for budgets and contact policies, but no
    /// longer for any rule's limits; and when its decisions are for customers
    /// the data does not have (most likely the wrong customers file).
    static func warnAboutWhatTheRulesAndDataLack(_ history: JournalHistory, program: CheckedProgram, customers: CustomerTable) {
        let decisions = history.decisions
        if decisions.ofCustomersNotInData > 0 {
            let all = decisions.ofCustomersNotInData == decisions.all
            Console.err("warning: \(all ? "all" : PlanReport.grouped(decisions.ofCustomersNotInData) + " of") \(PlanReport.count(decisions.all, "decision")) "
                        + "in the journal at \(history.folder.path) are for customers not in \(customers.source); they count for their "
                        + "campaigns' budgets, but for no customer's limits or contacts.\n"
                        + (all ? "  = note: is this the customers file the journal was kept with?\n" : ""))
        }
        let missing = history.rulesNotIn(program)
        guard !missing.isEmpty else { return }
        let names = missing.prefix(5).map { "\"\($0)\"" }.joined(separator: ", ") + (missing.count > 5 ? " and \(missing.count - 5) more" : "")
        var text = "warning: the journal at \(history.folder.path) names rules no rules file defines: \(names). "
            + "Their decisions still count for their campaigns' budgets and for contact policies.\n"
        if missing.contains(where: { $0.range(of: ".perk:") != nil }) {
            text += "  = note: a rule without a name is called after its file and line, so it changes name when lines move; "
                + "give it a name (rule \"...\") to keep its history.\n"
        }
        Console.err(text)
    }
}
