import XCTest
@testable import Perk

/// Totals the decision engine and the simulator keep (a campaign's spending,
/// points, the cost of coupons) past the range of exact numbers stop the run
/// with an error at the rule's action, naming the customer and the day, instead
/// of a total that quietly left something out.
final class RunningTotalsTests: XCTestCase {
    /// What went wrong, as `CODE file:line:column subject for customer ID as of DAY`.
    private func failure(_ body: () throws -> Void, file: StaticString = #filePath, line: UInt = #line) -> String {
        do {
            try body()
            return "no error"
        } catch let failure as RuntimeFailure {
            let d = failure.diagnostic
            return "\(d.code) \(d.position ?? "?") \(failure.subject) for \(failure.customerID ?? "-") as of \(failure.day)"
        } catch {
            XCTFail("\(error)", file: file, line: line)
            return "\(error)"
        }
    }

    func testTotalsPastTheRangeStopWithTheirPlace() throws {
        let orders = SimulationShop.noOrders + """
        O1,C001,2025-03-01,0.000000000000000001,Jasmine Green Tea
        O2,C002,2025-03-01,20.00,Jasmine Green Tea

        """
        let cases: [(rules: String, expected: String)] = [
            // Spending: 9e18 fits a budget as large as Perk's numbers go; twice does not.
            ("""
             rule "big" when true then send coupon 9000000000000000000
             campaign "c" budget 9223372036854775807 rules "big"
             """, "E001 t.perk:1:27 campaign \"c\"'s spending on coupons for C002 as of 2025-03-01"),
            // A campaign without a budget still counts its spending, for the report.
            ("""
             rule "big" when true then tag "x", send coupon 9000000000000000000
             campaign "c" rules "big"
             """, "E001 t.perk:1:36 campaign \"c\"'s spending on coupons for C002 as of 2025-03-01"),
            // Points: two awards of 9e18 to one customer over two days.
            ("rule \"p\" when member.tier == SILVER then award points 9000000000000000000",
             "E001 t.perk:1:42 the points the rule awarded for C001 as of 2025-03-02"),
            // The cost of 15% off an order of 10^-18 needs a denominator past the range.
            ("rule \"pct\" when member.tier == SILVER then send coupon 15% max 10",
             "E001 t.perk:1:44 the amount the coupon takes off an order of 0.000000000000000001 for C001 as of 2025-03-01"),
            // Within the range, nothing fails.
            ("rule \"ok\" when member.tier == GOLD then send coupon 15% max 10, award points 3000000000000000000",
             "no error"),
        ]
        for (rules, expected) in cases {
            let data = try SimulationShop.data(orders: orders)
            let program = try SimulationShop.program(rules, data: data)
            let period = try XCTUnwrap(SimulationPeriod(from: try SimulationShop.day("2025-03-01"), to: try SimulationShop.day("2025-03-03")))
            let found = failure {
                _ = try Simulator(program: program, customers: data.customers, orders: data.orders, period: period, workers: 1).run()
            }
            XCTAssertEqual(found, expected, rules)
        }
    }

    /// `perk run` decides with the same engine: a budget's spending past the
    /// range is an error there too, at the first customer who would push it past.
    func testPlanStopsWhereTheBudgetsSpendingPassesTheRange() throws {
        let program = try XCTUnwrap(TestShop.compile("""
        rule "big" when true then send coupon 5000000000000000000
        campaign "c" budget 9223372036854775807 rules "big"
        """).program)
        let found = failure { _ = try ActionPlan.make(program: program, interpreter: TestShop.interpreter, day: TestShop.today, workers: 2) }
        XCTAssertEqual(found, "E001 t.perk:1:27 campaign \"c\"'s spending on coupons for C002 as of 2025-03-01")
    }
}
