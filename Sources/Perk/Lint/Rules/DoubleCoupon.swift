/// P204: two coupon rules that can both act for the same customer on the same
/// day: the customer gets two coupons. A `limit` or cooldown does not prevent
/// it, as each counts its own rule only (`limit once per customer` on both
/// still sends two coupons the first day a customer matches both); only one
/// `exclusive` campaign holding both, campaigns on different days, or
/// conditions that exclude each other keep them apart. With data, a real
/// customer who matches both on the day is named. Each rule is reported once,
/// with the first such partner.
struct DoubleCoupon: LintRule {
    static let code = LintCode.doubleCoupon

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let program = context.program
        let coupons = program.rules.indices.filter { program.rules[$0].sendsCoupon }
        for (bi, b) in coupons.enumerated() {
            for a in coupons[..<bi] where sameDayPossible(a, b, program) && !sameExclusiveCampaign(a, b, program) {
                guard context.canOverlap(a, b) else { continue }
                let ruleA = program.rules[a], ruleB = program.rules[b]
                var notes: [String] = []
                if let e = context.example(matchingAll: [a, b]), let day = context.day {
                    notes.append("e.g. \(e) would get both coupons on \(day)")
                } else if context.matched != nil, let day = context.day {
                    // The conditions allow it, though nobody in the data matches both today.
                    notes.append("no customer matches both on \(day), but a customer matching both conditions would get both coupons")
                } else {
                    notes.append("a customer matching both conditions would get both coupons on the same day")
                }
                if ruleA.lifetimeLimit != nil || ruleA.cooldown != nil || ruleB.lifetimeLimit != nil || ruleB.cooldown != nil {
                    notes.append("a `limit` or `every` counts its own rule's coupons only, not the other rule's")
                }
                diagnostics.append(context.warning(
                    Self.code, "rules \"\(ruleA.name)\" and \"\(ruleB.name)\" can both send a coupon to the same customer on the same day",
                    rule: b, help: "put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
                    notes: notes))
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
