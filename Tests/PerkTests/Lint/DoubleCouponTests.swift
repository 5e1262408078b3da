import XCTest

final class DoubleCouponTests: XCTestCase {
    func testTwoUnlimitedCouponRulesThatCanOverlap() {
        let source = """
        rule "Loyal" when visit_count >= 3 then send coupon 5
        rule "VIP" when member.tier == VIP then send coupon 10
        """
        XCTAssertEqual(lintWarnings(source, dataGiven: true).filter { $0.contains("P204") }, [
            "t.perk:2:6: warning[P204]: rules \"Loyal\" and \"VIP\" can both send a coupon to the same customer on the same day | note: e.g. C001 (王芳, VIP) would get both coupons on 2025-03-01 | help: put both rules in one `exclusive` campaign, or give them a `limit`",
        ])
    }

    func testQuietWhenExclusiveLimitedDisjointOrOnDifferentDays() {
        let fixes = [
            "rule \"Loyal\" when visit_count >= 3 then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10\ncampaign \"C\" exclusive budget 50 rules \"Loyal\", \"VIP\"",
            "rule \"Loyal\" when visit_count >= 3 then send coupon 5 limit once per customer\nrule \"VIP\" when member.tier == VIP then send coupon 10 every 30 days",
            "rule \"Loyal\" when member.tier == GOLD then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10",
            "rule \"Loyal\" when visit_count >= 3 then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10\ncampaign \"March\" from 2025-03-01 to 2025-03-31 budget 9 rules \"Loyal\"\ncampaign \"April\" from 2025-04-01 to 2025-04-30 budget 9 rules \"VIP\"",
        ]
        for source in fixes {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P204") }, [], source)
        }
    }
}
