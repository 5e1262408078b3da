import XCTest
@testable import Perk

/// Columns named in the shop's language (`城市`, `préférence`) or with spaces
/// (`store name`) can be written in a rule, and are evaluated like any other.
final class ColumnNameTests: XCTestCase {
    private func words(_ text: String) -> [String] {
        var lexer = Lexer(SourceFile(path: "t.perk", text: text))
        var out: [String] = []
        while true {
            let t = lexer.next()
            if case .end = t.kind { return out }
            switch t.kind {
            case .word: out.append("word \(t.text)")
            case .string: out.append("text \(t.text)")
            case .number: out.append("number \(t.text)")
            case .error: out.append("error \(t.text)")
            default: out.append(t.text)
            }
        }
    }

    func testLettersOfEveryScriptMakeWords() {
        let table: [(String, [String])] = [
            ("member.城市", ["word member", ".", "word 城市"]),
            ("member.préférence2", ["word member", ".", "word préférence2"]),
            ("member.\"store name\"", ["word member", ".", "text store name"]),
            ("门店_id", ["word 门店_id"]),
            ("¥20", ["error ¥", "number 20"]),
            ("元20", ["error 元", "number 20"]),
            ("价格元", ["word 价格元"]),
        ]
        for (text, expected) in table { XCTAssertEqual(words(text), expected, text) }
    }

    func testWrittenColumnNames() {
        let table: [(String, String)] = [("tier", "tier"), ("城市", "城市"), ("store name", "\"store name\""),
                                         ("2nd", "\"2nd\""), ("元宝", "\"元宝\""), ("a-b", "\"a-b\"")]
        for (name, written) in table { XCTAssertEqual(Lexer.writtenColumnName(name), written, name) }
    }

    func testRulesNameAndEvaluateSuchColumns() throws {
        let customers = CustomerTable(
            source: "customers.csv", ids: ["C1", "C2"],
            columns: [CustomerColumn(name: "城市", type: .text, values: [.text("上海"), .text("北京")]),
                      CustomerColumn(name: "store name", type: .text, values: [.text("Jing An"), .text("Jing An")])],
            lines: [2, 3])
        let orders = TestShop.orderTable([])
        let source = "rule \"sh\" when member.城市 == \"上海\" and member.\"store name\" == \"Jing An\" then tag \"sh\"\n"
        let compiled = Compiler.compile([SourceFile(path: "r.perk", text: source)], schema: Schema(customers: customers, orders: orders))
        let program = try XCTUnwrap(compiled.program, "\(compiled.diagnostics.map(\.message))")
        let interpreter = Interpreter(customers: customers, orders: orders)
        XCTAssertEqual(try (0..<2).map { try interpreter.holds(program.rules[0].condition, customer: $0, today: TestShop.today) }, [true, false])

        let typo = Compiler.compile([SourceFile(path: "r.perk", text: "rule \"x\" when member.\"store nam\" == \"a\" then tag \"t\"\n")],
                                    schema: Schema(customers: customers, orders: orders))
        XCTAssertEqual(typo.diagnostics.first?.message, "unknown field `member.\"store nam\"`; did you mean `member.\"store name\"`?")
        XCTAssertEqual(typo.diagnostics.first?.fixIt?.replacement, "\"store name\"")
    }
}
