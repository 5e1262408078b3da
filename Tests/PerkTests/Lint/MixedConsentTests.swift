import XCTest

final class MixedConsentTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"Birthday\" when birthday within 7 days then send message \"hb\" via sms, award points 50, set tier GOLD").filter { $0.contains("P215") }, [
            "t.perk:1:77: warning[P215]: customers without sms consent get none of this rule's actions: `award points 50`, `set tier GOLD` are lost with `send message \"hb\" via sms` | help: split the rule: keep `send message \"hb\" via sms` here and move `award points 50`, `set tier GOLD` to a rule of its own with the same `when` (a define shared by both keeps them in step)",
        ])
        // With data, how many of the customers it matches would lose them (C002 has sms_opt_in false, C003 none).
        XCTAssertEqual(lintWarnings("rule \"Regulars\" when visit_count >= 1 then send message \"hi\" via sms, award points 5", dataGiven: true)
            .filter { $0.contains("P215") }.map { $0.components(separatedBy: " | ")[1] }, [
            "note: on 2025-03-01 it matches 2 customers; 1 of them, without sms consent (`sms_opt_in` false or empty), would get nothing",
        ])
        for fixed in [
            "rule \"Birthday\" when birthday within 7 days then send message \"hb\" via sms\nrule \"Birthday points\" when birthday within 7 days then award points 50",
            // No consent column for email: everyone is contacted (P207), nobody loses the points.
            "rule \"Birthday\" when birthday within 7 days then send message \"hb\" via email, award points 50",
        ] {
            XCTAssertEqual(lintWarnings(fixed).filter { $0.contains("P215") }, [], fixed)
        }
    }
}
