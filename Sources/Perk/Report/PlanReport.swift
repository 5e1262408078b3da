/// Formats a day's action plan for `perk run`: an aligned table for people,
/// CSV (`customer_id,rule,action,value,channel`, then `coupon_code` with a
/// journal) and JSON for machines.
///
/// A plan comes either from an `ActionPlan` just made, or from a day already
/// committed to the journal, printed again as it was committed; both become
/// the same rows, so they print alike.
public struct PlanReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, csv, json
    }

    /// One action for one customer.
    public struct Row: Sendable {
        public var customerID: String
        /// The customer's row in the data, for their name; nil when they are not in it.
        public var customer: Int?
        public var rule: String
        public var action: String
        public var value: String
        public var channel: String
        /// The action's parts for programs; nil when the rule that sent it has changed.
        public var details: JSON?
        public var couponCode: String?
    }

    public var day: LocalDate
    public var rows: [Row]
    /// How many decisions ended in each status.
    public var statusCounts: [DecisionStatus: Int]
    /// Every rule, in run order, with what the summary notes after its name.
    public var rules: [(name: String, note: String?)]
    /// Campaigns whose dates do not include the day.
    public var inactiveCampaigns: [CheckedCampaign]
    /// Nil for a plan printed from the journal, which does not record it.
    public var customersEvaluated: Int?
    /// With a journal: a last column with each sent coupon's code.
    public var showsCouponCodes: Bool
    public let customers: CustomerTable

    public init(plan: ActionPlan, program: CheckedProgram, customers: CustomerTable, showsCouponCodes: Bool = false) {
        day = plan.day
        rows = plan.entries.map { e in
            Row(customerID: e.customerID, customer: e.customer, rule: program.rules[e.rule].name, action: e.action.name,
                value: e.action.valueText, channel: e.action.channel?.rawValue ?? "", details: PlanReport.details(e.action),
                couponCode: e.couponCode?.description)
        }
        statusCounts = plan.statusCounts
        inactiveCampaigns = plan.inactiveCampaigns.map { program.campaigns[$0] }
        rules = program.rules.map { rule in
            (rule.name, rule.campaign.flatMap { plan.inactiveCampaigns.contains($0) ? "campaign not running" : nil })
        }
        customersEvaluated = plan.customersEvaluated
        self.showsCouponCodes = showsCouponCodes
        self.customers = customers
    }

    /// A day as the journal holds it. Actions whose rule is unchanged get
    /// their details from it; rules the journal names that no file defines
    /// now are listed after the others.
    public init(committed journalRows: [JournalRow], day: LocalDate, program: CheckedProgram, customers: CustomerTable) {
        self.day = day
        var statusCounts: [DecisionStatus: Int] = [:]
        var rows: [Row] = []
        var previous: (String, String)?
        for r in journalRows {
            if previous.map({ $0 != (r.customerID, r.rule) }) ?? true { statusCounts[r.status, default: 0] += 1 }
            previous = (r.customerID, r.rule)
            guard r.status == .sent, !r.action.isEmpty else { continue }
            let action = program.ruleIndex(named: r.rule).flatMap { i in
                program.rules[i].actions.first { $0.name == r.action && $0.valueText == r.value && ($0.channel?.rawValue ?? "") == r.channel }
            }
            rows.append(Row(customerID: r.customerID, customer: customers.index(of: r.customerID), rule: r.rule, action: r.action,
                            value: r.value, channel: r.channel, details: action.map(PlanReport.details),
                            couponCode: r.couponCode.isEmpty ? nil : r.couponCode))
        }
        self.rows = rows
        self.statusCounts = statusCounts
        let inactive = program.campaigns.filter { !$0.isActive(on: day) }
        inactiveCampaigns = inactive
        let known = Set(program.rules.map(\.name))
        var rules: [(name: String, note: String?)] = program.rules.map { rule in
            (rule.name, rule.campaign.flatMap { program.campaigns[$0].isActive(on: day) ? nil : "campaign not running" })
        }
        for r in journalRows where !known.contains(r.rule) && !rules.contains(where: { $0.name == r.rule }) {
            rules.append((r.rule, "no longer in the rules"))
        }
        self.rules = rules
        customersEvaluated = nil
        showsCouponCodes = true
        self.customers = customers
    }

    public func rendered(_ format: Format) -> String {
        switch format {
        case .table: return table()
        case .csv: return csv()
        case .json: return json().rendered() + "\n"
        }
    }

    public static let csvHeader = ["customer_id", "rule", "action", "value", "channel"]

    public func csv() -> String {
        var w = CSVWriter(header: PlanReport.csvHeader + (showsCouponCodes ? ["coupon_code"] : []))
        for r in rows {
            w.row([r.customerID, r.rule, r.action, r.value, r.channel] + (showsCouponCodes ? [r.couponCode ?? ""] : []))
        }
        return w.text
    }

    /// With `maxRows`, only the first rows are listed and a line says how many
    /// more there are (the REPL's preview); the summary always counts them all.
    public func table(maxRows: Int? = nil) -> String {
        let nameSlot = customers.columnIndex(named: "name")
        var headers = ["customer_id"]
        if nameSlot != nil { headers.append("name") }
        headers += ["rule", "action", "value", "channel"]
        if showsCouponCodes { headers.append("coupon_code") }
        var t = TextTable(headers: headers)
        for r in rows.prefix(maxRows ?? rows.count) {
            var row = [r.customerID]
            if let slot = nameSlot {
                let name = r.customer.map { customers.columns[slot].values[$0].display(as: .text) } ?? ""
                row.append(ValueText.oneLine(name))
            }
            row += [r.rule, r.action, r.value, r.channel]
            if showsCouponCodes { row.append(r.couponCode ?? "") }
            t.add(row)
        }
        var out = "Action plan for \(day)\n\n"
        out += rows.isEmpty ? "No actions: no rule matched a customer.\n" : t.rendered()
        if let maxRows, rows.count > maxRows { out += "… and \(rows.count - maxRows) more actions\n" }
        out += "\n" + summary()
        // The summary names rules and campaigns as written.
        return DisplayText.escaped(out, keepingLineBreaks: true)
    }

    /// One line per rule with its counts, then what was held back and why.
    public func summary() -> String {
        var out = ""
        let customersReached = Set(rows.map(\.customerID)).count
        out += "\(PlanReport.count(rows.count, "action")) for \(PlanReport.count(customersReached, "customer"))"
        out += customersEvaluated.map { " (of \(PlanReport.grouped($0)))." } ?? ", as committed."
        out += "\n"
        var perRule: [String: Set<String>] = [:]
        for r in rows { perRule[r.rule, default: []].insert(r.customerID) }
        var t = TextTable(headers: ["rule", "customers"], rightAligned: [1])
        for (name, note) in rules {
            t.add([name + (note.map { " (\($0))" } ?? ""), PlanReport.grouped(perRule[name]?.count ?? 0)])
        }
        out += "\n" + t.rendered()
        let held: [(DecisionStatus, String)] = [
            (.heldOut, "held out as a control group"), (.skippedConsent, "skipped: no consent for the channel"),
            (.skippedContactCap, "skipped: contact policy reached"),
            (.skippedExclusive, "skipped: already had a coupon from an exclusive campaign"),
            (.skippedBudget, "skipped: campaign budget used up"),
        ]
        let notes = held.compactMap { status, words -> String? in
            guard let n = statusCounts[status], n > 0 else { return nil }
            return "\(PlanReport.grouped(n)) \(words)"
        }
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        for campaign in inactiveCampaigns {
            let dates = "\(campaign.from.map(\.description) ?? "…") to \(campaign.to.map(\.description) ?? "…")"
            out += "Campaign \"\(campaign.name)\" runs \(dates), not on \(day); its rules were not evaluated.\n"
        }
        return out
    }

    public func json() -> JSON {
        let actions = rows.map { r -> JSON in
            var fields: [(String, JSON)] = [
                ("customer_id", .string(r.customerID)),
                ("rule", .string(r.rule)),
                ("action", .string(r.action)),
                ("value", .string(r.value)),
                ("channel", r.channel.isEmpty ? .null : .string(r.channel)),
                ("details", r.details ?? .null),
            ]
            if showsCouponCodes { fields.append(("coupon_code", .optional(r.couponCode))) }
            return .object(fields)
        }
        let statuses = DecisionStatus.allCases.map { ($0.rawValue, JSON.int(statusCounts[$0] ?? 0)) }
        return .object([
            ("as_of", .string(day.description)),
            ("customers_evaluated", customersEvaluated.map(JSON.int) ?? .null),
            ("actions", .array(actions)),
            ("decisions", .object(statuses)),
            ("inactive_campaigns", .array(inactiveCampaigns.map { .string($0.name) })),
        ])
    }

    /// The action's parts as separate fields, for programs that act on the plan.
    static func details(_ a: CheckedAction) -> JSON {
        switch a.kind {
        case .coupon(let c):
            var fields: [(String, JSON)] = []
            switch c.value {
            case .amount(let n): fields += [("kind", .string("amount")), ("amount", .exact(n))]
            case .percent(let p, let max): fields += [("kind", .string("percent")), ("percent", .exact(p)), ("max", max.map(JSON.exact) ?? .null)]
            case .named(let name, let worth): fields += [("kind", .string("named")), ("name", .string(name)), ("worth", .exact(worth))]
            }
            fields += [("face_value", .exact(c.faceValue)), ("valid_days", .int(c.validDays)), ("min_spend", c.minSpend.map(JSON.exact) ?? .null)]
            return .object(fields)
        case .multiplyPoints(let factor, let days):
            return .object([("factor", .exact(factor)), ("days", .int(days))])
        case .awardPoints(let n):
            return .object([("points", .exact(n))])
        default:
            return .object([])
        }
    }

    public static func count(_ n: Int, _ word: String) -> String { "\(grouped(n)) \(word)\(n == 1 ? "" : "s")" }

    /// 12345 → "12,345".
    public static func grouped(_ n: Int) -> String {
        let digits = String(n.magnitude)
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0, (digits.count - i) % 3 == 0 { out += "," }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }
}
