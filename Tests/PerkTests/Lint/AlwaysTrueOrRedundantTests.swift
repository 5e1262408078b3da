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

extension AlwaysTrueOrRedundantTests {
    /// A generated chain of many tests on one variable is reasoned about
    /// against its strongest tests, not pair by pair: every lower bound but the
    /// tightest is redundant, the upper bound is not.
    func testALongChainReportsEveryRedundantTest() {
        var random = SplitMix64(seed: 3)
        let bounds = (1...60).map { $0 * 10 }.shuffled(using: &random)
        let source = "when " + bounds.map { "visit_count > \($0)" }.joined(separator: " and ") + " and visit_count < 1000 then tag \"a\""
        let warnings = lintWarnings(source).filter { $0.contains("P202") }
        XCTAssertEqual(warnings.count, 59)
        XCTAssertTrue(warnings.allSatisfy { $0.contains("already implies it") && $0.contains("`visit_count > 600`") }, "\(warnings.prefix(3))")
        XCTAssertFalse(warnings.contains { $0.contains("is redundant: `visit_count < 1000`") || $0.contains("`visit_count > 600` is redundant") })
    }

    /// Thirty thousand values in a list are reasoned about in one pass.
    func testLongListsAreReasonedAbout() {
        let values = (0..<30_000).map(String.init).joined(separator: ", ")
        XCTAssertEqual(lintWarnings("when visit_count in [\(values)] then tag \"a\"").filter { $0.contains("P20") }, [])
        let never = lintWarnings("when visit_count == 7 and visit_count not in [\(values)] then tag \"a\"")
        XCTAssertEqual(never.filter { $0.contains("P201") }.count, 1, "\(never.prefix(2))")
        XCTAssertEqual(never.filter { $0.contains("P202") }, [], "a list's exclusions are not each redundant")
    }
}
