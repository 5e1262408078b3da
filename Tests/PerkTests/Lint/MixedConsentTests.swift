import XCTest

final class MixedConsentTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"Birthday\" when birthday within 7 days then send message \"hb\" via sms, award points 50, set tier GOLD").filter { $0.contains("P215") }, [
            "t.perk:1:77: warning[P215]: customers without sms consent get none of this rule's actions: `award points 50`, `set tier GOLD` are lost with `send message \"hb\" via sms` | help: split the rule: keep `send message \"hb\" via sms` here and move `award points 50`, `set tier GOLD` to a rule of its own with the same `when` (a define shared by both keeps them in step)",
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
