import XCTest

final class ShadowedInExclusiveCampaignTests: XCTestCase {
    private let campaign = "campaign \"C\" exclusive budget 100 rules \"A\", \"B\"\n"

    func testLaterRuleCoveredByEarlierRuleIsReported() {
        let source = """
        rule "A" priority 5 when member.tier >= GOLD then send coupon 10 limit once per customer
        rule "B" when member.tier == VIP and visit_count > 1 then send coupon 5 limit once per customer
        \(campaign)
        """
        XCTAssertEqual(lintWarnings(source, dataGiven: true).filter { $0.contains("P203") }, [
            "t.perk:2:6: warning[P203]: rule \"B\" can never send its coupon in exclusive campaign \"C\" | note: rule \"A\" comes first (priority 5) and matches every customer this rule matches | note: e.g. C001 (王芳, VIP) matches both today and gets only \"A\" | help: give this rule a higher priority, or narrow the other rule's condition",
        ])
    }

    func testFixedByPriorityOrNarrowerConditionOrNoExclusivity() {
        let fixes = [
            // B now comes first.
            "rule \"A\" when member.tier >= GOLD then send coupon 10 limit once per customer\nrule \"B\" priority 5 when member.tier == VIP and visit_count > 1 then send coupon 5 limit once per customer\n" + campaign,
            // A no longer covers B.
            "rule \"A\" priority 5 when member.tier >= GOLD and visit_count > 5 then send coupon 10 limit once per customer\nrule \"B\" when member.tier == VIP and visit_count > 1 then send coupon 5 limit once per customer\n" + campaign,
            // Not exclusive: both may send.
            "rule \"A\" priority 5 when member.tier >= GOLD then send coupon 10 limit once per customer\nrule \"B\" when member.tier == VIP then send coupon 5 limit once per customer\ncampaign \"C\" budget 100 rules \"A\", \"B\"\n",
        ]
        for source in fixes {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P203") }, [], source)
        }
    }
}
