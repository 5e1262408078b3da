import XCTest
@testable import Perk

/// What the README says of the corners a marketer meets, each checked.
final class DocumentedBehaviourTests: XCTestCase {
    func testInNextAndWithinTakeDaysOrWeeksOnly() {
        for (span, ok) in [("3 days", true), ("2 weeks", true), ("1 month", false), ("1 year", false)] {
            let c = TestShop.compile("rule \"r\" when birthday in next \(span) then tag \"t\"\n")
            XCTAssertEqual(c.program != nil, ok, span)
            if !ok { XCTAssertEqual(c.diagnostics.first?.code, "P104", span) }
        }
    }

    func testAnOrderWhoseWhereIsUnknownDoesNotMeetIt() throws {
        // C003's sugar_pref is missing, so `where` is unknown for each of its orders;
        // C001's is "less", so it holds for each of theirs.
        let orders = TestShop.orderTable(TestShop.orders + [TestShop.Order(customer: 2, date: "2025-02-01", amount: "9", items: ["Oolong Milk Tea"])])
        let schema = Schema(customers: TestShop.customers, orders: orders)
        let interpreter = Interpreter(customers: TestShop.customers, orders: orders)
        let table: [(String, customer: Int, Value)] = [
            ("all(orders where member.sugar_pref == \"less\")", 2, .bool(false)),
            ("any(orders where member.sugar_pref == \"less\")", 2, .bool(false)),
            ("count(orders where member.sugar_pref == \"less\")", 2, .number(Number(0))),
            ("sum(orders.amount where member.sugar_pref == \"less\")", 2, .number(Number(0))),
            ("all(orders where member.sugar_pref == \"less\")", 0, .bool(true)),
            ("count(orders where member.sugar_pref == \"less\")", 0, .number(Number(3))),
        ]
        for (text, customer, expected) in table {
            let (checked, diagnostics) = Compiler.compileExpression(SourceFile(path: "e", text: text), schema: schema)
            let e = try XCTUnwrap(checked, "\(text): \(diagnostics.map(\.message))")
            XCTAssertEqual(try interpreter.evaluate(e, customer: customer, today: TestShop.today), expected, "\(text), customer \(customer)")
        }
    }

    func testPlanValuesAreWrittenInTheirShortestExactForm() throws {
        let program = try XCTUnwrap(TestShop.compile("rule \"r\" when member.tier == VIP then send coupon 20.50, award points 10.00\n").program)
        let plan = try ActionPlan.make(program: program, interpreter: TestShop.interpreter, day: TestShop.today)
        let csv = PlanReport(plan: plan, program: program, customers: TestShop.customers).rendered(.csv)
        XCTAssertTrue(csv.contains("C001,r,coupon,20.5,"), csv)
        XCTAssertTrue(csv.contains("C001,r,award_points,10,"), csv)
    }

    func testTiersInDataIgnoreCaseButRulesDoNot() throws {
        let (customers, report) = DataLoader.loadCustomers(bytes: Array("customer_id,tier\nC1,vip\nC2,Gold\n".utf8), path: "c.csv")
        XCTAssertEqual(report.diagnostics.filter { $0.severity == .error }.map(\.message), [])
        let table = try XCTUnwrap(customers)
        let tier = try XCTUnwrap(table.columnIndex(named: "tier"))
        XCTAssertEqual(table.columns[tier].values, [.symbol(3), .symbol(2)])
        let c = TestShop.compile("rule \"r\" when member.tier == vip then tag \"t\"\n")
        XCTAssertEqual(c.diagnostics.first?.code, "P103")
        XCTAssertEqual(c.diagnostics.first?.message, "`vip` is not a tier; did you mean `VIP`?")
    }
}
