import XCTest

final class DoubleCouponTests: XCTestCase {
    func testTwoUnlimitedCouponRulesThatCanOverlap() {
        let source = """
        rule "Loyal" when visit_count >= 3 then send coupon 5
        rule "VIP" when member.tier == VIP then send coupon 10
        """
        XCTAssertEqual(lintWarnings(source, dataGiven: true).filter { $0.contains("P204") }, [
            "t.perk:2:6: warning[P204]: rules \"Loyal\" and \"VIP\" can both send a coupon to the same customer on the same day | note: e.g. C001 (王芳, VIP) would get both coupons on 2025-03-01 | help: put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
        ])
    }

    /// A limit counts its own rule only: a lapsed VIP gets both coupons the first day.
    func testLimitsDoNotKeepTwoCouponRulesApart() {
        let source = """
        rule "VIP treat" when member.tier == VIP then send coupon 10 limit once per customer
        rule "Lapsed" when days_since_visit >= 1 then send coupon 5 limit once per customer
        rule "Lapsed VIP" when member.tier == VIP and days_since_visit > 300 then send coupon 5 every 30 days
        """
        XCTAssertEqual(lintWarnings(source, dataGiven: true).filter { $0.contains("P204") }, [
            "t.perk:2:6: warning[P204]: rules \"VIP treat\" and \"Lapsed\" can both send a coupon to the same customer on the same day | note: e.g. C001 (王芳, VIP) would get both coupons on 2025-03-01 | note: a `limit` or `every` counts its own rule's coupons only, not the other rule's | help: put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
            "t.perk:3:6: warning[P204]: rules \"VIP treat\" and \"Lapsed VIP\" can both send a coupon to the same customer on the same day | note: no customer matches both on 2025-03-01, but a customer matching both conditions would get both coupons | note: a `limit` or `every` counts its own rule's coupons only, not the other rule's | help: put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
        ])
        // Without data, the same warning, naming nobody.
        XCTAssertEqual(lintWarnings(source).filter { $0.contains("P204") }, [
            "t.perk:2:6: warning[P204]: rules \"VIP treat\" and \"Lapsed\" can both send a coupon to the same customer on the same day | note: a customer matching both conditions would get both coupons on the same day | note: a `limit` or `every` counts its own rule's coupons only, not the other rule's | help: put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
            "t.perk:3:6: warning[P204]: rules \"VIP treat\" and \"Lapsed VIP\" can both send a coupon to the same customer on the same day | note: a customer matching both conditions would get both coupons on the same day | note: a `limit` or `every` counts its own rule's coupons only, not the other rule's | help: put both rules in one `exclusive` campaign, or add a condition that keeps them apart (`and not ...`)",
        ])
    }

    func testQuietWhenExclusiveDisjointOrOnDifferentDays() {
        let fixes = [
            "rule \"Loyal\" when visit_count >= 3 then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10\ncampaign \"C\" exclusive budget 50 rules \"Loyal\", \"VIP\"",
            "rule \"Loyal\" when member.tier == GOLD then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10",
            "rule \"Loyal\" when visit_count >= 3 then send coupon 5\nrule \"VIP\" when member.tier == VIP then send coupon 10\ncampaign \"March\" from 2025-03-01 to 2025-03-31 budget 9 rules \"Loyal\"\ncampaign \"April\" from 2025-04-01 to 2025-04-30 budget 9 rules \"VIP\"",
        ]
        for source in fixes {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P204") }, [], source)
        }
    }
}
