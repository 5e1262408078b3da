import XCTest
@testable import Perk

/// Rules checked against a schema with no rows (as from headers), then bound
/// to data whose columns come in another order, answer as rules checked
/// against the data itself; the binder, not the checker, knows the items.
final class BinderTests: XCTestCase {
    static let rules = """
    define regular = visit_count >= 2
    rule "jasmine" when any(orders where items contains "Jasmine Green Tea") then tag "j"
    rule "points" when member.points > 20 and regular then send coupon 5 via sms
    rule "typo" when any(orders where items contains "Jasmin Green Tea") then tag "t"
    rule "channel" when count(orders where channel == "store") >= 1 then tag "s"
    """

    /// The test shop's customers with their columns reversed, and the schema a
    /// header line in the original order would give (no item names: no rows read).
    private func reversedData() -> (headers: Schema, data: Schema, customers: CustomerTable) {
        var reversed = TestShop.customers
        reversed.columns.reverse()
        var headers = Schema(customers: TestShop.customers, orders: TestShop.orderTable)
        headers.itemNames = nil
        return (headers, Schema(customers: reversed, orders: TestShop.orderTable), reversed)
    }

    func testRulesCheckedBeforeTheRowsAnswerAsRulesCheckedAgainstThem() throws {
        let (headers, data, reversed) = reversedData()
        let source = SourceFile(path: "b.perk", text: Self.rules)
        let checked = Compiler.compile([source], schema: headers)
        XCTAssertEqual(checked.diagnostics.map(\.code), [], "no data, so no item warnings yet")
        let (bound, warnings) = Binder.bind(try XCTUnwrap(checked.program), to: data)
        XCTAssertEqual(warnings.map(\.code), ["P115"])
        XCTAssertEqual(warnings.first?.message, "no order has the item \"Jasmin Green Tea\"; did you mean \"Jasmine Green Tea\"?")

        let direct = try XCTUnwrap(TestShop.compile(Self.rules, path: "b.perk").program)
        let boundInterpreter = Interpreter(customers: reversed, orders: TestShop.orderTable)
        for r in direct.rules.indices {
            XCTAssertEqual(bound.rules[r].name, direct.rules[r].name)
            for c in 0..<3 {
                XCTAssertEqual(try boundInterpreter.evaluate(bound.rules[r].condition, customer: c, today: TestShop.today),
                               try TestShop.interpreter.evaluate(direct.rules[r].condition, customer: c, today: TestShop.today),
                               "\(direct.rules[r].name), customer \(c)")
            }
        }
        // The consent column is found where the data has it.
        let points = try XCTUnwrap(bound.rules.first { $0.name == "points" })
        XCTAssertEqual(points.actions[0].consentSlot, reversed.columnIndex(named: "sms_opt_in"))
    }

    func testAnUnboundItemTestAnswersByName() throws {
        let (headers, _, _) = reversedData()
        let program = try XCTUnwrap(Compiler.compile([SourceFile(path: "b.perk", text: Self.rules)], schema: headers).program)
        let jasmine = try XCTUnwrap(program.rules.first { $0.name == "jasmine" })
        let answers = try (0..<3).map { try TestShop.interpreter.holds(jasmine.condition, customer: $0, today: TestShop.today) }
        XCTAssertEqual(answers, [true, false, false])
    }

    func testEveryNodeOfACompiledProgramHasItsOwnID() throws {
        let program = try XCTUnwrap(TestShop.compile(Self.rules).program)
        var ids: [NodeID] = []
        for rule in program.rules { rule.condition.forEachNode { ids.append($0.id) } }
        for define in program.defines { define.value.forEachNode { ids.append($0.id) } }
        XCTAssertEqual(ids.count, program.nodeCount)
        XCTAssertEqual(Set(ids).count, ids.count, "ids are distinct, the uses of a define included")
        XCTAssertEqual(ids.map(\.index).sorted(), Array(0..<program.nodeCount), "ids are dense from 0")
    }
}
