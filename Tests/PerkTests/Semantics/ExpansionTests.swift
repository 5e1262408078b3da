import XCTest
@testable import Perk

/// Inputs far larger than anyone writes by hand, as generated rules are: long
/// `and`/`or` chains are balanced by the parser and go through every phase;
/// arithmetic chains, defines nested too deep and defines that double at
/// every step are refused with their place, never a crash or a hang.
final class ExpansionTests: XCTestCase {
    private func compile(_ source: String) -> Compilation {
        Compiler.compile([SourceFile(path: "t.perk", text: source)], schema: Repository.sampleSchema)
    }

    private func errors(_ c: Compilation) -> [String] {
        c.diagnostics.filter(\.isError).map { "\($0.position ?? ""): \($0.code): \($0.message)" }
    }

    func testTenThousandTermChainsCheckRunExplainAndLint() throws {
        let terms = (0..<10_000).map { "visit_count > \($0 % 40)" }
        let c = compile("""
        rule "all" when \(terms.joined(separator: " and ")) then tag "a"
        rule "any" when \(terms.joined(separator: " or ")) then tag "b"
        """)
        XCTAssertEqual(errors(c), [])
        let program = try XCTUnwrap(c.program)
        let data = Repository.sampleShop
        let day = try XCTUnwrap(data.dayAfterLatestOrder)
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        for customer in stride(from: 0, to: data.customers.count, by: 97) {
            let visits: Value = try interpreter.derived(.visitCount, customer: customer, today: day)
            guard case .number(let n) = visits else { return XCTFail("visit_count of \(customer) is \(visits)") }
            XCTAssertEqual(try interpreter.holds(program.rules[0].condition, customer: customer, today: day), n > Number(39), "\(customer)")
            XCTAssertEqual(try interpreter.holds(program.rules[1].condition, customer: customer, today: day), n > .zero, "\(customer)")
        }
        let explained = ExplainReport(Explainer(program: program, interpreter: interpreter).explain(rule: 0, customer: 0, day: day)).rendered()
        XCTAssertTrue(explained.contains("more not shown"), explained)
        XCTAssertLessThan(explained.utf8.count, 20_000, "a long chain's explanation stays a page")
        let lint = Linter.lint(c, population: nil, dataGiven: false, day: day)
        XCTAssertFalse(lint.diagnostics.hasErrors)
    }

    /// `and` and `or` chains are balanced trees now; with missing values they
    /// must still mean what the left-to-right reading means, for every mix.
    func testBalancedChainsKeepThreeValuedLogic() throws {
        let columns = (1...6).map { "b\($0)" }
        var customers = "customer_id," + columns.joined(separator: ",") + "\n"
        let cells = ["true", "false", ""]
        for k in 0..<729 {
            var n = k
            let row = columns.map { _ -> String in defer { n /= 3 }; return cells[n % 3] }
            customers += String(format: "C%04d,", k) + row.joined(separator: ",") + "\n"
        }
        let data = try SimulationShop.data(customers: customers)
        let conditions = [
            columns.map { "member.\($0)" }.joined(separator: " and "),
            columns.map { "member.\($0)" }.joined(separator: " or "),
            "member.b1 and member.b2 or member.b3 and member.b4 or member.b5 and not member.b6",
        ]
        let program = try SimulationShop.program(conditions.enumerated().map { "rule \"r\($0.offset)\" when \($0.element) then tag \"t\"" }
            .joined(separator: "\n"), data: data)
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        // Kleene's three values, folded from the left as written.
        func and(_ a: Bool?, _ b: Bool?) -> Bool? { a == false || b == false ? false : (a == nil || b == nil ? nil : true) }
        func or(_ a: Bool?, _ b: Bool?) -> Bool? { a == true || b == true ? true : (a == nil || b == nil ? nil : false) }
        for c in 0..<data.customers.count {
            let v = (0..<6).map { i -> Bool? in
                if case .bool(let b) = data.customers.columns[i].values[c] { return b }
                return nil
            }
            let expected: [Bool?] = [
                v.dropFirst().reduce(v[0], and),
                v.dropFirst().reduce(v[0], or),
                or(or(and(v[0], v[1]), and(v[2], v[3])), and(v[4], v[5].map { !$0 })),
            ]
            for (r, want) in expected.enumerated() {
                let value = try interpreter.evaluate(program.rules[r].condition, customer: c, today: TestShop.today)
                let got: Bool? = { if case .bool(let b) = value { return b }; return nil }()
                XCTAssertEqual(got, want, "rule \(r), customer \(data.customers.ids[c]): \(v)")
            }
        }
    }

    /// Left to right still: after the first false part of an `and`, the rest
    /// is not evaluated, however the chain is grouped inside.
    func testAChainStopsAtItsFirstFalsePart() throws {
        let c = compile("rule \"r\" when visit_count >= 0 and visit_count < 0 and visit_count > 1 and visit_count > 2 and visit_count > 3 then tag \"a\"")
        let program = try XCTUnwrap(c.program)
        let data = Repository.sampleShop
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        let e = Explainer(program: program, interpreter: interpreter).explain(rule: 0, customer: 0, day: try XCTUnwrap(data.dayAfterLatestOrder))
        XCTAssertEqual(e.condition.children.map(\.text), ["visit_count >= 0", "visit_count < 0", "visit_count > 1", "visit_count > 2", "visit_count > 3"])
        XCTAssertEqual(e.condition.children.map { $0.value.map { "\($0)" } ?? "not evaluated" },
                       ["true", "false", "not evaluated", "not evaluated", "not evaluated"])
    }

    func testALongArithmeticChainIsRefusedAtItsOperator() {
        let sum = (0..<300).map { _ in "visit_count" }.joined(separator: " + ")
        let c = compile("rule \"r\" when \(sum) > 5 then tag \"a\"")
        let found = c.diagnostics.filter(\.isError)
        XCTAssertEqual(found.map(\.code), ["P009"])
        XCTAssertEqual(found.first?.message, "this arithmetic has more than 200 terms")
        // The 200th `+`, which would add the 201st term: `rule "r" when ` is 14 columns, each `visit_count + ` 14 more.
        XCTAssertEqual(found.first?.position, "t.perk:1:\(14 + 199 * 14 + 13)")
    }

    func testDefinesNestedTooDeepAreRefusedOnceWhateverTheirOrder() {
        let forward = (1...10_000).map { "define d\($0) = d\($0 - 1) + 1" }
        let lines = ["define d0 = visit_count"] + forward + ["rule \"r\" when d10000 > 3 then tag \"a\""]
        XCTAssertEqual(errors(compile(lines.joined(separator: "\n"))),
                       ["t.perk:129:8: P116: define `d128` is nested more than 256 levels deep once its defines are written out"])
        let backward = [lines.last!] + forward.reversed() + [lines[0]]
        let found = errors(compile(backward.joined(separator: "\n")))
        XCTAssertEqual(found.count, 1, "\(found)")
        XCTAssertTrue(found.first?.hasSuffix("is built from defines more than 256 deep (`d9744` in `d9745` in `d9746`, ...)") ?? false, "\(found)")
    }

    func testDefinesThatDoubleAtEveryStepAreRefusedWhereTheyOutgrowTheLimit() throws {
        var lines = ["define d0 = visit_count > 1"] + (1...30).map { "define d\($0) = d\($0 - 1) and d\($0 - 1)" }
        lines.append("rule \"r\" when d30 then tag \"a\"")
        XCTAssertEqual(errors(compile(lines.joined(separator: "\n"))),
                       ["t.perk:16:8: P116: define `d15` is too large: written out with its defines, it has more than 100,000 parts"])
        // One step short of the limit still checks, runs and explains.
        let fine = compile((lines.prefix(15) + ["rule \"r\" when d14 then tag \"a\""]).joined(separator: "\n"))
        let program = try XCTUnwrap(fine.program, "\(errors(fine))")
        XCTAssertLessThan(Expansion.of(program.rules[0].condition, defines: [:]).size, Expansion.maxSize)
    }
}
