import XCTest

final class NeverTrueTests: XCTestCase {
    func testContradictionsAreReported() {
        let cases: [(String, String)] = [
            ("when days_since_visit > 30 and days_since_visit < 10 then tag \"a\"",
             "t.perk:1:32: warning[P201]: this condition can never be true: `days_since_visit < 10` contradicts `days_since_visit > 30` | help: the rule \"t.perk:1\" would never act; check the numbers"),
            ("when member.tier == VIP and member.tier == GOLD then tag \"a\"",
             "t.perk:1:29: warning[P201]: this condition can never be true: `member.tier == GOLD` contradicts `member.tier == VIP` | help: the rule \"t.perk:1\" would never act; check the numbers"),
            ("when member.points between 20 and 10 then tag \"a\"",
             "t.perk:1:6: warning[P201]: this range is empty: its low end is above its high end | help: `between` takes the low end first, like `between 10 and 20`"),
            ("when visit_count > 3 and visit_count < 4 then tag \"a\"",
             "t.perk:1:26: warning[P201]: this condition can never be true: `visit_count < 4` contradicts `visit_count > 3` | help: the rule \"t.perk:1\" would never act; check the numbers"),
            ("when member.tier > VIP then tag \"a\"",
             "t.perk:1:6: warning[P201]: this condition can never be true: `member.tier > VIP` leaves no possible value | help: the rule \"t.perk:1\" would never act; check the numbers"),
            ("when member.sugar_pref in [\"less\", \"half\"] and member.sugar_pref == \"normal\" then tag \"a\"",
             "t.perk:1:48: warning[P201]: this condition can never be true: `member.sugar_pref == \"normal\"` contradicts `member.sugar_pref == \"less\"` | help: the rule \"t.perk:1\" would never act; check the numbers"),
            ("define lapsed = days_since_visit > 60\nwhen lapsed and days_since_visit <= 60 then tag \"a\"",
             "t.perk:2:17: warning[P201]: this condition can never be true: `days_since_visit <= 60` contradicts `days_since_visit > 60` | help: the rule \"t.perk:2\" would never act; check the numbers"),
            ("when (today - 30 days) > last_visit and not ((today - 30 days) > last_visit) then tag \"a\"",
             "t.perk:1:45: warning[P201]: this condition can never be true: `not ((today - 30 days) > last_visit)` contradicts `(today - 30 days) > last_visit` | help: the rule \"t.perk:1\" would never act; check the numbers"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P201") }, [expected], source)
        }
    }

    func testSatisfiableConditionsAreQuiet() {
        for source in [
            "when days_since_visit > 10 and days_since_visit < 30 then tag \"a\"",
            "when member.tier == VIP or member.tier == GOLD then tag \"a\"",
            "when member.points between 10 and 20 then tag \"a\"",
            "when member.points > 3 and member.points < 4 then tag \"a\"", // points may be fractional
            "when member.tier in [GOLD, VIP] and member.tier != GOLD then tag \"a\"",
            "when (days_since_visit > 30 and days_since_visit < 10) or visit_count > 2 then tag \"a\"",
        ] {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P201") }, [], source)
        }
    }
}
