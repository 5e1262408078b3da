/// Formats an `ActionPlan` for `perk run`: an aligned table for people, CSV
/// (`customer_id,rule,action,value,channel`) and JSON for machines.
public struct PlanReport {
    public enum Format: String, CaseIterable, Sendable {
        case table, csv, json
    }

    public let plan: ActionPlan
    public let program: CheckedProgram
    public let customers: CustomerTable

    public init(plan: ActionPlan, program: CheckedProgram, customers: CustomerTable) {
        self.plan = plan
        self.program = program
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
        var w = CSVWriter(header: PlanReport.csvHeader)
        for e in plan.entries {
            w.row([e.customerID, program.rules[e.rule].name, e.action.name, e.action.valueText, e.action.channel?.rawValue ?? ""])
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
        var t = TextTable(headers: headers)
        for e in plan.entries.prefix(maxRows ?? plan.entries.count) {
            var row = [e.customerID]
            if let slot = nameSlot { row.append(customers.columns[slot].values[e.customer].display(as: .text).replacingOccurrences(of: "\n", with: " ")) }
            row += [program.rules[e.rule].name, e.action.name, e.action.valueText, e.action.channel?.rawValue ?? ""]
            t.add(row)
        }
        var out = "Action plan for \(plan.day)\n\n"
        out += plan.entries.isEmpty ? "No actions: no rule matched a customer.\n" : t.rendered()
        if let maxRows, plan.entries.count > maxRows { out += "… and \(plan.entries.count - maxRows) more actions\n" }
        out += "\n" + summary()
        return out
    }

    /// One line per rule with its counts, then what was held back and why.
    public func summary() -> String {
        var out = ""
        let customersReached = Set(plan.entries.map(\.customer)).count
        out += "\(PlanReport.count(plan.entries.count, "action")) for \(PlanReport.count(customersReached, "customer")) "
        out += "(of \(PlanReport.grouped(plan.customersEvaluated))).\n"
        var perRule: [Int: Set<Int>] = [:]
        for e in plan.entries { perRule[e.rule, default: []].insert(e.customer) }
        var t = TextTable(headers: ["rule", "customers"], rightAligned: [1])
        for (i, rule) in program.rules.enumerated() {
            var label = rule.name
            if let c = rule.campaign, plan.inactiveCampaigns.contains(c) { label += " (campaign not running)" }
            t.add([label, PlanReport.grouped(perRule[i]?.count ?? 0)])
        }
        out += "\n" + t.rendered()
        let held: [(DecisionStatus, String)] = [
            (.heldOut, "held out as a control group"), (.skippedConsent, "skipped: no consent for the channel"),
            (.skippedContactCap, "skipped: contact policy reached"),
            (.skippedExclusive, "skipped: already had a coupon from an exclusive campaign"),
            (.skippedBudget, "skipped: campaign budget used up"),
        ]
        let notes = held.compactMap { status, words -> String? in
            guard let n = plan.statusCounts[status], n > 0 else { return nil }
            return "\(PlanReport.grouped(n)) \(words)"
        }
        if !notes.isEmpty { out += "\n" + notes.joined(separator: "\n") + "\n" }
        for c in plan.inactiveCampaigns {
            let campaign = program.campaigns[c]
            let dates = "\(campaign.from.map(\.description) ?? "…") to \(campaign.to.map(\.description) ?? "…")"
            out += "Campaign \"\(campaign.name)\" runs \(dates), not on \(plan.day); its rules were not evaluated.\n"
        }
        return out
    }

    public func json() -> JSON {
        let actions = plan.entries.map { e -> JSON in
            .object([
                ("customer_id", .string(e.customerID)),
                ("rule", .string(program.rules[e.rule].name)),
                ("action", .string(e.action.name)),
                ("value", .string(e.action.valueText)),
                ("channel", .optional(e.action.channel?.rawValue)),
                ("details", PlanReport.details(e.action)),
            ])
        }
        let statuses = DecisionStatus.allCases.map { ($0.rawValue, JSON.int(plan.statusCounts[$0] ?? 0)) }
        return .object([
            ("as_of", .string(plan.day.description)),
            ("customers_evaluated", .int(plan.customersEvaluated)),
            ("actions", .array(actions)),
            ("decisions", .object(statuses)),
            ("inactive_campaigns", .array(plan.inactiveCampaigns.map { .string(program.campaigns[$0].name) })),
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

    static func count(_ n: Int, _ word: String) -> String { "\(grouped(n)) \(word)\(n == 1 ? "" : "s")" }

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
