import XCTest
@testable import Perk

/// Tests are checked like rules: each mistake at its place, with a "did you
/// mean" where one is near. One row per mistake: the test's lines, then the
/// first line of the diagnostic.
final class TestCheckerTests: XCTestCase {
    private static let rule = "rule \"VIP win-back\" when member.tier == VIP and days_since_visit > 60 then send coupon 20 via sms\n"

    private func firstDiagnostic(_ test: String) -> String {
        let outcome = RuleTestRun.run(Self.rule + test)
        let all = outcome.diagnostics
        return all.first.map { DiagnosticRenderer().render([$0]).split(separator: "\n").first.map(String.init) ?? "" } ?? "(none)"
    }

    func testEachMistakeIsReportedAtItsPlace() {
        let customers = "test \"t\"\n  customers\n    | customer_id | tier |\n    | C1          | VIP  |\n  on 2025-12-15\n"
        let rows: [(String, String)] = [
            (customers + "  expect \"VIP winback\" for C1: sent\n",
             "t.perk:7:10: error[P301]: no rule is called \"VIP winback\"; did you mean \"VIP win-back\"?"),
            ("test \"t\"\n  customers\n    | customer_id | teir |\n    | C1          | VIP  |\n  on 2025-12-15\n  expect nothing for C1\n",
             "t.perk:4:21: error[P302]: the customers have no column `teir`; did you mean `tier`?"),
            ("test \"t\"\n  customers\n    | customer_id | tier |\n    | C1          | VIPP |\n  on 2025-12-15\n  expect nothing for C1\n",
             "t.perk:5:21: error[P303]: tier VIPP is not one of MEMBER, SILVER, GOLD, VIP"),
            ("test \"t\"\n  customers\n    | tier |\n    | VIP  |\n  on 2025-12-15\n  expect nothing for C1\n",
             "t.perk:3:3: error[P304]: the customers table needs a `customer_id` column"),
            (customers + "  orders\n    | customer_id | amount |\n    | C1          | 20     |\n  expect nothing for C1\n",
             "t.perk:7:3: error[P304]: the orders table needs a `ordered_at` column"),
            (customers + "  expect \"VIP win-back\" for C2: sent\n",
             "t.perk:7:29: error[P305]: customer C2 is not in the test's customers table; did you mean C1?"),
            ("test \"t\"\n  customers\n    | customer_id |\n    | C1 |\n    | C1 |\n  on 2025-12-15\n  expect nothing for C1\n",
             "t.perk:6:7: error[P305]: customer C1 is in the customers table twice"),
            (customers + "  expect \"VIP win-back\" for C1: skiped_consent\n",
             "t.perk:7:33: error[P306]: `skiped_consent` is not an outcome; did you mean `skipped_consent`?"),
            ("test \"t\"\n  customers\n    | customer_id |\n    | C1 |\n  expect nothing for C1\n",
             "t.perk:6:3: error[P307]: this expectation has no day"),
            (customers + "  journal\n    | date | customer_id | rule |\n    | 2025-12-15 | C1 | VIP win-back |\n  expect nothing for C1\n",
             "t.perk:9:7: error[P308]: the journal holds 2025-12-15, but the test runs from 2025-12-15"),
            (customers + "  expect nothing for C1\n" + customers + "  expect nothing for C1\n",
             "t.perk:8:6: error[P309]: there are two tests called \"t\""),
            (customers, "t.perk:2:6: error[P310]: test \"t\" expects nothing"),
            (customers + "  expect nothing for C1\n  expect nothing for C1 on 9999-12-31\n",
             "t.perk:2:6: error[P311]: this test decides every day from 2025-12-15 to 9999-12-31, more than 3660 days"),
            (customers + "  expect \"VIP win-back\" for C1 from 2025-12-15 to 2025-12-17: sent, no match\n",
             "t.perk:7:63: error[P312]: 2025-12-15 to 2025-12-17 is 3 days, but 2 outcomes are given"),
            (customers + "  expect \"VIP win-back\" for C1 from 2025-12-15 to 2025-12-14: sent\n",
             "t.perk:7:51: error[P312]: the days run from 2025-12-15 to 2025-12-14, which comes before it"),
            (customers + "  expect \"VIP win-back\" for C1 from 2025-12-15 to 2025-12-16: sent, skiped_limit\n",
             "t.perk:7:69: error[P306]: `skiped_limit` is not an outcome; did you mean `skipped_limit`?"),
            (customers + "  expect \"VIP win-back\" for C1: send coupon 150%\n",
             "t.perk:7:45: error[P104]: a percentage coupon must take off more than 0% and at most 100%, not 150%"),
            (customers + "  expect \"VIP win-back\" for C1: send coupon 20 via fax\n",
             "t.perk:7:52: error[P105]: unknown channel `fax`"),
        ]
        for (test, expected) in rows {
            XCTAssertEqual(firstDiagnostic(test), expected, test)
        }
    }

    /// A test that checks has its tables typed and its names resolved.
    func testACheckedTestHoldsTypedRows() throws {
        let outcome = RuleTestRun.run(Self.rule + """
        test "t"
          customers
            | customer_id | tier | points | birthday   | sms_opt_in |
            | C2          | VIP  | 120    | 1990-02-28 | yes        |
            | C1          | gold |        |            | false      |
          orders
            | customer_id | ordered_at       | amount | items  | store |
            | C1          | 2025-12-01T10:30 | 12.50  | A; B   | 西湖  |
          on 2025-12-15
          expect "VIP win-back" for C1: condition false

        """)
        XCTAssertEqual(DiagnosticRenderer().render(outcome.diagnostics), "")
        let test = try XCTUnwrap(outcome.suite?.tests.first)
        let schema = try XCTUnwrap(outcome.program?.schema)
        let tier = try XCTUnwrap(schema.customerFields.firstIndex { $0.name == "tier" })
        let points = try XCTUnwrap(schema.customerFields.firstIndex { $0.name == "points" })
        XCTAssertEqual(test.customers.map(\.id), ["C2", "C1"])
        XCTAssertEqual(test.customers[0].values[tier], .symbol(3))
        XCTAssertEqual(test.customers[1].values[tier], .symbol(2), "a tier is read whatever its case, as in data files")
        XCTAssertEqual(test.customers[0].values[points], .number(Number(120)))
        XCTAssertEqual(test.customers[1].values[points], .missing)
        XCTAssertEqual(test.orders.first?.items, ["A", "B"])
        XCTAssertEqual(test.orders.first?.amount, Number(parsing: "12.5"))
        XCTAssertEqual(test.orders.first?.seconds, 10 * 3600 + 30 * 60)
        XCTAssertEqual(test.orders.first?.others["store"], .text("西湖"))
    }

    /// `perk run` and `perk lint` are not disturbed by tests: the rules compile
    /// the same with or without them.
    func testTestsDoNotChangeTheRules() throws {
        let with = RuleTestRun.run(Self.rule + "test \"t\"\n  on 2025-12-15\n  expect nothing for C1\n")
        let without = Compiler.compile([SourceFile(path: "t.perk", text: Self.rule)], schema: Repository.sampleSchema)
        XCTAssertEqual(with.program?.rules.map(\.name), without.program?.rules.map(\.name))
        XCTAssertEqual(with.compilation.diagnostics.count, 0)
    }
}
