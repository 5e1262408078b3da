import XCTest
@testable import Perk

final class InterpreterTests: XCTestCase {
    /// Evaluates `source` for a customer of the test shop and shows the value as a user sees it.
    private func eval(_ source: String, _ customer: Int, today: LocalDate = TestShop.today,
                      file: StaticString = #filePath, line: UInt = #line) -> String {
        let (checked, diagnostics) = Compiler.compileExpression(SourceFile(path: "e", text: source), schema: TestShop.schema)
        guard let checked else {
            XCTFail("\(source): \(diagnostics.map(\.description))", file: file, line: line)
            return "<error>"
        }
        return TestShop.interpreter.evaluate(checked, customer: customer, today: today).display(as: checked.type)
    }

    // Customers: 0 = C001 (VIP, 3 orders before today), 1 = C002 (GOLD, one order
    // before today and one on it), 2 = C003 (MEMBER, no orders). Today 2025-03-01.
    func testExpressions() {
        let cases: [(String, Int, String)] = [
            // Arithmetic is exact.
            ("2 + 3 * 4", 0, "14"),
            ("0.1 + 0.2 == 0.3", 0, "true"),
            ("10 / 4", 0, "2.5"),
            ("1 / 3 * 3 == 1", 0, "true"),
            ("100 * 15%", 0, "15"),
            ("-(2 - 5)", 0, "3"),
            // Dates and durations.
            ("today", 0, "2025-03-01"),
            ("today - 30 days", 0, "2025-01-30"),
            ("today - 2 weeks", 0, "2025-02-15"),
            ("today - 1 month", 0, "2025-02-01"),
            ("date(\"2024-03-31\") - 1 month", 0, "2024-02-29"),
            ("date(\"2024-02-29\") + 1 year", 0, "2025-02-28"),
            ("today - date(\"2025-01-01\")", 0, "59"),
            ("weekday(today)", 0, "Saturday"),
            ("day(today) + month(today) + year(today)", 0, "2029"),
            // Derived fields count only orders before today.
            ("days_since_visit", 0, "2"),
            ("days_since_first_visit", 0, "50"),
            ("visit_count", 0, "3"),
            ("total_spend", 0, "71.5"),
            ("avg_order_value * 3 == total_spend", 0, "true"),
            ("first_visit", 0, "2025-01-10"),
            ("last_visit", 0, "2025-02-27"),
            ("favorite_item", 0, "Jasmine Green Tea"),
            ("visit_count", 1, "1"),
            ("total_spend", 1, "18"),
            ("days_since_visit", 1, "4"),
            ("days_since_visit", 2, "missing"),
            ("visit_count", 2, "0"),
            ("total_spend", 2, "0"),
            ("avg_order_value", 2, "missing"),
            ("favorite_item", 2, "missing"),
            // Windows: `in last N days` is today-N through today-1.
            ("count(orders in last 30 days)", 0, "1"),
            ("count(orders in last 49 days)", 0, "2"),
            ("count(orders in last 50 days)", 0, "3"),
            ("count(orders in last 1 month)", 0, "1"),
            ("count(orders)", 1, "1"),
            ("sum(orders.amount in last 60 days)", 0, "71.5"),
            ("sum(orders.amount in last 60 days)", 2, "0"),
            ("avg(orders.amount in last 1 month)", 0, "16"),
            ("avg(orders.amount)", 2, "missing"),
            ("max(orders.amount)", 0, "35.5"),
            ("min(orders.amount)", 0, "16"),
            ("max(orders.ordered_at)", 0, "2025-02-27"),
            ("any(orders in last 60 days where items contains \"Jasmine Green Tea\")", 0, "true"),
            ("any(orders in last 40 days where items contains \"Jasmine Green Tea\")", 0, "true"),
            ("any(orders in last 39 days where items contains \"Jasmine Green Tea\")", 0, "false"),
            ("any(orders where channel == \"delivery\")", 0, "true"),
            ("count(orders where channel == \"store\" and amount > 16)", 0, "1"),
            ("all(orders where amount > 15)", 0, "true"),
            ("all(orders where amount > 16)", 0, "false"),
            ("all(orders where amount > 100)", 2, "true"),
            ("any(orders)", 2, "false"),
            ("count(orders where \"Oolong Milk Tea\" in items)", 0, "1"),
            ("count(orders where member.tier == VIP)", 0, "3"),
            // Customer columns, enums and text.
            ("member.tier >= GOLD", 0, "true"),
            ("member.tier > GOLD", 1, "false"),
            ("member.tier in [GOLD, VIP]", 1, "true"),
            ("member.tier not in [GOLD, VIP]", 2, "true"),
            ("member.tier", 0, "VIP"),
            ("member.name contains \"芳\"", 0, "true"),
            ("member.name starts with \"Li\"", 1, "true"),
            ("member.points between 100 and 120", 0, "true"),
            ("member.points between 121 and 130", 0, "false"),
            ("member.joined in last 30 days", 0, "false"),
            ("member.joined in last 30 days", 1, "true"),
            // Missing values: three-valued logic.
            ("member.points > 10", 2, "missing"),
            ("not (member.points > 10)", 2, "missing"),
            ("member.points > 10 or true", 2, "true"),
            ("member.points > 10 and false", 2, "false"),
            ("member.points > 10 and true", 2, "missing"),
            ("member.points is missing", 2, "true"),
            ("member.points is present", 2, "false"),
            ("member.points in [1, 2]", 2, "missing"),
            ("member.points + 1", 2, "missing"),
            ("days_since_visit > 30", 2, "missing"),
            ("birthday in next 3 days", 1, "missing"),
            // Birthdays.
            ("birthday in next 3 days", 0, "true"),
            ("birthday in next 1 days", 0, "false"),
            ("birthday within 2 days", 0, "true"),
            ("birthday in next 3 days", 2, "false"),
            ("birthday within 1 day", 2, "true"),
        ]
        for (source, customer, expected) in cases {
            XCTAssertEqual(eval(source, customer), expected, "\(source) for customer \(customer)")
        }
    }

    func testFebruary29AndTurnOfTheYear() {
        let cases: [(birthday: String, today: String, DateNearness, Int, Bool)] = [
            ("1992-02-29", "2025-02-27", .next, 1, true),   // falls on Feb 28 in 2025
            ("1992-02-29", "2025-02-28", .next, 0, true),
            ("1992-02-29", "2028-02-28", .next, 0, false),  // 2028 is a leap year: Feb 29
            ("1992-02-29", "2028-02-28", .next, 1, true),
            ("1990-01-01", "2025-12-30", .next, 3, true),   // across the year end
            ("1990-01-02", "2025-12-30", .next, 2, false),
            ("1990-12-31", "2026-01-02", .within, 2, true), // last year's occurrence
            ("1990-12-31", "2026-01-02", .within, 1, false),
            ("1990-03-01", "2025-03-01", .next, 0, true),
            ("1990-02-28", "2025-03-01", .next, 3, false),  // just passed: next is 2026
            ("2026-01-05", "2026-01-03", .next, 3, true),   // a future date counts as itself
        ]
        for (birthday, today, kind, days, expected) in cases {
            let d = LocalDate(parsing: birthday)!, t = LocalDate(parsing: today)!
            XCTAssertEqual(Interpreter.dateNear(d, kind, days: days, today: t), expected, "\(birthday) \(kind) \(days) as of \(today)")
        }
    }

    func testEvaluationTouchesNoNamesAtRunTime() throws {
        // The checked tree holds slots, not names to look up: a renamed column
        // in the table does not change what a checked expression reads.
        let (checked, _) = Compiler.compileExpression(SourceFile(path: "e", text: "member.points > 100"), schema: TestShop.schema)
        var customers = TestShop.customers
        customers.columns[4].name = "renamed"
        let interpreter = Interpreter(customers: customers, orders: TestShop.orderTable)
        XCTAssertTrue(interpreter.holds(try XCTUnwrap(checked), customer: 0, today: TestShop.today))
    }
}
