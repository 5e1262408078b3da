import XCTest
@testable import Perk

/// Text that reaches a table, a page or a CSV file is handled by Unicode
/// scalars, never by Characters: Swift takes CRLF for one Character, and a
/// `<` or `"` followed by a combining mark for another.
final class LineBreakTextTests: XCTestCase {
    func testOneLineTurnsEveryLineBreakIntoOneSpace() {
        let cases: [(String, String)] = [
            ("Ann", "Ann"),
            ("Lee\nAnn", "Lee Ann"),
            ("Lee\r\nAnn", "Lee Ann"),
            ("Lee\rAnn", "Lee Ann"),
            ("\r\n\r\n", "  "),
            ("\r\r\n\n", "   "),
            ("王\r\n芳 👩‍👩‍👧", "王 芳 👩‍👩‍👧"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(ValueText.oneLine(text), expected, text.debugDescription)
            XCTAssertEqual(ValueText.shown(.text(text), as: .text), expected, text.debugDescription)
        }
    }

    func testHTMLEscapingSeesMarkupCharactersWithCombiningMarks() {
        let cases: [(String, String)] = [
            ("a < b", "a &lt; b"),
            ("<\u{338}script>", "&lt;\u{338}script&gt;"),
            ("\"\u{301}'&", "&quot;\u{301}&#39;&amp;"),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(SVGCharts.escape(text), expected, text.debugDescription)
        }
    }

    /// Names read from quoted CSV fields keep their line breaks; the plan's
    /// table shows each customer on one line, and its CSV quotes them.
    func testAPlanWithLineBreaksInNamesKeepsOneRowPerAction() throws {
        let customersCSV = "customer_id,name,tier\nC1,\"Lee\r\nAnn\",VIP\nC2,\"Bo\rChen\",VIP\nC3,\"Wu\nFang\",VIP\n"
        let customers = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0)
        let orders = try XCTUnwrap(DataLoader.loadOrders(bytes: Array("order_id,customer_id,ordered_at,amount\n".utf8),
                                                         path: "orders.csv", customers: customers).0)
        let compiled = Compiler.compile([SourceFile(path: "t.perk", text: "rule \"Hi\" when member.tier == VIP then tag \"x\"")],
                                        schema: Schema(customers: customers, orders: orders))
        let program = try XCTUnwrap(compiled.program)
        let plan = try ActionPlan.make(program: program, interpreter: Interpreter(customers: customers, orders: orders),
                                   day: LocalDate(year: 2025, month: 3, day: 1)!)
        let report = PlanReport(plan: plan, program: program, customers: customers)
        let table = report.table()
        for name in ["Lee Ann", "Bo Chen", "Wu Fang"] { XCTAssertTrue(table.contains(name), table) }
        XCTAssertFalse(table.unicodeScalars.contains("\r"), table)
        XCTAssertEqual(try CSVWriterTests.pythonCSV(report.csv()).count, 4, report.csv())
    }
}
