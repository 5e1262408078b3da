import XCTest
@testable import Perk

/// Tests run on their own data with the code of `perk run`: every status a
/// decision can take, days one after the other, a journal, what a failure
/// prints, JUnit XML and coverage.
final class TestRunnerTests: XCTestCase {
    private func report(_ text: String, coverage: Bool = false) throws -> (RuleTestRun.Outcome, TestReport) {
        let outcome = RuleTestRun.run(text, coverage: coverage)
        XCTAssertEqual(DiagnosticRenderer().render(outcome.diagnostics), "")
        let suite = try XCTUnwrap(outcome.suite), program = try XCTUnwrap(outcome.program)
        return (outcome, TestReport(suite, program: program))
    }

    private func assertPasses(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws {
        let (outcome, report) = try report(text)
        XCTAssertTrue(outcome.passes, report.text(), file: file, line: line)
    }

    func testEveryStatusOfTheDecisionEngine() throws {
        try assertPasses("""
        contact policy: at most 1 contact per customer every 7 days via sms
        rule "Held" when visit_count >= 0 then send coupon 5
        campaign "Control" holdout 99.99% rules "Held"
        rule "Dear" when visit_count >= 0 then send coupon 50
        campaign "Small" budget 40 rules "Dear"
        rule "A" priority 2 when visit_count >= 0 then send coupon 5
        rule "B" priority 1 when visit_count >= 0 then send coupon 6
        campaign "One coupon" exclusive rules "A", "B"
        rule "Text 1" priority 9 when visit_count >= 0 then send message "hi" via sms
        rule "Text 2" when visit_count >= 0 then send message "hello" via sms
        rule "Once" when visit_count >= 0 then tag "x" limit once per customer
        rule "Later" when visit_count >= 0 then tag "y"
        campaign "Next year" from 2026-01-01 to 2026-01-31 rules "Later"

        test "statuses"
          customers
            | customer_id | sms_opt_in |
            | C1          | true       |
            | C2          | false      |
          journal
            | date       | customer_id | rule |
            | 2025-01-01 | C1          | Once |
          on 2025-12-15
          expect "Held" for C1: held_out
          expect "Dear" for C1: skipped_budget
          expect "A" for C1: send coupon 5
          expect "B" for C1: skipped_exclusive
          expect "Text 1" for C1: send message "hi" via sms
          expect "Text 2" for C1: skipped_contact_cap
          expect "Text 1" for C2: skipped_consent
          expect "Once" for C1: skipped_limit
          expect "Once" for C2: sent
          expect "Later" for C1: inactive

        """)
    }

    /// Days are decided one after another: `every 3 days` acts on days 1, 4, 7;
    /// an order dated on a day counts from the next.
    func testDaysFollowOneAnother() throws {
        try assertPasses("""
        rule "Every 3" when visit_count >= 0 then tag "x" every 3 days
        rule "Regular" when visit_count >= 2 and today < 2025-12-09 then tag "r"

        test "days"
          customers
            | customer_id |
            | C1          |
          orders
            | customer_id | ordered_at |
            | C1          | 2025-12-01 |
            | C1          | 2025-12-02 |
          expect "Every 3" for C1 on 2025-12-01: sent
          expect "Every 3" for C1 on 2025-12-02: skipped_cooldown
          expect "Every 3" for C1 on 2025-12-03: skipped_cooldown
          expect "Every 3" for C1 on 2025-12-04: sent
          expect "Regular" for C1 on 2025-12-02: condition false
          expect "Regular" for C1 on 2025-12-03: sent
          expect "Every 3" for C1 from 2025-12-05 to 2025-12-08: skipped_cooldown, skipped_cooldown, sent, skipped_cooldown
          expect nothing for C1 from 2025-12-09 to 2025-12-09

        """)
    }

    /// A failure says where, what was expected and what happened, with the
    /// condition's tree for that customer; the summary counts tests.
    func testAFailureShowsExpectedActualAndTheTree() throws {
        let (outcome, report) = try report("""
        rule "Lapsed VIP" when member.tier == VIP and days_since_visit > 60 then send coupon 20 via sms

        test "lapsed"
          customers
            | customer_id | tier | sms_opt_in |
            | C1          | VIP  | true       |
          orders
            | customer_id | ordered_at |
            | C1          | 2025-11-01 |
          on 2025-12-15
          expect "Lapsed VIP" for C1: send coupon 25 via sms
          expect nothing for C1

        test "fine"
          customers
            | customer_id | tier |
            | C1          | GOLD |
          on 2025-12-15
          expect nothing for C1

        """)
        XCTAssertFalse(outcome.passes)
        XCTAssertEqual(report.text(), """
        FAIL t.perk:11:3: test "lapsed": "Lapsed VIP" for C1 on 2025-12-15: expected sent coupon 25 via sms, got condition false
            Rule "Lapsed VIP" for customer C1, as of 2025-12-15

            member.tier == VIP and days_since_visit > 60  false
            ├─ member.tier == VIP                         true
            │  └─ member.tier                             VIP
            └─ days_since_visit > 60                      false
               └─ days_since_visit                        44

            Does not fire: `days_since_visit > 60` is false.
        2 tests: 1 passed, 1 failed.

        """)
    }

    /// When the condition held, the engine decided with the test's earlier
    /// days: the tree is shown without a verdict of one day, which would not know them.
    func testAFailureAfterTheConditionHeldShowsTheTreeAlone() throws {
        let (_, report) = try report("""
        rule "Often" when visit_count >= 1 then tag "x" every 7 days

        test "cooldown"
          customers
            | customer_id |
            | C1          |
          orders
            | customer_id | ordered_at |
            | C1          | 2025-11-01 |
          journal
            | date       | customer_id | rule  |
            | 2025-12-10 | C1          | Often |
          on 2025-12-15
          expect "Often" for C1: sent

        """)
        XCTAssertEqual(report.text(), """
        FAIL t.perk:14:3: test "cooldown": "Often" for C1 on 2025-12-15: expected sent, got skipped_cooldown
            Rule "Often" for customer C1, as of 2025-12-15

            visit_count >= 1  true
            └─ visit_count    1
        1 test: 0 passed, 1 failed.

        """)
    }

    func testAWrongActionAndNothingFail() throws {
        let (outcome, report) = try report("""
        rule "R" when visit_count >= 0 then send coupon 20 valid for 7 days via sms, tag "a"

        test "actions"
          customers
            | customer_id | sms_opt_in |
            | C1          | true       |
          on 2025-12-15
          expect "R" for C1: send coupon 20 via sms, tag "a"
          expect "R" for C1: send coupon 20 valid for 7 days
          expect "R" for C1: send coupon 20 valid for 14 days
          expect "R" for C1: send coupon 20 via wechat
          expect "R" for C1: tag "b"
          expect nothing for C1

        """)
        let failures = try XCTUnwrap(outcome.suite?.results.first?.failures)
        XCTAssertEqual(failures.map { "\($0.expected) / \($0.actual)" }, [
            "sent coupon 20 valid for 14 days / sent coupon 20 valid for 7 days via sms, tag a",
            "sent coupon 20 via wechat / sent coupon 20 valid for 7 days via sms, tag a",
            "sent tag b / sent coupon 20 valid for 7 days via sms, tag a",
            "nothing / \"R\" sent",
        ])
        XCTAssertTrue(report.text().hasSuffix("1 test: 0 passed, 1 failed.\n"))
    }

    /// A journal's coupons spend a campaign's budget, as `perk run --journal` counts them.
    func testTheJournalSpendsTheBudget() throws {
        try assertPasses("""
        rule "Coupon" when visit_count >= 0 then send coupon 20 limit once per customer
        campaign "Small" budget 50 rules "Coupon"

        test "budget"
          customers
            | customer_id |
            | C1          |
            | C2          |
            | C3          |
            | C4          |
          journal
            | date       | customer_id | rule   | status   |
            | 2025-12-01 | C1          | Coupon | sent     |
            | 2025-12-01 | C2          | Coupon | held_out |
          on 2025-12-15
          expect "Coupon" for C1, C2: skipped_limit
          expect "Coupon" for C3: sent
          expect "Coupon" for C4: skipped_budget

        """)
    }

    func testJUnitNamesEachTestAndItsFailures() throws {
        let (_, report) = try report("""
        rule "R" when visit_count > 0 then tag "a"

        test "passes"
          customers
            | customer_id |
            | C0        |
          on 2025-12-15
          expect "R" for C0: condition false

        test "fails & says so"
          customers
            | customer_id |
            | C1          |
          on 2025-12-15
          expect "R" for C1: sent

        """)
        let xml = report.junit()
        XCTAssertTrue(xml.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"perk test\" tests=\"2\" failures=\"1\" errors=\"0\">\n"), xml)
        XCTAssertTrue(xml.contains("<testcase name=\"passes\" classname=\"t.perk\" file=\"t.perk\" line=\"3\"/>\n"), xml)
        XCTAssertTrue(xml.contains("<testcase name=\"fails &amp; says so\" classname=\"t.perk\" file=\"t.perk\" line=\"10\">\n"
                                   + "      <failure message=\"expected sent, got condition false\">FAIL t.perk:15:3:"), xml)
        XCTAssertEqual(xml.components(separatedBy: "<testsuite ").count, 2)
        XCTAssertTrue(xml.hasSuffix("  </testsuite>\n</testsuites>\n"), xml)
    }

    /// Coverage names the rules no test names and the parts of conditions the
    /// tests saw only one way.
    func testCoverageFindsUntestedRulesAndOneSidedConditions() throws {
        let (outcome, report) = try report("""
        define regular = visit_count >= 4
        rule "Tested" when regular and member.tier == VIP then tag "a"
        rule "Untested" when visit_count > 100 then tag "b"

        test "only VIPs"
          customers
            | customer_id | tier |
            | C1          | VIP  |
            | C2          | GOLD |
          orders
            | customer_id | ordered_at |
            | C1          | 2025-01-01 |
            | C1          | 2025-02-01 |
            | C1          | 2025-03-01 |
            | C1          | 2025-04-01 |
            | C2          | 2025-04-01 |
          on 2025-12-15
          expect "Tested" for C1: sent
          expect "Tested" for C2: no match

        """, coverage: true)
        XCTAssertTrue(outcome.passes)
        XCTAssertEqual(report.coverage(), """
        Coverage: 1 of 2 rules tested.
        Rules no test exercises:
          t.perk:3:6  "Untested"
        Parts of conditions not seen both true and false:
          t.perk:2:32  "Tested": `member.tier == VIP` never false

        """)
    }
}
