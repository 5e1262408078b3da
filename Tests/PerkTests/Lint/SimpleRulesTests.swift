import XCTest

/// The lint rules that need no reasoning over conditions: one bad and one fixed example each.
final class UnlimitedCouponTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("when visit_count > 3 then send coupon 20 via sms").filter { $0.contains("P205") }, [
            "t.perk:1:27: warning[P205]: this coupon is sent every day the condition holds: the rule has no `limit` and no `every` | help: add `limit once per customer every 30 days`, or `limit once per customer`",
        ])
        XCTAssertEqual(lintWarnings("when visit_count > 3 then send coupon 20 via sms limit once per customer every 30 days").filter { $0.contains("P205") }, [])
    }
}

final class CampaignWithoutBudgetTests: XCTestCase {
    func testBadAndFixed() {
        let rule = "rule \"r\" when visit_count > 3 then send coupon 20 limit once per customer\n"
        XCTAssertEqual(lintWarnings(rule + "campaign \"Spring\" rules \"r\"").filter { $0.contains("P206") }, [
            "t.perk:2:10: warning[P206]: campaign \"Spring\" sends coupons but has no budget | help: add `budget 5000` (the total face value it may give away)",
        ])
        XCTAssertEqual(lintWarnings(rule + "campaign \"Spring\" budget 500 rules \"r\"").filter { $0.contains("P206") }, [])
    }
}

final class ChannelWithoutConsentTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"r\" when visit_count > 3 then send message \"hi\" via email").filter { $0.contains("P207") }, [
            "t.perk:1:36: warning[P207]: the customers data has no `email_opt_in` column, so consent for email cannot be checked: every matching customer is contacted | help: add an email_opt_in column (true or false) to the customers file, or send via a channel with consent",
        ])
        XCTAssertEqual(lintWarnings("rule \"r\" when visit_count > 3 then send message \"hi\" via wechat").filter { $0.contains("P207") }, [])
    }
}

final class NegationOverMissingTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("define lapsed = days_since_visit > 60\nrule \"r\" when member.open_complaints > 0 and not lapsed then tag \"x\"").filter { $0.contains("P208") }, [
            "t.perk:2:46: warning[P208]: customers with no days_since_visit are skipped: for them this negated test is unknown, not true | note: 1 customer has no days_since_visit in the data | help: say what you mean: add `days_since_visit is present and ...` to skip them, or `days_since_visit is missing or ...` to include them",
        ])
        XCTAssertEqual(lintWarnings("rule \"r\" when member.points != 5 then tag \"x\"").filter { $0.contains("P208") }.count, 1)
        XCTAssertEqual(lintWarnings("rule \"r\" when member.sugar_pref not in [\"less\"] then tag \"x\"").filter { $0.contains("P208") }.count, 1)
        // Guarded, or over fields no customer lacks: quiet.
        for fixed in [
            "define lapsed = days_since_visit > 60\nrule \"r\" when member.open_complaints > 0 and days_since_visit is present and not lapsed then tag \"x\"",
            "rule \"r\" when days_since_visit is missing or not (days_since_visit > 60) then tag \"x\"",
            "rule \"r\" when member.tier != VIP then tag \"x\"",
            "rule \"r\" when not (visit_count > 3) then tag \"x\"",
        ] {
            XCTAssertEqual(lintWarnings(fixed).filter { $0.contains("P208") }, [], fixed)
        }
    }
}

final class UnusedDefineTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("define regular = visit_count >= 4\nrule \"r\" when visit_count > 3 then tag \"x\"").filter { $0.contains("P209") }, [
            "t.perk:1:8: warning[P209]: define `regular` is never used | help: use it in a rule's `when`, or remove it",
        ])
        XCTAssertEqual(lintWarnings("define regular = visit_count >= 4\nrule \"r\" when regular then tag \"x\"").filter { $0.contains("P209") }, [])
    }
}

final class RuleWithoutActionsTests: XCTestCase {
    func testBadAndFixed() {
        XCTAssertEqual(lintWarnings("rule \"draft\" when visit_count > 3").filter { $0.contains("P210") }, [
            "t.perk:1:6: warning[P210]: rule \"draft\" has no actions | help: add what it should do, like `then send coupon 20`",
        ])
        XCTAssertEqual(lintWarnings("rule \"draft\" when visit_count > 3 then tag \"x\"").filter { $0.contains("P210") }, [])
    }
}

final class MatchesNobodyOrEverybodyTests: XCTestCase {
    func testBadAndFixedWithData() {
        XCTAssertEqual(lintWarnings("rule \"none\" when visit_count > 100 then tag \"x\"", dataGiven: true).filter { $0.contains("P211") }, [
            "t.perk:1:6: warning[P211]: rule \"none\" matches no customer on 2025-03-01 | help: check the condition against the data, for example in `perk repl`",
        ])
        XCTAssertEqual(lintWarnings("rule \"all\" when visit_count >= 0 then tag \"x\"", dataGiven: true).filter { $0.contains("P212") }, [
            "t.perk:1:6: warning[P212]: rule \"all\" matches every customer on 2025-03-01 | help: if that is intended, leave out `when`; otherwise narrow the condition",
        ])
        XCTAssertEqual(lintWarnings("rule \"some\" when visit_count > 1 then tag \"x\"", dataGiven: true).filter { $0.contains("P21") }, [])
        // Without data named by the user, nothing is counted.
        XCTAssertEqual(lintWarnings("rule \"none\" when visit_count > 100 then tag \"x\"").filter { $0.contains("P211") }, [])
    }
}
