/// P211 and P212, with data only: a rule whose condition holds for no
/// customer today, or for every customer.
struct MatchesNobodyOrEverybody: LintRule {
    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        guard let counts = context.matchCounts, let data = context.data, let day = context.day, data.customers.count > 0 else { return }
        for (r, n) in counts.enumerated() {
            let rule = context.program.rules[r]
            if case .constant = rule.condition.node { continue }
            // Its count left out the customers it could not be evaluated for (an error already says so).
            if context.failures.contains(where: { $0.rule == rule.name }) { continue }
            if n == 0 {
                diagnostics.append(context.warning(LintCode.matchesNobody, "rule \"\(rule.name)\" matches no customer on \(day)", rule: r,
                                                   help: "check the condition against the data, for example in `perk repl`"))
            } else if n == data.customers.count {
                diagnostics.append(context.warning(LintCode.matchesEverybody, "rule \"\(rule.name)\" matches every customer on \(day)", rule: r,
                                                   help: "if that is intended, leave out `when`; otherwise narrow the condition"))
            }
        }
    }
}
