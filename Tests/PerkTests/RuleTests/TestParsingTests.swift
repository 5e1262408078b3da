import XCTest
@testable import Perk

/// `test` declarations as the parser reads them: tables by lines, cells as
/// written, expectations, and one diagnostic per mistake.
final class TestParsingTests: XCTestCase {
    private func parse(_ text: String) -> (RulesFile, [Diagnostic]) {
        Parser.parse(SourceFile(path: "t.perk", text: text))
    }

    private func onlyTest(_ text: String, file: StaticString = #filePath, line: UInt = #line) throws -> TestDecl {
        let (parsed, diagnostics) = parse(text)
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics), "", file: file, line: line)
        guard parsed.declarations.count == 1, case .test(let t) = parsed.declarations[0] else {
            XCTFail("not one test: \(parsed.declarations)", file: file, line: line)
            throw XCTSkip()
        }
        return t
    }

    func testTablesDayAndExpectations() throws {
        let t = try onlyTest("""
        test "name"
          customers
            | customer_id | tier | city      |
            | C1          | VIP  | "上海"    |
            | C2          |      | Hang zhou |
          orders:
            | customer_id | ordered_at | items                    |
            | C1          | 2025-10-01 | Jasmine Green Tea; Boba  |
          on 2025-12-15
          expect "VIP win-back" for C1, C2 on 2025-12-16: send coupon 20 via sms, tag "x"
          expect "VIP win-back" for C2: no match
          expect nothing for "C1"
          expect "VIP win-back" for C1 from 2025-12-15 to 2025-12-17: sent, no match, skipped_cooldown

        """)
        XCTAssertEqual(t.name.value, "name")
        XCTAssertEqual(t.customers?.header.map(\.value), ["customer_id", "tier", "city"])
        XCTAssertEqual(t.customers?.rows.map { $0.map(\.text) }, [["C1", "VIP", "上海"], ["C2", "", "Hang zhou"]])
        XCTAssertEqual(t.customers?.rows[0].map(\.quoted), [false, false, true])
        XCTAssertEqual(t.orders?.rows.first?.last?.text, "Jasmine Green Tea; Boba")
        XCTAssertEqual(t.day?.value, LocalDate(parsing: "2025-12-15"))
        XCTAssertEqual(t.expectations.count, 4)
        guard case .sequence(let steps) = t.expectations[3].outcome.value else { return XCTFail("\(t.expectations[3].outcome.value)") }
        XCTAssertEqual(steps.map(\.value), ["sent", "no match", "skipped_cooldown"])
        XCTAssertEqual(t.expectations[3].lastDay?.value, LocalDate(parsing: "2025-12-17"))
        let first = t.expectations[0]
        XCTAssertEqual(first.rule?.value, "VIP win-back")
        XCTAssertEqual(first.customers.map(\.value), ["C1", "C2"])
        XCTAssertEqual(first.day?.value, LocalDate(parsing: "2025-12-16"))
        guard case .sent(let actions) = first.outcome.value else { return XCTFail("\(first.outcome.value)") }
        XCTAssertEqual(actions.count, 2)
        guard case .word("no match") = t.expectations[1].outcome.value else { return XCTFail("\(t.expectations[1].outcome.value)") }
        XCTAssertNil(t.expectations[2].rule)
        guard case .nothing = t.expectations[2].outcome.value else { return XCTFail() }
        XCTAssertFalse(t.hasErrors)
    }

    /// `||` is two bars with an empty cell between, not `or`.
    func testDoubleBarIsAnEmptyCell() throws {
        let t = try onlyTest("test \"t\"\n  customers\n    | customer_id | tier | points |\n    | C1 || 3 |\n    || VIP | 4 |\n  on 2025-01-01\n  expect nothing for C1\n")
        XCTAssertEqual(t.customers?.rows.map { $0.map(\.text) }, [["C1", "", "3"], ["", "VIP", "4"]])
    }

    /// Tests and rules share files, in any order; a rule after a test is a rule.
    func testTestsSitBesideRules() throws {
        let (parsed, diagnostics) = parse("""
        when visit_count > 3 then tag "x"
        test "t"
          on 2025-01-01
          expect "t.perk:1" for C1: sent
        rule "r" when visit_count > 4 then tag "y"

        """)
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics), "")
        XCTAssertEqual(parsed.declarations.map { d -> String in
            switch d {
            case .rule: return "rule"
            case .test: return "test"
            default: return "other"
            }
        }, ["rule", "test", "rule"])
    }

    func testMistakesAreReportedWhereTheyAre() {
        let rows: [(String, String)] = [
            ("test name", "t.perk:1:6: error[P002]: expected the test's name in quotes, like test \"A lapsed VIP gets a coupon\", found `name`"),
            ("test \"t\"\n  customers | customer_id |\n",
             "t.perk:2:13: error[P002]: expected a table on the next lines, each row between bars like `| customer_id | tier |`, found `|`"),
            ("test \"t\"\n  customers\n    | customer_id | tier\n", "t.perk:3:21: error[P002]: expected `|` at the end of the row, found `tier`"),
            ("test \"t\"\n  customers\n    | customer_id | tier |\n    | C1 |\n",
             "t.perk:4:7: error[P002]: expected 2 cells, one per column of the first row, but this row has 1, found end of file"),
            ("test \"t\"\n  expect \"r\" C1: sent\n", "t.perk:2:14: error[P002]: expected `for` after the rule's name, like `for C1`, found `C1`"),
            ("test \"t\"\n  expect \"r\" for C1 sent\n",
             "t.perk:2:21: error[P002]: expected `:` and what should happen, like `: send coupon 20` or `: skipped_consent`, found `sent`"),
            ("test \"t\"\n  expect \"r\" for C1: send coupon\n",
             "t.perk:2:33: error[P002]: expected the coupon's value after `coupon`: an amount (`20`), a percentage (`15%`) or a name (\"FREE-TOPPING\" worth 6), found end of file"),
            ("test \"t\"\n  on 2025-02-30\n", "t.perk:2:6: error[P007]: 2025-02-30 is not a date: February 2025 has 28 days"),
            ("test \"t\"\n  expects \"r\" for C1: sent\n",
             "t.perk:2:3: error[P003]: expected `rule`, `when`, `define`, `campaign`, `contact policy` or `test`, found `expects`"),
            ("test \"t\"\n  on 2025-01-01 expects\n",
             "t.perk:2:17: error[P002]: expected `customers`, `orders`, `journal`, `on` or `expect` in a test, found `expects`"),
        ]
        for (source, expected) in rows {
            let (_, diagnostics) = parse(source)
            XCTAssertEqual(diagnostics.first.map { DiagnosticRenderer().render([$0]).split(separator: "\n").first.map(String.init) ?? "" }, expected, source)
        }
    }

    /// A broken test is marked, so the checker leaves it alone, and the next
    /// declaration still parses.
    func testRecoveryAfterABrokenTest() {
        let (parsed, diagnostics) = parse("test \"t\"\n  expect \"r\" for: sent\nrule \"r\" when visit_count > 3 then tag \"x\"\n")
        XCTAssertEqual(diagnostics.count, 1)
        guard parsed.declarations.count == 2, case .test(let t) = parsed.declarations[0], case .rule = parsed.declarations[1] else {
            return XCTFail("\(parsed.declarations)")
        }
        XCTAssertTrue(t.hasErrors)
    }
}
