import XCTest

final class AlwaysTrueOrRedundantTests: XCTestCase {
    func testAlwaysTrueAndRedundantComparisons() {
        let cases: [(String, String)] = [
            ("when visit_count > 30 and visit_count > 10 then tag \"a\"",
             "t.perk:1:27: warning[P202]: `visit_count > 10` is redundant: `visit_count > 30` already implies it | help: remove it, or check whether the other comparison is the one you meant"),
            ("when member.tier >= MEMBER then tag \"a\"",
             "t.perk:1:6: warning[P202]: this condition is always true for customers who have these fields | help: if the rule is meant for everyone, leave out `when`; otherwise check the comparison"),
            ("when total_spend > 100 or total_spend <= 100 then tag \"a\"",
             "t.perk:1:6: warning[P202]: this condition is always true for customers who have these fields | help: if the rule is meant for everyone, leave out `when`; otherwise check the comparison"),
            ("when member.tier in [GOLD, VIP] and member.tier >= SILVER then tag \"a\"",
             "t.perk:1:37: warning[P202]: `member.tier >= SILVER` is redundant: `member.tier in [GOLD, VIP]` already implies it | help: remove it, or check whether the other comparison is the one you meant"),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P202") }.first, expected, source)
        }
    }

    func testFixedConditionsAreQuiet() {
        for source in [
            "when visit_count > 30 and total_spend > 10 then tag \"a\"",
            "when member.tier >= SILVER then tag \"a\"",
            "when member.points between 10 and 20 then tag \"a\"",
            "rule \"everyone\" then tag \"a\"",
        ] {
            XCTAssertEqual(lintWarnings(source).filter { $0.contains("P202") }, [], source)
        }
    }
}
