/// P206: a campaign that sends coupons but has no `budget`, so nothing caps its cost.
struct CampaignWithoutBudget: LintRule {
    static let code = LintCode.campaignWithoutBudget

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let program = context.program
        for campaign in program.campaigns where campaign.budget == nil && campaign.rules.contains(where: { program.rules[$0].sendsCoupon }) {
            diagnostics.append(.warning(Self.code, "campaign \"\(campaign.name)\" sends coupons but has no budget", in: campaign.file,
                                        campaign.nameRange, help: "add `budget 5000` (the total face value it may give away)"))
        }
    }
}
