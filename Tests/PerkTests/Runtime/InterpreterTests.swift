import XCTest
@testable import Perk

final class InterpreterTests: XCTestCase {
    /// Evaluates `source` for a customer of the test shop and shows the value as a user sees it;
    /// a value that cannot be computed shows as its code and the part written where it failed
    /// (`E001 at 9223372036854775807 + 1`).
    private func eval(_ source: String, _ customer: Int, today: LocalDate = TestShop.today, interpreter: Interpreter = TestShop.interpreter,
                      file: StaticString = #filePath, line: UInt = #line) -> String {
        let sourceFile = SourceFile(path: "e", text: source)
        let (checked, diagnostics) = Compiler.compileExpression(sourceFile, schema: TestShop.schema)
        guard let checked else {
            XCTFail("\(source): \(diagnostics.map(\.description))", file: file, line: line)
            return "<error>"
        }
        do {
            return try interpreter.evaluate(checked, customer: customer, today: today).display(as: checked.type)
        } catch {
            return "\(RuntimeError.code(error.problem)) at \(error.range.map { sourceFile.slice($0) } ?? "?")"
        }
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

    /// Past the range of exact numbers a value is an error (E001) with the part
    /// that failed, never missing and never wrapped; near the limits, answers are exact.
    func testNumbersAtTheLimits() {
        let cases: [(String, Int, String)] = [
            // Arithmetic.
            ("9223372036854775807 + 1", 0, "E001 at 9223372036854775807 + 1"),
            ("9223372036854775806 + 1", 0, "9223372036854775807"),
            ("-9223372036854775807 - 1", 0, "E001 at -9223372036854775807 - 1"),
            ("-9223372036854775807 - 2", 0, "E001 at -9223372036854775807 - 2"),
            ("-(-9223372036854775807)", 0, "9223372036854775807"),
            ("abs(-9223372036854775807)", 0, "9223372036854775807"),
            ("4611686018427387904 * 2", 0, "E001 at 4611686018427387904 * 2"),
            ("4611686018427387903 * 2", 0, "9223372036854775806"),
            ("9223372036854775807 / 0.5", 0, "E001 at 9223372036854775807 / 0.5"),
            ("9223372036854775807 / 2", 0, "4611686018427387903.5"),
            ("9223372036854775807 / member.open_complaints", 0, "missing"),
            ("(9223372036854775807 + 1) / member.open_complaints", 0, "E001 at (9223372036854775807 + 1)"),
            // Decimals: ten and 10^-18 need a numerator past the range.
            ("10 + 0.000000000000000001", 0, "E001 at 10 + 0.000000000000000001"),
            ("9 + 0.000000000000000001", 0, "9.000000000000000001"),
            // Percent of: the product on the way may be large when the result fits.
            ("9223372036854775807 * 50%", 0, "4611686018427387903.5"),
            ("9223372036854775807 * 100%", 0, "9223372036854775807"),
            ("9223372036854775807 * 200%", 0, "E001 at 9223372036854775807 * 200%"),
            ("0.000000000000000001 * 15.5%", 0, "E001 at 0.000000000000000001 * 15.5%"),
            // Comparisons near the limits are exact.
            ("9223372036854775807 > 9223372036854775806", 0, "true"),
            ("-9223372036854775807 < 9223372036854775807", 0, "true"),
            ("9223372036854775807 / 3 > 3074457345618258602", 0, "true"),
            ("9223372036854775807 / 3 < 3074457345618258603", 0, "true"),
            ("0.000000000000000001 < 0.000000000000000002", 0, "true"),
            ("9223372036854775807 == 9223372036854775807.000", 0, "true"),
            ("9223372036854775807 between 9223372036854775806 and 9223372036854775807", 0, "true"),
            // A failed part settles nothing unless the answer depends on it:
            // `and` with a false part is false, `or` with a true part is true.
            ("9223372036854775807 + 1 > 0 and false", 0, "false"),
            ("false and 9223372036854775807 + 1 > 0", 0, "false"),
            ("9223372036854775807 + 1 > 0 or true", 0, "true"),
            ("9223372036854775807 + 1 > 0 and true", 0, "E001 at 9223372036854775807 + 1"),
            ("9223372036854775807 + 1 > 0 or false", 0, "E001 at 9223372036854775807 + 1"),
            ("member.points > 1 and 9223372036854775807 + 1 > 0", 2, "E001 at 9223372036854775807 + 1"),
            ("not (9223372036854775807 + 1 > 0)", 0, "E001 at 9223372036854775807 + 1"),
            ("9223372036854775807 + 1 is missing", 0, "E001 at 9223372036854775807 + 1"),
            ("9223372036854775807 + 1 in [1, 2]", 0, "E001 at 9223372036854775807 + 1"),
        ]
        for (source, customer, expected) in cases {
            XCTAssertEqual(eval(source, customer), expected, "\(source) for customer \(customer)")
        }
    }

    /// Sums of orders past the range: aggregates and derived fields fail with the
    /// part written, never turning into missing ("no orders").
    func testOrderSumsAtTheLimits() {
        func order(_ customer: Int, _ date: String, _ amount: String) -> TestShop.Order {
            TestShop.Order(customer: customer, date: date, amount: amount, items: ["Jasmine Green Tea"], channel: "store")
        }
        // C001: two orders whose sum is past the range; C002: amounts whose sum
        // needs 19 digits after 10; C003: one order at the limit.
        let orders = [
            order(0, "2025-02-01", "9000000000000000000"), order(0, "2025-02-20", "9000000000000000000"),
            order(1, "2025-02-01", "10"), order(1, "2025-02-20", "0.000000000000000001"),
            order(2, "2025-02-20", "9223372036854775807"),
        ]
        let interpreter = Interpreter(customers: TestShop.customers, orders: TestShop.orderTable(orders))
        let cases: [(String, Int, String)] = [
            ("total_spend", 0, "E001 at total_spend"),
            ("avg_order_value", 0, "E001 at avg_order_value"),
            ("total_spend is missing", 0, "E001 at total_spend"),
            ("total_spend > 100 and visit_count > 5", 0, "false"),
            ("visit_count", 0, "2"),
            ("days_since_visit", 0, "9"),
            ("sum(orders.amount)", 0, "E001 at sum(orders.amount)"),
            ("sum(orders.amount in last 20 days)", 0, "9000000000000000000"),
            ("avg(orders.amount)", 0, "E001 at avg(orders.amount)"),
            ("max(orders.amount)", 0, "9000000000000000000"),
            ("count(orders)", 0, "2"),
            ("total_spend", 1, "E001 at total_spend"),
            ("sum(orders.amount)", 1, "E001 at sum(orders.amount)"),
            ("avg(orders.amount in last 10 days)", 1, "0.000000000000000001"),
            ("total_spend", 2, "9223372036854775807"),
            ("avg_order_value", 2, "9223372036854775807"),
            ("total_spend + 1", 2, "E001 at total_spend + 1"),
            ("total_spend * 10%", 2, "922337203685477580.7"),
            // A `where` that fails for an order: count and sum fail; any and all
            // fail unless another order settles them.
            ("count(orders where amount * 2 > 0)", 0, "E001 at amount * 2"),
            ("sum(orders.amount where amount * 2 > 0)", 0, "E001 at amount * 2"),
            ("any(orders where amount * 2 > 0)", 0, "E001 at amount * 2"),
            ("all(orders where amount * 2 > 0)", 0, "E001 at amount * 2"),
            ("any(orders where amount * 2 > 0)", 1, "true"),
            ("all(orders where amount * 2 > 0 and amount > 1)", 0, "E001 at amount * 2"),
            ("all(orders where amount < 1000000000000000000 and amount * 2 > 0)", 0, "false"),
        ]
        for (source, customer, expected) in cases {
            XCTAssertEqual(eval(source, customer, interpreter: interpreter), expected, "\(source) for customer \(customer)")
        }
    }

    /// A failure inside a define points into the define and names it; `perk run`
    /// says the rule and the customer.
    func testFailureInADefineNamesTheDefineAndTheRule() throws {
        let orders = [TestShop.Order(customer: 0, date: "2025-02-01", amount: "9000000000000000000", items: [], channel: nil),
                      TestShop.Order(customer: 0, date: "2025-02-02", amount: "9000000000000000000", items: [], channel: nil)]
        let interpreter = Interpreter(customers: TestShop.customers, orders: TestShop.orderTable(orders))
        let source = """
        define big = total_spend > 100
        rule "Big" when member.tier == VIP and big then send coupon 5
        """
        let c = TestShop.compile(source, path: "big.perk")
        let program = try XCTUnwrap(c.program)
        XCTAssertThrowsError(try ActionPlan.make(program: program, interpreter: interpreter, day: TestShop.today)) { error in
            guard let failure = error as? RuntimeFailure else { return XCTFail("\(error)") }
            XCTAssertEqual(DiagnosticRenderer().render(failure.diagnostic), """
            big.perk:1:14: error[E001]: `total_spend` for customer C001 is beyond the numbers Perk can hold exactly
              |
            1 | define big = total_spend > 100
              |              ^^^^^^^^^^^
              = note: in define `big`
              = note: while evaluating rule "Big" as of 2025-03-01
              = help: Perk's numbers are exact fractions of 64-bit integers: whole numbers up to 9,223,372,036,854,775,807, fewer with decimals (below 9.22 with 18 of them); look for an amount with too many digits or decimals

            """)
        }
        // C002 and C003 are not VIP: `false and` the failed define is false for them.
        XCTAssertEqual(try interpreter.holds(program.rules[0].condition, customer: 1, today: TestShop.today), false)
    }

    /// Dates stay in the calendar (0001-01-01 to 9999-12-31): moving one past
    /// either end is an error (E002) with the part written, for days, weeks,
    /// months and years alike; windows reaching past the start cover every date;
    /// months keep the day of the month, clamped to the month's end.
    func testDatesAtTheEndsOfTheCalendar() throws {
        let first = try XCTUnwrap(LocalDate(parsing: "0001-01-01")), last = try XCTUnwrap(LocalDate(parsing: "9999-12-31"))
        let cases: [(String, LocalDate, String)] = [
            // The far end.
            ("date(\"9999-12-31\") + 1 day", TestShop.today, "E002 at date(\"9999-12-31\") + 1 day"),
            ("date(\"9999-12-31\") + 0 days", TestShop.today, "9999-12-31"),
            ("date(\"9999-12-01\") + 30 days", TestShop.today, "9999-12-31"),
            ("date(\"9999-12-24\") + 1 week", TestShop.today, "9999-12-31"),
            ("date(\"9999-12-25\") + 1 week", TestShop.today, "E002 at date(\"9999-12-25\") + 1 week"),
            ("date(\"9999-12-31\") + 1 month", TestShop.today, "E002 at date(\"9999-12-31\") + 1 month"),
            ("date(\"9999-11-30\") + 1 month", TestShop.today, "9999-12-30"),
            ("date(\"9999-12-31\") + 1 year", TestShop.today, "E002 at date(\"9999-12-31\") + 1 year"),
            ("date(\"9998-12-31\") + 1 year", TestShop.today, "9999-12-31"),
            ("date(\"9996-02-29\") + 3 years", TestShop.today, "9999-02-28"),
            ("today + 1 day", last, "E002 at today + 1 day"),
            ("today - 1 day", last, "9999-12-30"),
            ("today - date(\"0001-01-01\")", last, "3652058"),
            ("member.joined in last 100000 years", last, "true"),
            ("count(orders in last 100000 years)", last, "3"),
            // The near end.
            ("date(\"0001-01-01\") - 1 day", TestShop.today, "E002 at date(\"0001-01-01\") - 1 day"),
            ("date(\"0001-01-08\") - 1 week", TestShop.today, "0001-01-01"),
            ("date(\"0001-01-07\") - 1 week", TestShop.today, "E002 at date(\"0001-01-07\") - 1 week"),
            ("date(\"0001-01-31\") - 1 month", TestShop.today, "E002 at date(\"0001-01-31\") - 1 month"),
            ("date(\"0001-02-28\") - 1 month", TestShop.today, "0001-01-28"),
            ("date(\"0001-12-31\") - 1 year", TestShop.today, "E002 at date(\"0001-12-31\") - 1 year"),
            ("date(\"0002-01-01\") - 1 year", TestShop.today, "0001-01-01"),
            ("date(\"0004-02-29\") - 3 years", TestShop.today, "0001-02-28"),
            ("today - 1 day", first, "E002 at today - 1 day"),
            ("today + 1 month", first, "0001-02-01"),
            ("member.joined in last 1 day", first, "false"),
            ("count(orders in last 1 month)", first, "0"),
            // Far from either end, durations as long as the grammar allows.
            ("today - 100000 years", TestShop.today, "E002 at today - 100000 years"),
            ("today + 100000 months", TestShop.today, "E002 at today + 100000 months"),
            ("today + 100000 days", TestShop.today, "2298-12-15"),
            ("today - 100000 weeks", TestShop.today, "0108-08-18"),
            ("member.joined in last 100000 years", TestShop.today, "true"),
            ("count(orders in last 100000 months)", TestShop.today, "3"),
            ("member.joined in last 0 days", TestShop.today, "false"),
            // Feb 29 and month ends.
            ("date(\"2024-02-29\") + 1 year", TestShop.today, "2025-02-28"),
            ("date(\"2024-02-29\") + 4 years", TestShop.today, "2028-02-29"),
            ("date(\"2024-02-29\") - 1 year", TestShop.today, "2023-02-28"),
            ("date(\"2024-02-29\") + 1 month", TestShop.today, "2024-03-29"),
            ("date(\"2024-01-31\") + 1 month", TestShop.today, "2024-02-29"),
            ("date(\"2023-01-31\") + 1 month", TestShop.today, "2023-02-28"),
            ("date(\"2024-03-31\") - 1 month", TestShop.today, "2024-02-29"),
            ("date(\"2024-05-31\") - 1 month", TestShop.today, "2024-04-30"),
            ("date(\"2024-12-31\") + 2 months", TestShop.today, "2025-02-28"),
            ("date(\"2024-01-31\") + 13 months", TestShop.today, "2025-02-28"),
            ("date(\"2024-12-31\") - 12 months", TestShop.today, "2023-12-31"),
            ("date(\"2100-02-28\") + 1 day", TestShop.today, "2100-03-01"),
            ("date(\"2000-02-28\") + 1 day", TestShop.today, "2000-02-29"),
            // A failed date settles nothing an `or` already knows.
            ("date(\"9999-12-31\") + 1 day > today or true", TestShop.today, "true"),
            // date(...) reads a text; one that names no date of the calendar is no date.
            ("date(member.name)", TestShop.today, "missing"),
        ]
        for (source, today, expected) in cases {
            XCTAssertEqual(eval(source, 0, today: today), expected, "\(source) as of \(today)")
        }
    }

    /// A cooldown or window that reaches back before the calendar covers every
    /// day there is: it does not shrink to nothing, and does not wrap around.
    func testCooldownsAtTheEndsOfTheCalendar() throws {
        func statuses(_ rule: String, on days: [String]) throws -> [String] {
            let program = try XCTUnwrap(TestShop.compile(rule).program)
            var engine = DecisionEngine(program: program, customers: TestShop.customers.count)
            return try days.map { text in
                let day = try XCTUnwrap(LocalDate(parsing: text))
                return try engine.decide(customer: 0, day: day, rules: [0], interpreter: TestShop.interpreter).map(\.status.rawValue).joined()
            }
        }
        let cases: [(rule: String, days: [String], expected: [String])] = [
            ("when true then tag \"x\" every 100000 years", ["0001-01-01", "0001-01-02", "5000-06-15", "9999-12-31"],
             ["sent", "skipped_cooldown", "skipped_cooldown", "skipped_cooldown"]),
            ("when true then tag \"x\" every 1 month", ["0001-01-15", "0001-02-14", "0001-02-15"], ["sent", "skipped_cooldown", "sent"]),
            ("when true then tag \"x\" every 1 month", ["9999-11-30", "9999-12-29", "9999-12-30", "9999-12-31"],
             ["sent", "skipped_cooldown", "sent", "skipped_cooldown"]),
            // A year back from 2025-02-28 is 2024-02-28, a day before the decision: not yet.
            ("when true then tag \"x\" every 1 year", ["2024-02-29", "2025-02-28", "2025-03-01"], ["sent", "skipped_cooldown", "sent"]),
            ("when true then tag \"x\" every 3 weeks", ["0001-01-01", "0001-01-21", "0001-01-22"], ["sent", "skipped_cooldown", "sent"]),
        ]
        for (rule, days, expected) in cases {
            XCTAssertEqual(try statuses(rule, on: days), expected, rule)
        }
        // When the cooldown lets the rule act again, as `explain` says it.
        XCTAssertNil(Explainer.nextDay(after: try XCTUnwrap(LocalDate(parsing: "0001-01-01")), cooldown: Duration(100000, .years)))
        XCTAssertEqual(Explainer.nextDay(after: try XCTUnwrap(LocalDate(parsing: "2025-01-31")), cooldown: Duration(1, .months))?.description,
                       "2025-03-01")
        XCTAssertNil(Explainer.nextDay(after: try XCTUnwrap(LocalDate(parsing: "9999-12-15")), cooldown: Duration(1, .months)))
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
        XCTAssertTrue(try interpreter.holds(try XCTUnwrap(checked), customer: 0, today: TestShop.today))
    }
}
