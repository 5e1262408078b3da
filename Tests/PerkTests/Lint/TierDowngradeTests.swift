import XCTest

final class TierDowngradeTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"Gold up\" when visit_count >= 1 then set tier GOLD", dataGiven: true).filter { $0.contains("P214") }, [
            "t.perk:1:43: warning[P214]: `set tier GOLD` would lower the tier of customers above GOLD (VIP) whom this rule matches | note: e.g. C001 (王芳, VIP) matches on 2025-03-01 | help: add `and member.tier < GOLD` to the condition, so the rule only raises tiers",
        ])
        for fixed in [
            "rule \"Gold up\" when visit_count >= 1 and member.tier < GOLD then set tier GOLD",
            "rule \"Gold up\" when member.tier == SILVER then set tier GOLD",
            "rule \"Top\" when visit_count >= 1 then set tier VIP",
        ] {
            XCTAssertEqual(lintWarnings(fixed).filter { $0.contains("P214") }, [], fixed)
        }
    }
}
