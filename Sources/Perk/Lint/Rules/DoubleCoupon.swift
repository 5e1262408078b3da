/// P204: two coupon rules that can both act for the same customer on the same
/// day, neither with a `limit` nor in one `exclusive` campaign: the customer
/// gets two coupons. Each rule is reported once, with the first such partner.
struct DoubleCoupon: LintRule {
    static let code = LintCode.doubleCoupon

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let program = context.program
        let unlimited = program.rules.indices.filter { r in
            let rule = program.rules[r]
            return rule.sendsCoupon && rule.lifetimeLimit == nil && rule.cooldown == nil
        }
        for (bi, b) in unlimited.enumerated() {
            for a in unlimited[..<bi] where sameDayPossible(a, b, program) && !sameExclusiveCampaign(a, b, program) {
                guard context.canOverlap(a, b) else { continue }
                var notes: [String] = []
                if let e = context.example(matchingAll: [a, b]), let day = context.day {
                    notes.append("e.g. \(e) would get both coupons on \(day)")
                }
                diagnostics.append(context.warning(
                    Self.code, "rules \"\(program.rules[a].name)\" and \"\(program.rules[b].name)\" can both send a coupon to the same customer on the same day",
                    rule: b, help: "put both rules in one `exclusive` campaign, or give them a `limit`", notes: notes))
                break
            }
        }
    }

    private func sameExclusiveCampaign(_ a: Int, _ b: Int, _ program: CheckedProgram) -> Bool {
        guard let ca = program.rules[a].campaign, ca == program.rules[b].campaign else { return false }
        return program.campaigns[ca].exclusive
    }

    /// False when the two rules' campaigns never run on the same day.
    private func sameDayPossible(_ a: Int, _ b: Int, _ program: CheckedProgram) -> Bool {
        guard let ca = program.rules[a].campaign, let cb = program.rules[b].campaign else { return true }
        let x = program.campaigns[ca], y = program.campaigns[cb]
        if let xTo = x.to, let yFrom = y.from, xTo < yFrom { return false }
        if let yTo = y.to, let xFrom = x.from, yTo < xFrom { return false }
        return true
    }
}
