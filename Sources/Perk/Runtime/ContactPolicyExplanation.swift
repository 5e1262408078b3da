/// `perk explain`'s reason for a decision a contact policy stopped, apart from
/// the other reasons because the policy, not the rule, says what stopped it.
extension Explainer {
    /// Names the policy as written and where, and the contacts that used it up.
    /// The policy that stopped the rule takes no contact after it, so the days
    /// the engine holds once the day is decided are those it held then.
    func contactCapReason(policy p: Int?, customer: Int, engine: DecisionEngine) -> String {
        guard let p else { return "a contact policy is used up" }
        let policy = program.contactPolicies[p]
        let line = policy.file.lineColumn(of: policy.range.start).line
        return "the contact policy \"\(policy.text)\" (\(policy.file.path):\(line)) is used up: "
            + "contacted on \(Explainer.days(engine.contactDays(policy: p, customer: customer)))"
    }

    /// `2025-06-01 and 2025-06-20 (twice)`: days in order, a repeated day once with how often.
    static func days(_ days: [LocalDate]) -> String {
        var counted: [(LocalDate, Int)] = []
        for d in days {
            if counted.last?.0 == d { counted[counted.count - 1].1 += 1 } else { counted.append((d, 1)) }
        }
        let shown = counted.map { d, n in "\(d)" + (n == 1 ? "" : n == 2 ? " (twice)" : " (\(n) times)") }
        return shown.count > 1 ? shown.dropLast().joined(separator: ", ") + " and " + shown[shown.count - 1] : shown.first ?? ""
    }
}
