/// The program-level half of the checker: collecting declarations across files,
/// names that must be unique, campaigns, actions and rule controls.
extension Checker {
    /// Checks parsed files against a schema. Files should come in a stable order
    /// (sorted by path): it decides the file order of rules.
    public static func check(_ files: [RulesFile], schema: Schema) -> (CheckedProgram?, [Diagnostic], usedDefines: Set<String>) {
        let (program, diagnostics, used) = checkWhatChecks(files, schema: schema)
        return (diagnostics.hasErrors ? nil : program, diagnostics, used)
    }

    /// Like `check`, but the program is built even when some declarations have
    /// errors: it holds the rules, defines and campaigns that checked, so the
    /// linter can still warn about them (a typo in one rule must not hide the
    /// warnings of the others). Never run: a rule left out changes the plan.
    static func checkWhatChecks(_ files: [RulesFile], schema: Schema) -> (CheckedProgram, [Diagnostic], usedDefines: Set<String>) {
        guard let first = files.first else {
            return (CheckedProgram(rules: [], campaigns: [], defines: [], schema: schema), [], [])
        }
        var checker = Checker(schema: schema, file: first.file)
        checker.collectDefines(files)
        let defines = checker.checkAllDefines(files)
        var (rules, ruleNames, declared) = checker.checkRules(files)
        let campaigns = checker.checkCampaigns(files, ruleNames: ruleNames, declared: declared, rules: &rules)
        let policies = checker.checkContactPolicies(files)
        let diagnostics = checker.diagnostics

        // Evaluation order: higher priority first, then file order.
        let order = rules.indices.sorted { a, b in
            rules[a].priority != rules[b].priority ? rules[a].priority > rules[b].priority : rules[a].fileOrder < rules[b].fileOrder
        }
        var newIndex = [Int](repeating: 0, count: rules.count)
        for (position, old) in order.enumerated() { newIndex[old] = position }
        let sortedRules = order.map { rules[$0] }
        let remapped = campaigns.map { c -> CheckedCampaign in
            var c = c
            c.rules = c.rules.map { newIndex[$0] }.sorted()
            return c
        }
        var program = CheckedProgram(rules: sortedRules, campaigns: remapped, defines: defines, schema: schema, contactPolicies: policies)
        program.numberNodes()
        return (program,
                diagnostics, checker.usedDefines)
    }

    // MARK: Defines

    mutating func collectDefines(_ files: [RulesFile]) {
        for f in files {
            brokenNames.formUnion(f.brokenNames)
            file = f.file
            for case .define(let d) in f.declarations {
                if let (earlier, earlierFile) = defineDecls[d.name.value] {
                    report(SemanticError.duplicateDefine(d.name.value), at: d.name.range,
                           notes: ["first declared at \(earlierFile.path):\(earlierFile.lineColumn(of: earlier.name.range.start))"])
                } else if DerivedField(rawValue: d.name.value) != nil || ["today", "birthday", "member", "orders"].contains(d.name.value) {
                    report(SemanticError.redefinesBuiltIn(d.name.value), at: d.name.range)
                } else {
                    defineDecls[d.name.value] = (d, f.file)
                }
            }
        }
    }

    mutating func checkAllDefines(_ files: [RulesFile]) -> [CheckedDefine] {
        var out: [CheckedDefine] = []
        for f in files {
            for case .define(let d) in f.declarations where defineDecls[d.name.value]?.decl.range == d.range {
                file = f.file
                if let value = define(d.name.value) {
                    out.append(CheckedDefine(name: d.name.value, value: value, file: f.file, range: d.range))
                }
            }
        }
        return out
    }

    // MARK: Rules

    /// The checked rules, the index of each by name, and every name declared
    /// (including rules that failed to check, so campaigns naming them stay quiet).
    mutating func checkRules(_ files: [RulesFile]) -> ([CheckedRule], [String: Int], Set<String>) {
        var rules: [CheckedRule] = []
        var names: [String: Int] = [:]
        var nameRanges: [String: (SourceFile, SourceRange)] = [:]
        var declared: Set<String> = []
        let unnamedNames = Checker.unnamedRuleFileNames(files)
        for f in files {
            file = f.file
            for case .rule(let r) in f.declarations {
                let name: String
                if let written = r.name {
                    name = written.value
                    if let (earlierFile, earlier) = nameRanges[name] {
                        report(SemanticError.duplicate("rule", name), at: written.range,
                               notes: ["first declared at \(earlierFile.path):\(earlierFile.lineColumn(of: earlier.start))"])
                    } else {
                        nameRanges[name] = (f.file, written.range)
                    }
                } else {
                    name = "\(unnamedNames[f.file.path] ?? Checker.baseName(f.file.path)):\(f.file.lineColumn(of: r.range.start).line)"
                }
                declared.insert(name)
                if r.hasErrors { continue }
                guard let rule = checkRule(r, name: name, order: rules.count) else { continue }
                if names[name] == nil { names[name] = rules.count }
                rules.append(rule)
            }
        }
        return (rules, names, declared)
    }

    static func baseName(_ path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    /// How an unnamed rule's file is named in the rule's name (`winback.perk:3`):
    /// by its file name, unless two files with unnamed rules share it
    /// (`a/x.perk`, `b/x.perk`); then by the path from their common folder, so
    /// the plan, the ledger and `--compare` never mix two rules up.
    static func unnamedRuleFileNames(_ files: [RulesFile]) -> [String: String] {
        let paths = files.filter { f in
            f.declarations.contains { d in
                if case .rule(let r) = d { return r.name == nil }
                return false
            }
        }.map(\.file.path)
        let bases = paths.map(baseName)
        guard Set(bases).count < bases.count else { return [:] }
        let folders = paths.map { $0.split(separator: "/", omittingEmptySubsequences: false).dropLast() }
        var common = folders.first.map(Array.init) ?? []
        for folder in folders.dropFirst() {
            common = Array(zip(common, folder).prefix { $0.0 == $0.1 }.map(\.0))
        }
        var out: [String: String] = [:]
        for path in paths {
            let parts = path.split(separator: "/", omittingEmptySubsequences: false)
            out[path] = parts.dropFirst(common.count).joined(separator: "/")
        }
        return out
    }

    mutating func checkRule(_ r: RuleDecl, name: String, order: Int) -> CheckedRule? {
        let condition: CheckedExpr?
        if let when = r.condition {
            condition = self.condition(when)
        } else {
            // `rule "x" then ...` with no `when` applies to everyone.
            condition = CheckedExpr(.constant(.bool(true)), .bool, r.range)
        }
        var actions: [CheckedAction] = []
        var actionsOK = true
        for a in r.actions {
            if let c = action(a) { actions.append(c) } else { actionsOK = false }
        }
        var lifetime: Int?
        var cooldown: Cooldown?
        if let limit = r.limit {
            if limit.count.value < 1 {
                report(SemanticError.limitBelowOne(), at: limit.count.range)
                actionsOK = false
            }
            if let period = limit.period {
                cooldown = Cooldown(count: limit.count.value, period: period.value)
                if period.value.amount < 1 {
                    report(SemanticError.periodBelowOne(period.value.unit.rawValue), at: period.range)
                    actionsOK = false
                }
            } else {
                lifetime = limit.count.value
            }
        }
        if let every = r.cooldown {
            if cooldown != nil {
                report(SemanticError.twoCooldowns(), at: every.range)
                actionsOK = false
            } else if every.value.amount < 1 {
                report(SemanticError.periodBelowOne(every.value.unit.rawValue), at: every.range)
                actionsOK = false
            }
            cooldown = Cooldown(count: 1, period: every.value)
        }
        guard let condition, actionsOK else { return nil }
        let nameRange = r.name?.range ?? SourceRange(r.range.start, r.range.start + 4)
        return CheckedRule(name: name, file: file, range: r.range, nameRange: nameRange, priority: r.priority?.value ?? 0, fileOrder: order,
                           condition: condition, actions: actions, lifetimeLimit: lifetime, cooldown: cooldown, campaign: nil)
    }

    // MARK: Actions

    mutating func action(_ a: Action) -> CheckedAction? {
        switch a.kind {
        case .coupon(let spec):
            guard let coupon = coupon(spec) else { return nil }
            let (channel, slot) = spec.channel.map { self.channel($0) } ?? (nil, nil)
            if spec.channel != nil, channel == nil { return nil }
            return CheckedAction(kind: .coupon(coupon), channel: channel, consentSlot: slot, range: a.range)
        case .message(let text, let via):
            guard nonEmpty(text, what: "a message's name") else { return nil }
            let (channel, slot) = via.map { self.channel($0) } ?? (nil, nil)
            if via != nil, channel == nil { return nil }
            return CheckedAction(kind: .message(text.value), channel: channel, consentSlot: slot, range: a.range)
        case .awardPoints(let n):
            guard positive(n, what: "points to award") else { return nil }
            return CheckedAction(kind: .awardPoints(n.value), channel: nil, consentSlot: nil, range: a.range)
        case .multiplyPoints(let factor, let span):
            guard positive(factor, what: "the points factor") else { return nil }
            guard let days = span.value.fixedDays, days >= 1 else {
                report(SemanticError.pointsPeriodNotInDays(), at: span.range)
                return nil
            }
            return CheckedAction(kind: .multiplyPoints(factor.value, days: days), channel: nil, consentSlot: nil, range: a.range)
        case .setTier(let symbol):
            guard let f = schema.customerField("tier"), case .enumeration(let en) = f.type else {
                report(SemanticError.noTierColumn(), at: a.range)
                return nil
            }
            guard let c = self.symbol(symbol.value, of: en, at: symbol.range), case .constant(.symbol(let o)) = c.node else { return nil }
            return CheckedAction(kind: .setTier(ordinal: o, name: symbol.value), channel: nil, consentSlot: nil, range: a.range)
        case .tag(let text):
            guard nonEmpty(text, what: "a tag") else { return nil }
            return CheckedAction(kind: .tag(text.value), channel: nil, consentSlot: nil, range: a.range)
        case .notifyStaff(let text):
            guard nonEmpty(text, what: "a note for staff") else { return nil }
            return CheckedAction(kind: .notifyStaff(text.value), channel: nil, consentSlot: nil, range: a.range)
        }
    }

    mutating func coupon(_ spec: CouponSpec) -> Coupon? {
        var ok = true
        let value: Coupon.Value
        switch spec.value.value {
        case .amount(let n):
            if !(n > .zero) {
                report(SemanticError.couponNotPositive(n), at: spec.value.range)
                ok = false
            }
            if spec.max != nil {
                report(SemanticError.maxOnFixedCoupon(named: false), at: spec.max!.range)
                ok = false
            }
            value = .amount(n)
        case .percent(let p):
            if !(p > .zero) || p > Number(100) {
                report(SemanticError.percentOutOfRange(p), at: spec.value.range)
                ok = false
            }
            if let m = spec.max, !(m.value > .zero) {
                report(SemanticError.maxNotPositive(m.value), at: m.range)
                ok = false
            }
            value = .percent(p, max: spec.max?.value)
        case .named(let name, let worth):
            if name.trimmingSpaces.isEmpty {
                report(SemanticError.couponWithoutName(), at: spec.value.range)
                ok = false
            }
            guard let worth else {
                report(SemanticError.couponWithoutWorth(name), at: spec.value.range)
                return nil
            }
            if worth.isNegative {
                report(SemanticError.negativeWorth(), at: spec.value.range)
                ok = false
            }
            if spec.max != nil {
                report(SemanticError.maxOnFixedCoupon(named: true), at: spec.max!.range)
                ok = false
            }
            value = .named(name, worth: worth)
        }
        var validDays = Coupon.defaultValidDays
        if let v = spec.validFor {
            if let days = v.value.fixedDays, days >= 1 {
                validDays = days
            } else {
                report(SemanticError.validityNotInDays(), at: v.range)
                ok = false
            }
        }
        if let m = spec.minSpend, m.value.isNegative {
            report(SemanticError.negativeMinSpend(), at: m.range)
            ok = false
        }
        return ok ? Coupon(value: value, validDays: validDays, minSpend: spec.minSpend?.value) : nil
    }

    mutating func channel(_ name: Located<String>) -> (Channel?, Int?) {
        guard let c = Channel(rawValue: name.value) else {
            report(SemanticError.unknownChannel(name.value), at: name.range)
            return (nil, nil)
        }
        let slot = schema.customerField(c.consentColumn).flatMap { $0.type == .bool ? $0.slot : nil }
        return (c, slot)
    }

    mutating func positive(_ n: Located<Number>, what: String) -> Bool {
        if n.value > .zero { return true }
        report(SemanticError.notPositive(what, n.value), at: n.range)
        return false
    }

    mutating func nonEmpty(_ s: Located<String>, what: String) -> Bool {
        if !s.value.trimmingSpaces.isEmpty { return true }
        report(SemanticError.empty(what), at: s.range)
        return false
    }

    // MARK: Campaigns

    mutating func checkCampaigns(_ files: [RulesFile], ruleNames: [String: Int], declared: Set<String>, rules: inout [CheckedRule]) -> [CheckedCampaign] {
        var declared = declared
        var campaigns: [CheckedCampaign] = []
        var seen: [String: (SourceFile, SourceRange)] = [:]
        for f in files {
            file = f.file
            declared.formUnion(f.brokenNames)
            for case .campaign(let c) in f.declarations {
                if let (earlierFile, earlier) = seen[c.name.value] {
                    report(SemanticError.duplicate("campaign", c.name.value), at: c.name.range,
                           notes: ["first declared at \(earlierFile.path):\(earlierFile.lineColumn(of: earlier.start))"])
                    continue
                }
                seen[c.name.value] = (f.file, c.name.range)
                if let from = c.from, let to = c.to, from.value > to.value {
                    report(SemanticError.endsBeforeStart(from: from.value, to: to.value), at: from.range.to(to.range))
                }
                if let b = c.budget, !(b.value > .zero) {
                    report(SemanticError.budgetNotPositive(b.value), at: b.range)
                }
                if let h = c.holdout, h.value.isNegative || !(h.value < Number(100)) {
                    report(SemanticError.holdoutOutOfRange(h.value), at: h.range)
                }
                let index = campaigns.count
                var members: [Int] = []
                for r in c.rules {
                    guard let i = ruleNames[r.value] else {
                        if declared.contains(r.value) { continue }
                        report(SemanticError.unknownRule(r.value, suggestion: Suggest.closest(to: r.value, among: ruleNames.keys.sorted())), at: r.range)
                        continue
                    }
                    if let other = rules[i].campaign {
                        if other != index {
                            report(SemanticError.ruleInTwoCampaigns(r.value, first: campaigns[other].name), at: r.range)
                        }
                        continue
                    }
                    rules[i].campaign = index
                    members.append(i)
                    if c.budget != nil {
                        for a in rules[i].actions {
                            if let coupon = a.coupon, case .percent(_, nil) = coupon.value {
                                report(SemanticError.unboundedPercentCoupon(), at: r.range,
                                       notes: ["rule \"\(r.value)\" sends it at \(rules[i].file.path):\(rules[i].file.lineColumn(of: a.range.start))"])
                            }
                        }
                    }
                }
                if c.rules.isEmpty {
                    report(SemanticError.campaignWithoutRules(c.name.value), at: c.name.range)
                }
                campaigns.append(CheckedCampaign(name: c.name.value, file: f.file, range: c.range, nameRange: c.name.range, from: c.from?.value, to: c.to?.value,
                                                 budget: c.budget?.value, holdout: c.holdout?.value, exclusive: c.exclusive != nil, rules: members))
            }
        }
        return campaigns
    }
}

extension Checker {
    // MARK: Contact policies

    mutating func checkContactPolicies(_ files: [RulesFile]) -> [ContactPolicy] {
        var policies: [ContactPolicy] = []
        for f in files {
            file = f.file
            for case .contactPolicy(let p) in f.declarations {
                var ok = true
                if p.count.value < 1 {
                    report(SemanticError.policyBelowOne(p.count.value), at: p.count.range)
                    ok = false
                }
                if p.period.value.amount < 1 {
                    report(SemanticError.periodBelowOne(p.period.value.unit.rawValue), at: p.period.range)
                    ok = false
                }
                var channel: Channel?
                if let via = p.channel {
                    channel = self.channel(via).0
                    if channel == nil { ok = false }
                }
                guard ok else { continue }
                policies.append(ContactPolicy(count: p.count.value, period: p.period.value, channel: channel, file: f.file,
                                              range: p.range, allowanceRange: p.allowanceRange))
            }
        }
        return policies
    }
}

extension String {
    var trimmingSpaces: Substring {
        let s = drop { $0 == " " || $0 == "\t" }
        return s.reversed().drop { $0 == " " || $0 == "\t" }.isEmpty ? "" : s
    }
}

extension Checker {
    /// Checks one expression (a REPL line, a test), with the defines of `context`
    /// in scope.
    public static func checkExpression(_ expr: Expr, in file: SourceFile, schema: Schema, context: [RulesFile] = []) -> (CheckedExpr?, [Diagnostic]) {
        var checker = Checker(schema: schema, file: file)
        checker.collectDefines(context)
        checker.diagnostics = []
        checker.file = file
        var next: Int32 = 0
        let result = checker.check(expr).map { $0.numbered(from: &next) }
        return (checker.diagnostics.hasErrors ? nil : result, checker.diagnostics)
    }
}
