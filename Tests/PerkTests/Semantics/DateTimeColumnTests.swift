import XCTest
@testable import Perk

/// A customer column of date-times (`last_login`) works wherever a date does,
/// counted by its day: `in last`, `in next`, `within` and date arithmetic.
final class DateTimeColumnTests: XCTestCase {
    func testDateTimesCountByTheirDay() throws {
        func at(_ day: String, _ seconds: Int32) -> Value { .datetime(LocalDateTime(date: LocalDate(parsing: day)!, seconds: seconds)) }
        let customers = CustomerTable(
            source: "customers.csv", ids: ["C1", "C2", "C3", "C4"],
            columns: [CustomerColumn(name: "last_login", type: .datetime,
                                     values: [at("2025-02-28", 82_800), at("2025-02-20", 3_600), at("2025-03-01", 60), .missing])],
            lines: [2, 3, 4, 5])
        let orders = TestShop.orderTable([])
        // Today is 2025-03-01: `in last 7 days` is 02-22 to 02-28.
        let table: [(condition: String, expected: [Bool?])] = [
            ("member.last_login in last 7 days", [true, false, false, nil]),
            ("member.last_login within 1 days", [true, false, true, nil]),
            ("member.last_login in next 0 days", [false, false, true, nil]),
            ("member.last_login + 7 days >= today", [true, false, true, nil]),
            ("today - member.last_login > 3", [false, true, false, nil]),
            ("member.last_login - 1 week < 2025-02-20", [false, true, false, nil]),
        ]
        let interpreter = Interpreter(customers: customers, orders: orders)
        for row in table {
            let source = "rule \"r\" when \(row.condition) then tag \"t\"\n"
            let compiled = Compiler.compile([SourceFile(path: "r.perk", text: source)], schema: Schema(customers: customers, orders: orders))
            let program = try XCTUnwrap(compiled.program, "\(row.condition): \(compiled.diagnostics.map(\.message))")
            let plan = Planner.plan(program.rules[0].condition, on: interpreter)
            var frame = PlanFrame()
            for c in 0..<4 {
                let walked = try interpreter.evaluate(program.rules[0].condition, customer: c, today: TestShop.today)
                let expected: Value = row.expected[c].map { .bool($0) } ?? .missing
                XCTAssertEqual(walked, expected, "\(row.condition), customer \(c)")
                XCTAssertEqual(try plan.evaluate(&frame, customer: c, today: TestShop.today), walked, "planned: \(row.condition), customer \(c)")
            }
        }
    }
}
