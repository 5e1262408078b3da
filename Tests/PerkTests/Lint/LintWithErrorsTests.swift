import XCTest
@testable import Perk

/// Errors in some declarations do not hide the warnings of those that checked.
final class LintWithErrorsTests: XCTestCase {
    private func lint(_ source: String) -> Linter.Result {
        let compilation = TestShop.compile(source)
        let data = DataSet(customers: TestShop.customers, orders: TestShop.orderTable, isSample: false, report: LoadReport())
        return Linter.lint(compilation, population: data, dataGiven: true, day: TestShop.today)
    }

    func testWarningsOfRulesThatCheckedArePrintedWithTheErrors() {
        let result = lint("""
        rule "Typo" when member.nope > 3 then tag "x"
        rule "Never" when visit_count > 30 and visit_count < 10 then tag "y"
        rule "Spam" when visit_count > 3 then send coupon 20 via sms
        """)
        XCTAssertEqual(result.errorCount, 1)
        XCTAssertEqual(result.diagnostics.map(\.code), ["P101", "P201", "P205"])
        XCTAssertEqual(result.warningCount, 2)
        // Nothing was run on the data: no match counts while rules have errors.
        XCTAssertNil(result.matches)
    }

    func testAnUnusedDefineIsNotClaimedWhileADeclarationDidNotParse() {
        let source = "define regular = visit_count >= 4\nrule \"r\" when regular and then tag \"x\"\nrule \"s\" when visit_count > 30 and visit_count < 10 then tag \"y\""
        let codes = lint(source).diagnostics.map(\.code)
        XCTAssertFalse(codes.contains("P209"), "\(codes)")
        XCTAssertTrue(codes.contains("P201"), "\(codes)")
        // A checker error alone: every declaration's names were read, so P209 still speaks.
        let checked = lint("define regular = visit_count >= 4\nrule \"r\" when member.nope > 1 then tag \"x\"").diagnostics.map(\.code)
        XCTAssertEqual(checked, ["P209", "P101"])
    }
}
