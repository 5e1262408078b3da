/// P203: in an `exclusive` campaign, a coupon rule that can never send because
/// a rule before it matches every customer it matches, and takes the day's coupon.
/// Only rules of the same campaign are compared, and only when the earlier
/// rule tests no field the later one does not (otherwise it cannot cover it):
/// the cost is pairs within a campaign, filtered by their fields.
struct ShadowedInExclusiveCampaign: LintRule {
    static let code = LintCode.shadowedInExclusiveCampaign

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let program = context.program
        for campaign in program.campaigns where campaign.exclusive {
            let coupons = campaign.rules.filter { program.rules[$0].sendsCoupon }
            let fields = coupons.map { context.conditions[$0].map(ConditionModel.variables) }
            for (bi, b) in coupons.enumerated() {
                guard let bFields = fields[bi] else { continue }
                for (ai, a) in coupons.enumerated() where ai < bi {
                    guard let aFields = fields[ai], aFields.isSubset(of: bFields), context.implies(b, a) else { continue }
                    var notes = ["rule \"\(program.rules[a].name)\" comes first (priority \(program.rules[a].priority)) and matches every customer this rule matches"]
                    if let e = context.example(matchingAll: [b]) { notes.append("e.g. \(e) matches both today and gets only \"\(program.rules[a].name)\"") }
                    diagnostics.append(context.warning(
                        Self.code, "rule \"\(program.rules[b].name)\" can never send its coupon in exclusive campaign \"\(campaign.name)\"",
                        rule: b, help: "give this rule a higher priority, or narrow the other rule's condition", notes: notes))
                    break
                }
            }
        }
    }
}
