/// What a campaign journal holds, for `perk journal`: the committed days,
/// decisions by rule and status, each campaign's spending (and, given the
/// rules, its budget and what is left) and the coupon codes issued.
public struct JournalReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, json
    }

    public let history: JournalHistory
    /// Budgets by campaign name, from the rules when given.
    public let budgets: [String: Number]?

    /// The text report lists this many latest days; JSON lists them all.
    public static let latestDaysShown = 7

    public init(history: JournalHistory, budgets: [String: Number]?) {
        self.history = history
        self.budgets = budgets
    }

    public func rendered(_ format: Format) -> String {
        switch format {
        case .text: return DisplayText.escaped(text(), keepingLineBreaks: true)
        case .json: return json().rendered() + "\n"
        }
    }

    // MARK: Totals

    struct RuleTotals {
        var name: String
        var decisions = Array(repeating: 0, count: DecisionStatus.allCases.count)
        var codes = 0
    }

    /// Per rule name, in the order names sort.
    var rules: [RuleTotals] {
        var out: [RuleTotals] = []
        var index: [String: Int] = [:]
        for digest in history.digests {
            for (r, name) in digest.ruleNames.enumerated() {
                let i = index[name] ?? {
                    out.append(RuleTotals(name: name))
                    index[name] = out.count - 1
                    return out.count - 1
                }()
                for s in 0..<DecisionStatus.allCases.count { out[i].decisions[s] += digest.statusCounts[r][s] }
                out[i].codes += digest.couponsByRule[r]
            }
        }
        return out.sorted { $0.name.utf8.lexicographicallyPrecedes($1.name.utf8) }
    }

    /// Per campaign name, in order of first appearance: spent so far, and the
    /// first day its budget refused a coupon.
    /// `spent` is nil once it is past the range of exact numbers: shown as
    /// such, never as a total that left some coupons out.
    var campaigns: [(name: String, spent: Number?, ranOutOn: LocalDate?)] {
        var out: [(name: String, spent: Number?, ranOutOn: LocalDate?)] = []
        var index: [String: Int] = [:]
        for digest in history.digests {
            for (k, name) in digest.campaignNames.enumerated() {
                let i = index[name] ?? {
                    out.append((name, .zero, nil))
                    index[name] = out.count - 1
                    return out.count - 1
                }()
                out[i].spent = out[i].spent?.adding(digest.spent[k])
                if digest.budgetRefused[k], out[i].ranOutOn == nil { out[i].ranOutOn = digest.day }
            }
        }
        // Campaigns the rules declare with a budget but that have not decided yet.
        for name in (budgets ?? [:]).keys.sorted() where index[name] == nil { out.append((name, .zero, nil)) }
        return out
    }

    private var codesIssued: Int { history.digests.reduce(0) { $0 + $1.codes.count } }

    // MARK: Text

    public func text() -> String {
        let days = history.days
        var out = "Journal \(history.folder.path)\n\n"
        guard let first = days.first, let last = days.last else {
            return out + "No days committed yet. `perk run RULES --journal \(history.folder.path) --commit` records the first.\n"
        }
        let span = first.distance(to: last) + 1
        out += days.count == 1 ? "1 day committed: \(first).\n" : "\(PlanReport.count(days.count, "day")) committed, \(first) to \(last)"
        if days.count > 1 { out += span > days.count ? " (\(PlanReport.grouped(span - days.count)) days between them skipped).\n" : ".\n" }
        out += "\(PlanReport.count(codesIssued, "coupon code")) issued.\n"

        // Sent and held out first, then the statuses that stopped a decision, as far as any did.
        let rules = self.rules
        let order: [DecisionStatus] = [.sent, .heldOut] + DecisionStatus.allCases.filter { $0 != .sent && $0 != .heldOut }
        let shown = order.filter { s in s == .sent || rules.contains { $0.decisions[s.index] > 0 } }
        var t = TextTable(headers: ["rule", "decisions"] + shown.map(\.rawValue) + ["coupon codes"],
                          rightAligned: Set(1...(shown.count + 2)))
        for r in rules {
            t.add([r.name, PlanReport.grouped(r.decisions.reduce(0, +))] + shown.map { PlanReport.grouped(r.decisions[$0.index]) }
                  + [PlanReport.grouped(r.codes)])
        }
        out += "\nDecisions by rule and status\n\n" + t.rendered()

        let campaigns = self.campaigns
        if !campaigns.isEmpty {
            var c = TextTable(headers: ["campaign", "budget", "spent", "left", "budget ran out on"], rightAligned: [1, 2, 3])
            for campaign in campaigns {
                let budget = budgets?[campaign.name]
                let left = budget.flatMap { b in campaign.spent.flatMap { b.subtracting($0) } }
                c.add([campaign.name, budget.map(Figures.money) ?? (budgets == nil ? "" : "none"),
                       campaign.spent.map(Figures.money) ?? "beyond exact numbers",
                       left.map(Figures.money) ?? "", campaign.ranOutOn?.description ?? ""])
            }
            out += "\nCampaigns\n\n" + c.rendered()
            if budgets == nil { out += "Give the rules (--rules PATH) to see each campaign's budget and what is left.\n" }
        }

        var d = TextTable(headers: ["day", "decisions", "sent", "held_out", "coupon codes"], rightAligned: [1, 2, 3, 4])
        for digest in history.digests.suffix(JournalReport.latestDaysShown) {
            let total = digest.statusCounts.reduce(0) { $0 + $1.reduce(0, +) }
            let sent = digest.statusCounts.reduce(0) { $0 + $1[DecisionStatus.sent.index] }
            let held = digest.statusCounts.reduce(0) { $0 + $1[DecisionStatus.heldOut.index] }
            d.add([digest.day.description, PlanReport.grouped(total), PlanReport.grouped(sent), PlanReport.grouped(held),
                   PlanReport.grouped(digest.codes.count)])
        }
        let listed = min(days.count, JournalReport.latestDaysShown)
        out += "\n\(listed == days.count ? "Days" : "The latest \(listed) days")\n\n" + d.rendered()
        return out
    }

    // MARK: JSON

    public func json() -> JSON {
        let statuses = DecisionStatus.allCases
        func byStatus(_ counts: [Int]) -> JSON { .object(statuses.map { ($0.rawValue, JSON.int(counts[$0.index])) }) }
        let rules = self.rules.map { r -> JSON in
            .object([("rule", .string(r.name)), ("decisions", byStatus(r.decisions)), ("coupon_codes", .int(r.codes))])
        }
        let campaigns = self.campaigns.map { c -> JSON in
            let budget = budgets?[c.name]
            return .object([
                ("campaign", .string(c.name)),
                ("budget", budget.map(JSON.exact) ?? .null),
                ("spent", c.spent.map(JSON.exact) ?? .null),
                ("left", budget.flatMap { b in c.spent.flatMap { b.subtracting($0) } }.map(JSON.exact) ?? .null),
                ("budget_ran_out_on", .optional(c.ranOutOn?.description)),
            ])
        }
        let daily = history.digests.map { digest -> JSON in
            var counts = Array(repeating: 0, count: statuses.count)
            for rule in digest.statusCounts { for s in rule.indices { counts[s] += rule[s] } }
            return .object([
                ("date", .string(digest.day.description)),
                ("decisions", byStatus(counts)),
                ("coupon_codes", .int(digest.codes.count)),
                ("spent", .object(zip(digest.campaignNames, digest.spent).map { ($0, JSON.exact($1)) })),
            ])
        }
        return .object([
            ("journal", .string(history.folder.path)),
            ("days", .int(history.days.count)),
            ("first_day", .optional(history.days.first?.description)),
            ("latest_day", .optional(history.latestDay?.description)),
            ("coupon_codes", .int(codesIssued)),
            ("rules", .array(rules)),
            ("campaigns", .array(campaigns)),
            ("daily", .array(daily)),
        ])
    }
}

extension JournalReport {
    /// Each campaign's budget as the rules files declare it. Only the files'
    /// syntax is read, so no data is needed; syntax errors are returned.
    public static func budgets(inRules paths: [String]) -> ([String: Number], [Diagnostic]) {
        let (sources, problems) = RuleSources.load(paths)
        let (files, syntax) = Compiler.parse(sources)
        var budgets: [String: Number] = [:]
        for file in files {
            for case .campaign(let c) in file.declarations {
                if let budget = c.budget { budgets[c.name.value] = budget.value }
            }
        }
        return (budgets, problems + syntax)
    }
}
