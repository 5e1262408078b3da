/// The session commands: `:load`, `:rules`, `:run`, `:explain`, `:asof`,
/// `:schema`, `:help`, `:quit`.
extension ReplSession {
    mutating func command(_ command: SessionCommand, _ args: [Located<String>], at range: SourceRange, in file: SourceFile) -> Reply {
        let takesNoArguments: Set<SessionCommand> = [.rules, .schema, .help, .quit]
        if takesNoArguments.contains(command), let extra = args.first {
            return Reply(diagnostics: [ReplError.badArgument("`\(command.synopsis)` takes no arguments", at: extra.range, in: file)])
        }
        switch command {
        case .load:
            guard !args.isEmpty else {
                return Reply(diagnostics: [ReplError.badArgument("`:load` needs a rules file or folder, like :load rules/", at: range, in: file)])
            }
            return loadFiles(args.map(\.value))
        case .rules:
            var failures: [Diagnostic] = []
            return Reply(output: rulesOverview(failures: &failures), diagnostics: failures)
        case .run:
            return runPlan(args, at: range, in: file)
        case .explain:
            return explain(args, at: range, in: file)
        case .asof:
            return asOf(args, in: file)
        case .schema:
            return Reply(output: SchemaReport(schema: schema, data: data, program: program).rendered())
        case .help:
            return Reply(output: ReplHelp.text)
        case .quit:
            return Reply(quit: true)
        }
    }

    // MARK: - Rules

    /// Loads rules files or folders into the session (also the command line's
    /// RULES). A file loaded again replaces its earlier version. Nothing is
    /// added when any of it has errors.
    public mutating func load(_ paths: [String], cancellation: Cancellation? = nil) -> Reply {
        Self.shown(interruptible(cancellation) { $0.loadFiles(paths) })
    }

    private mutating func loadFiles(_ paths: [String]) -> Reply {
        let (sources, problems) = RuleSources.load(paths)
        guard !problems.hasErrors else { return Reply(diagnostics: problems) }
        let (parsed, syntax) = Compiler.parse(sources)
        let newPaths = Set(sources.map(\.path))
        let kept = loaded.filter { !newPaths.contains($0.file.path) }
        let (checked, found, _) = Compiler.checkAndBind(kept + parsed + entries.map(\.file), schema: schema)
        let diagnostics = Self.news(syntax + found, about: newPaths)
        guard let checked, !diagnostics.hasErrors else { return Reply(diagnostics: diagnostics) }
        loaded = kept + parsed
        program = checked
        let rules = program.rules.indices.filter { newPaths.contains(program.rules[$0].file.path) }
        let defines = program.defines.filter { newPaths.contains($0.file.path) }.count
        let campaigns = program.campaigns.filter { newPaths.contains($0.file.path) }.count
        // Tests are checked with the rules but run only by `perk test`.
        let tests = parsed.reduce(0) { n, file in n + file.declarations.filter { if case .test = $0 { true } else { false } }.count }
        var out = "loaded \(Self.plural(sources.count, "file")): \(Self.plural(rules.count, "rule")), "
            + "\(Self.plural(defines, "define")), \(Self.plural(campaigns, "campaign"))"
            + (tests > 0 ? "; \(Self.plural(tests, "test")), which `perk test` runs" : "") + "\n"
        var failures: [Diagnostic] = []
        if !rules.isEmpty { out += "\n" + rulesTable(rules, failures: &failures).rendered() }
        return Reply(output: out, diagnostics: diagnostics + failures)
    }

    private func rulesOverview(failures: inout [Diagnostic]) -> String {
        guard !program.rules.isEmpty || !program.defines.isEmpty else {
            return "No rules yet: type one (like `when visit_count == 1 then send coupon 5`), or `:load FILE`.\n"
        }
        var out = ""
        if !program.rules.isEmpty {
            out += "\(Self.plural(program.rules.count, "rule")), in the order they run; matches on \(day):\n\n"
            out += rulesTable(Array(program.rules.indices), failures: &failures).rendered()
        }
        if !program.defines.isEmpty {
            if !out.isEmpty { out += "\n" }
            var defines = TextTable(headers: ["define", "type", "written at"])
            for d in program.defines {
                defines.add([d.name, d.value.type.shortName, "\(d.file.path):\(d.file.lineColumn(of: d.range.start).line)"])
            }
            out += defines.rendered()
        }
        return out
    }

    /// Rule, priority, campaign, where it was written, and how many customers
    /// its condition holds for on the session's day ("error" where that cannot be
    /// computed for some customer; the failure goes into `failures`).
    private func rulesTable(_ rules: [Int], failures: inout [Diagnostic]) -> TextTable {
        var table = TextTable(headers: ["rule", "priority", "campaign", "written at", "matches"], rightAligned: [1, 4])
        for r in rules {
            if isCancelled { break }
            let rule = program.rules[r]
            var campaign = ""
            if let c = rule.campaign {
                campaign = program.campaigns[c].name + (program.campaigns[c].isActive(on: day) ? "" : " (not running)")
            }
            let at = "\(rule.file.path):\(rule.file.lineColumn(of: rule.range.start).line)"
            let matches: String
            do throws(Problems) { matches = Figures.count(try matchCount(rule)) } catch {
                matches = "error"
                failures += error.diagnostics
            }
            table.add([rule.name, String(rule.priority), campaign, at, matches])
        }
        return table
    }

    /// `:run` previews the plan of every rule; `:run RULE` that rule alone
    /// (with its campaign's dates, budget and holdout).
    private func runPlan(_ args: [Located<String>], at range: SourceRange, in file: SourceFile) -> Reply {
        guard !program.rules.isEmpty else {
            return Reply(output: "No rules to run yet: type one, or `:load FILE`.\n")
        }
        var plan = program
        if !args.isEmpty {
            switch ruleIndex(Self.joined(args), in: file) {
            case .failure(let problems): return Reply(diagnostics: problems.diagnostics)
            case .success(let r): plan = program.only(r)
            }
        }
        let actions: ActionPlan
        do throws(RuntimeFailure) { actions = try ActionPlan.make(program: plan, interpreter: interpreter, day: day) } catch {
            return Reply(diagnostics: [error.diagnostic])
        }
        return Reply(output: PlanReport(plan: actions, program: plan, customers: data.customers).table(maxRows: Self.rowsShown))
    }

    /// `:explain RULE CUSTOMER`; a rule name with spaces may go without quotes.
    private func explain(_ args: [Located<String>], at range: SourceRange, in file: SourceFile) -> Reply {
        guard args.count >= 2, let id = args.last else {
            return Reply(diagnostics: [ReplError.badArgument("`:explain` needs a rule and a customer, like :explain \"VIP win-back\" C00042",
                                                             at: args.first?.range ?? range, in: file)])
        }
        switch (ruleIndex(Self.joined(args.dropLast()), in: file), customerRow(id, in: file)) {
        case (.failure(let problems), _), (_, .failure(let problems)):
            return Reply(diagnostics: problems.diagnostics)
        case (.success(let r), .success(let c)):
            let explanation = Explainer(program: program, interpreter: interpreter).explain(rule: r, customer: c, day: day)
            return Reply(output: ExplainReport(explanation).rendered(), diagnostics: explanation.failure.map { [$0.diagnostic] } ?? [])
        }
    }

    private func ruleIndex(_ name: Located<String>, in file: SourceFile) -> Result<Int, Problems> {
        guard let r = program.ruleIndex(named: name.value) else {
            return .failure(Problems(ReplError.unknownRule(name.value, suggestion: program.closestRuleName(to: name.value), at: name.range, in: file)))
        }
        return .success(r)
    }

    /// Several words as one argument, spanning them all.
    static func joined<C: Collection>(_ words: C) -> Located<String> where C.Element == Located<String> {
        guard let first = words.first, let last = words.reversed().first else { return Located("", SourceRange(0, 0)) }
        return Located(words.map(\.value).joined(separator: " "), first.range.to(last.range))
    }

    // MARK: - Day

    private mutating func asOf(_ args: [Located<String>], in file: SourceFile) -> Reply {
        guard let arg = args.first else { return Reply(output: "evaluating as of \(day)\n") }
        if let extra = args.dropFirst().first {
            return Reply(diagnostics: [ReplError.badArgument("`:asof` takes one day, like :asof 2025-03-01", at: extra.range, in: file)])
        }
        guard let d = LocalDate(parsing: arg.value) else { return Reply(diagnostics: [ReplError.notADate(arg.value, at: arg.range, in: file)]) }
        day = d
        return Reply(output: "evaluating as of \(day)\n")
    }

    /// Counts read as in the reports: `1,204 customers`.
    static func plural(_ n: Int, _ word: String) -> String { "\(Figures.count(n)) \(word)\(n == 1 ? "" : "s")" }
}

extension CheckedProgram {
    /// The program with one rule, and its campaign if it has one.
    func only(_ r: Int) -> CheckedProgram {
        var rule = rules[r]
        var kept: [CheckedCampaign] = []
        if let c = rule.campaign {
            var campaign = campaigns[c]
            campaign.rules = [0]
            kept = [campaign]
            rule.campaign = 0
        }
        return CheckedProgram(rules: [rule], campaigns: kept, defines: defines, schema: schema)
    }
}
