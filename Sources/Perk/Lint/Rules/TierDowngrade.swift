/// P214: `set tier GOLD` in a rule whose condition lets in customers above
/// GOLD: a VIP who matches is moved down. `set tier` sets, it does not raise,
/// so the condition must keep out the higher tiers (`member.tier < GOLD`).
/// Decided by reasoning over the condition: the rule's condition and
/// `member.tier > GOLD` can both hold. With data, a real customer is named.
struct TierDowngrade: LintRule {
    static let code = LintCode.tierDowngrade

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        guard let tier = context.program.schema.customerField("tier"), case .enumeration(let order) = tier.type else { return }
        for (r, rule) in context.program.rules.enumerated() {
            guard let dnf = context.conditions[r] else { continue }
            for action in rule.actions {
                guard case .setTier(let target, let name) = action.kind, Int(target) + 1 < order.cases.count else { continue }
                let above = Atom(variable: "member.tier", test: .compare(.gt, .ordered(Number(Int(target)), kind: .enumeration(order), integral: true)),
                                 range: action.range)
                guard dnf.contains(where: { Satisfiability.holds($0 + [above]) }) else { continue }
                let higher = order.cases[(Int(target) + 1)...].joined(separator: ", ")
                var notes: [String] = []
                if let example = example(context, rule: r, slot: tier.slot, above: target), let day = context.day {
                    notes.append("e.g. \(example) matches on \(day)")
                }
                diagnostics.append(context.warning(
                    Self.code, "`set tier \(name)` would lower the tier of customers above \(name) (\(higher)) whom this rule matches",
                    rule: r, at: action.range,
                    help: "add `and member.tier < \(name)` to the condition, so the rule only raises tiers", notes: notes))
            }
        }
    }

    /// The first customer the rule matches on the day whose tier is above `target`.
    private func example(_ context: LintContext, rule r: Int, slot: Int, above target: Int32) -> String? {
        guard let matched = context.matched, let data = context.data else { return nil }
        let tiers = data.customers.columns[slot].values
        for c in 0..<data.customers.count where matched[r][c] {
            if case .symbol(let t) = tiers[c], t > target { return context.describe(customer: c) }
        }
        return nil
    }
}
