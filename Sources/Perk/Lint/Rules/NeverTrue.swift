/// P201: a condition that can never be true, such as
/// `days_since_visit > 30 and days_since_visit < 10`: the rule would never act.
struct NeverTrue: LintRule {
    static let code = LintCode.neverTrue

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, dnf) in context.conditions.enumerated() {
            guard let dnf, !dnf.isEmpty, dnf.allSatisfy({ !Satisfiability.holds($0) }),
                  let conflict = Satisfiability.conflict(in: dnf[0]) else { continue }
            let message: String
            var help = "the rule \"\(context.program.rules[r].name)\" would never act; check the numbers"
            if let other = conflict.with.last, other.range != conflict.atom.range {
                message = "this condition can never be true: `\(conflict.atom.description)` contradicts `\(other.description)`"
            } else if conflict.with.contains(where: { $0.range == conflict.atom.range }) {
                // Both ends of one `between`: the range is backwards.
                message = "this range is empty: its low end is above its high end"
                help = "`between` takes the low end first, like `between 10 and 20`"
            } else {
                message = "this condition can never be true: `\(conflict.atom.description)` leaves no possible value"
            }
            diagnostics.append(context.warning(Self.code, message, rule: r, at: conflict.atom.range, help: help))
        }
    }
}
