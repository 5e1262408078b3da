/// What a simulation report says, section by section, as text cells and
/// sentences. The text and HTML reports lay the same sections out differently,
/// so they always say the same thing.
struct SimulationSections {
    /// A table of text cells; `numeric` columns are right-aligned.
    struct Table {
        var headers: [String]
        var rows: [[String]] = []
        var numeric: Set<Int> = []
    }

    /// A rule's funnel, in decisions and in distinct customers.
    struct Funnel {
        var rule: String
        var decisions: String
        var customers: String
    }

    /// The sample customers of one rule, one line each.
    struct Samples {
        var rule: String
        var lines: [String]
    }

    let result: SimulationResult
    let comparison: SimulationComparison?
    /// What data was simulated, in one line.
    let dataSummary: String?
    /// The rules given, for the comparison's headings: base, then `--compare`.
    let labels: (base: String, compared: String)

    private var program: CheckedProgram { result.program }
    private var totals: SimulationTotals { result.totals }

    // MARK: Header and totals

    var title: String {
        let p = result.period
        return "Simulation of \(p.from) to \(p.to) (\(Figures.count(p.dayCount)) day\(p.dayCount == 1 ? "" : "s"))"
    }

    var subtitle: [String] {
        var lines = ["Rules: \(labels.base) (\(plural(program.rules.count, "rule")), \(plural(program.campaigns.count, "campaign")))"]
        if let dataSummary { lines.append("Data: \(dataSummary)") }
        // Mirrors the note for orders that end early: a period before the data runs
        // every rule against customers who have not ordered yet, which looks like a
        // quiet campaign rather than a wrong period.
        if let first = result.firstOrderDate, first > result.period.to {
            lines.append("The orders start on \(first), after the period: on every day of it customers have no orders yet, "
                         + "so rules see no purchases and only coupons still valid on \(first) can be redeemed.")
        } else if let first = result.firstOrderDate, first > result.period.from {
            lines.append("The orders start on \(first): on the days before it customers have no orders yet.")
        }
        if let last = result.lastOrderDate, last < result.period.to {
            lines.append("The orders end on \(last): days after it have no orders, so redemptions and returns after it are not counted.")
        }
        return lines
    }

    var totalsList: [(label: String, value: String)] {
        let sent = totals.decisions[.sent], held = totals.decisions[.heldOut]
        let skipped = totals.decisions.total - sent - held
        var out: [(String, String)] = [
            ("customers reached", "\(Figures.count(totals.reached.count)) of \(Figures.count(result.customers.count)) "
                + "(\(Figures.share(totals.reached.count, of: result.customers.count)))"),
            ("decisions", "\(Figures.count(sent)) sent, \(Figures.count(held)) held out, \(Figures.count(skipped)) skipped"),
            ("sends by channel", channels),
            ("coupons issued", "\(Figures.count(totals.coupons.issued)), face value \(Figures.money(totals.coupons.faceValue))"),
            ("estimated redemptions", "\(Figures.count(totals.coupons.redeemed)) of \(Figures.count(totals.coupons.issued)) coupons "
                + "(\(organicReturnRate)), cost \(Figures.money(totals.coupons.cost))"),
            ("points awarded", Figures.exact(totals.pointsEarned)),
        ]
        var other: [String] = []
        if totals.tierChanges > 0 { other.append(plural(totals.tierChanges, "tier change")) }
        if totals.staffNotifications > 0 { other.append(plural(totals.staffNotifications, "staff notification")) }
        for tag in totals.tags.keys.sorted() { other.append("tagged \"\(tag)\" \(Figures.count(totals.tags[tag] ?? 0))") }
        if !other.isEmpty { out.append(("other actions", other.joined(separator: " · "))) }
        return out
    }

    /// Sends per channel, channels without any left out.
    private var channels: String {
        let keyed: [(String, Channel?)] = Channel.allCases.map { ($0.rawValue, $0) } + [("account (no via)", nil)]
        let parts = keyed.compactMap { name, channel -> String? in
            guard let n = totals.sendsByChannel[channel], n > 0 else { return nil }
            return "\(name) \(Figures.count(n))"
        }
        return parts.isEmpty ? "none" : parts.joined(separator: " · ")
    }

    /// Coupons the targeted customers would have redeemed by coming back anyway.
    private var organicReturnRate: String { Figures.share(totals.coupons.redeemed, of: totals.coupons.issued) }

    /// Why the cost is an upper estimate, and the organic return rate it implies.
    var costNote: String {
        guard totals.coupons.issued > 0 else { return "No coupon was sent, so nothing is estimated to cost anything." }
        return "Estimated cost: each coupon is matched to the customer's first order from the day it is sent to the last day it is "
            + "valid whose amount meets its min spend, and costs what that order would have been given off (capped by the order "
            + "and by the coupon's max). Those customers came back anyway (the orders are real), so this is what the coupons "
            + "would cost if every customer who came back used one: the organic return rate of the targeted customers is "
            + "\(organicReturnRate) of the coupons sent."
    }

    // MARK: Campaigns and rules

    var campaigns: Table {
        // With a journal, what was spent before the period gets its own column.
        let before = result.startedFromJournal
        var t = Table(headers: ["campaign", "runs", "days", "budget"] + (before ? ["spent before"] : [])
                        + ["spent", "left", "budget ran out", "sent", "held out"],
                      numeric: before ? [2, 3, 4, 5, 6, 8, 9] : [2, 3, 4, 5, 7, 8])
        for outcome in result.campaigns {
            let c = program.campaigns[outcome.campaign]
            t.rows.append([c.name, runs(c), Figures.count(outcome.activeDays), outcome.budget.map(Figures.money) ?? "none"]
                          + (before ? [Figures.money(outcome.spentBefore)] : [])
                          + [Figures.money(outcome.spent), outcome.left.map(Figures.money) ?? "-",
                             outcome.budgetRanOut.map(\.description) ?? "-",
                             Figures.count(outcome.decisions[.sent]), Figures.count(outcome.decisions[.heldOut])])
        }
        return t
    }

    private func runs(_ c: CheckedCampaign) -> String {
        switch (c.from, c.to) {
        case (nil, nil): return "every day"
        case (let from?, nil): return "from \(from)"
        case (nil, let to?): return "to \(to)"
        case (let from?, let to?): return "\(from) to \(to)"
        }
    }

    var rules: Table {
        var t = Table(headers: ["rule", "campaign", "matched", "sent", "customers", "coupons", "face value", "redeemed", "est. cost"],
                      numeric: [2, 3, 4, 5, 6, 7, 8])
        for outcome in result.rules {
            let rule = program.rules[outcome.rule]
            t.rows.append([rule.name, rule.campaign.map { program.campaigns[$0].name } ?? "",
                           Figures.count(outcome.decisions.total), Figures.count(outcome.decisions[.sent]),
                           Figures.count(outcome.customersReached.count), Figures.count(outcome.coupons.issued),
                           Figures.money(outcome.coupons.faceValue), Figures.count(outcome.coupons.redeemed),
                           Figures.money(outcome.coupons.cost)])
        }
        return t
    }

    // MARK: Funnels

    var funnels: [Funnel] {
        result.rules.map { outcome in
            let rule = program.rules[outcome.rule]
            guard outcome.decisions.total > 0 else {
                let running = rule.campaign.map { c in result.campaigns[c].activeDays > 0 } ?? true
                let why = running ? "no customer matched" : "its campaign did not run in the period"
                return Funnel(rule: rule.name, decisions: why, customers: "")
            }
            return Funnel(rule: rule.name,
                          decisions: SimulationSections.funnel(outcome.decisions, unit: "decision"),
                          customers: SimulationSections.funnel(outcome.customers, matched: outcome.customersMatched.count, unit: "customer"))
        }
    }

    var funnelNote: String {
        "Every matched decision ends in one status, so the decisions add up. A customer is counted once per status they had "
            + "at least once: one sent a coupon and later stopped by its cooldown counts in both."
    }

    private static let drops: [(DecisionStatus, String)] = [
        (.skippedLimit, "limit"), (.skippedCooldown, "cooldown"), (.skippedConsent, "consent"),
        (.skippedContactCap, "contact policy"), (.skippedExclusive, "exclusivity"), (.skippedBudget, "budget"), (.heldOut, "holdout"),
    ]

    /// "1,240 decisions matched; 310 dropped by cooldown, 95 by consent; 795 sent".
    private static func funnel(_ counts: StatusCounts, matched: Int? = nil, unit: String) -> String {
        let total = matched ?? counts.total
        var text = "\(Figures.count(total)) \(unit)\(total == 1 ? "" : "s") matched"
        let dropped = drops.filter { counts[$0.0] > 0 }
        for (i, (status, reason)) in dropped.enumerated() {
            text += (i == 0 ? "; " : ", ") + Figures.count(counts[status]) + (i == 0 ? " dropped by " : " by ") + reason
        }
        return text + "; \(Figures.count(counts[.sent])) sent"
    }

    // MARK: Tiers, overlap, returns, samples

    var tiers: Table {
        var t = Table(headers: ["tier", "customers", "reached", "share", "sent", "coupons", "face value", "est. cost"],
                      numeric: [1, 2, 3, 4, 5, 6, 7])
        for tier in result.tiers {
            t.rows.append([tier.name, Figures.count(tier.customers), Figures.count(tier.reached.count),
                           Figures.share(tier.reached.count, of: tier.customers), Figures.count(tier.decisionsSent),
                           Figures.count(tier.coupons.issued), Figures.money(tier.coupons.faceValue), Figures.money(tier.coupons.cost)])
        }
        return t
    }

    var overlap: [String] {
        let o = result.overlap
        let several = o.customersByRuleCount.dropFirst().reduce(0, +)
        guard several > 0 else { return ["No customer was reached by more than one rule."] }
        var lines = ["\(Figures.count(several)) customers were reached by two or more rules ("
                     + o.customersByRuleCount.enumerated().filter { $0.element > 0 }
                        .map { "\(Figures.count($0.element)) by \($0.offset + 1)" }.joined(separator: ", ") + ")."]
        for pair in o.pairs.prefix(5) {
            lines.append("\(program.rules[pair.first].name) and \(program.rules[pair.second].name): \(plural(pair.customers, "customer"))")
        }
        return lines
    }

    var returns: Table {
        var t = Table(headers: ["group", "targeted", "returned", "rate", "held out", "returned", "rate"], numeric: [1, 2, 3, 4, 5, 6])
        func row(_ name: String, _ r: GroupReturns) -> [String] {
            [name, Figures.count(r.targeted.decisions), Figures.count(r.targeted.returned), Figures.rate(r.targeted.rate),
             Figures.count(r.heldOut.decisions), Figures.count(r.heldOut.returned), Figures.rate(r.heldOut.rate)]
        }
        t.rows.append(row("all rules", totals.returns))
        for outcome in result.campaigns where program.campaigns[outcome.campaign].holdout != nil {
            t.rows.append(row(program.campaigns[outcome.campaign].name, outcome.returns))
        }
        return t
    }

    var returnsNote: String {
        groupSizes + "A decision counts as returned when the customer would redeem its coupon (for a rule without coupons, ordered within "
            + "\(RedemptionEstimator.returnWindowDays) days). Nobody was really contacted, so both groups returned on their own: "
            + "a targeted rate well above the held-out rate means the rule picks customers who come back anyway."
    }

    /// How each campaign's two groups compare in size, against its holdout share: a
    /// rate over a much smaller or larger group than the share says is worth a second look.
    /// Empty when no campaign has a holdout.
    private var groupSizes: String {
        let parts = result.campaigns.compactMap { outcome -> String? in
            guard let percent = program.campaigns[outcome.campaign].holdout else { return nil }
            let sent = outcome.returns.targeted.decisions, held = outcome.returns.heldOut.decisions
            return "campaign \"\(program.campaigns[outcome.campaign].name)\" held out \(Figures.count(held)) against "
                + "\(Figures.count(sent)) targeted (\(Figures.share(held, of: sent + held)) of \(Figures.count(sent + held)) decisions, "
                + "holdout \(percent)%)"
        }
        guard !parts.isEmpty else { return "" }
        let budgeted = result.campaigns.contains { program.campaigns[$0.campaign].holdout != nil && program.campaigns[$0.campaign].budget != nil }
        return "Group sizes: " + parts.joined(separator: "; ") + ". "
            + (budgeted ? "Held-out decisions stop where the budget would have refused them, so both groups cover the same days. " : "")
    }

    var samples: [Samples] {
        let nameSlot = result.customers.columnIndex(named: "name")
        return result.rules.filter { !$0.samples.isEmpty }.map { outcome in
            let lines = outcome.samples.map { s -> String in
                var who = s.customerID
                if let slot = nameSlot, case .text(let name) = result.customers.columns[slot].values[s.customer] {
                    who += " " + ValueText.oneLine(name)
                }
                let why = s.reasons.map { "\($0.field) = \($0.value)" }.joined(separator: ", ")
                return "\(s.day)  \(who)" + (why.isEmpty ? "" : ": \(why)")
            }
            return Samples(rule: program.rules[outcome.rule].name, lines: lines)
        }
    }

    // MARK: Comparison

    var comparisonHeading: String { "Compared: \(labels.base) (base) with \(labels.compared) (--compare)" }

    func comparisonTotals(_ c: SimulationComparison) -> Table {
        var t = Table(headers: ["", "base", "compared", "difference"], numeric: [1, 2, 3])
        let (a, b) = c.totals
        t.rows = [
            ["decisions sent", Figures.count(a.decisionsSent), Figures.count(b.decisionsSent), Figures.signedCount(b.decisionsSent - a.decisionsSent)],
            ["customers reached", Figures.count(a.customersReached), Figures.count(b.customersReached),
             Figures.signedCount(b.customersReached - a.customersReached)],
            ["coupons issued", Figures.count(a.coupons.issued), Figures.count(b.coupons.issued), Figures.signedCount(b.coupons.issued - a.coupons.issued)],
            ["face value", Figures.money(a.coupons.faceValue), Figures.money(b.coupons.faceValue), difference(a.coupons.faceValue, b.coupons.faceValue)],
            ["estimated redemptions", Figures.count(a.coupons.redeemed), Figures.count(b.coupons.redeemed),
             Figures.signedCount(b.coupons.redeemed - a.coupons.redeemed)],
            ["estimated cost", Figures.money(a.coupons.cost), Figures.money(b.coupons.cost), difference(a.coupons.cost, b.coupons.cost)],
        ]
        return t
    }

    func comparisonRules(_ c: SimulationComparison) -> Table {
        var t = Table(headers: ["rule", "sent", "compared", "difference", "est. cost", "compared", "difference"], numeric: [1, 2, 3, 4, 5, 6])
        for d in c.rules {
            let sentA = d.base?.decisionsSent ?? 0, sentB = d.compared?.decisionsSent ?? 0
            let costA = d.base?.coupons.cost ?? .zero, costB = d.compared?.coupons.cost ?? .zero
            var name = d.name
            if d.base == nil { name += " (new)" } else if d.compared == nil { name += " (removed)" }
            t.rows.append([name, d.base.map { Figures.count($0.decisionsSent) } ?? "-", d.compared.map { Figures.count($0.decisionsSent) } ?? "-",
                           Figures.signedCount(sentB - sentA), d.base.map { Figures.money($0.coupons.cost) } ?? "-",
                           d.compared.map { Figures.money($0.coupons.cost) } ?? "-", difference(costA, costB)])
        }
        return t
    }

    /// How many customers gain or lose an action, and the first of them with what changes.
    func comparisonCustomers(_ c: SimulationComparison, limit: Int = 10) -> [String] {
        var lines = ["\(plural(c.customersGaining, "customer")) gain an action and \(Figures.count(c.customersLosing)) lose one."]
        for change in c.customers.prefix(limit) {
            let parts = change.gained.map { "+\($0.count) \(SimulationSections.describe($0.action))" }
                + change.lost.map { "-\($0.count) \(SimulationSections.describe($0.action))" }
            lines.append("\(change.customerID): " + parts.joined(separator: "; "))
        }
        if c.customers.count > limit { lines.append("... and \(Figures.count(c.customers.count - limit)) more (all of them in --format json)") }
        return lines
    }

    /// `coupon 20 via sms (VIP win-back)`.
    static func describe(_ a: SimulationComparison.Action) -> String {
        "\(a.action) \(a.value)" + (a.channel.isEmpty ? "" : " via \(a.channel)") + " (\(a.rule))"
    }

    private func difference(_ a: Number, _ b: Number) -> String {
        b.subtracting(a).map(Figures.signedMoney) ?? "-"
    }

    private func plural(_ n: Int, _ word: String) -> String { "\(Figures.count(n)) \(word)\(n == 1 ? "" : "s")" }
}
