import XCTest
@testable import Perk

/// The grammar's examples, the README's perk blocks and every file in `rules/`
/// are parsed and checked, so the documentation cannot drift from the parser.
final class DocsTests: XCTestCase {
    private func assertCompiles(_ source: String, path: String, file: StaticString = #filePath, line: UInt = #line) -> CheckedProgram? {
        let c = Compiler.compile([SourceFile(path: path, text: source)], schema: Repository.sampleSchema)
        XCTAssertEqual(DiagnosticRenderer().render(c.diagnostics), "", path, file: file, line: line)
        return c.program
    }

    func testGrammarExamplesParseAndCheck() throws {
        let grammar = try Repository.read("grammar/perk.ebnf")
        let blocks = DocsTests.blocks(in: grammar, from: "(* Example:", to: "*)")
        XCTAssertGreaterThanOrEqual(blocks.count, 7, "the grammar keeps its examples")
        for (i, block) in blocks.enumerated() {
            _ = assertCompiles(block, path: "grammar example \(i + 1)")
        }
    }

    func testReadmePerkBlocksParseAndCheck() throws {
        let readme = try Repository.read("README.md")
        let blocks = DocsTests.blocks(in: readme, from: "```perk", to: "```")
        XCTAssertGreaterThanOrEqual(blocks.count, 2)
        for (i, block) in blocks.enumerated() {
            _ = assertCompiles(block, path: "README perk block \(i + 1)")
        }
    }

    /// Every example campaign checks, and each of its rules selects a sensible,
    /// non-empty set of the sample shop's customers on the default day.
    func testRulesFolderChecksAndEveryRuleSelectsSomeone() throws {
        let (sources, problems) = RuleSources.load([Repository.path("rules")])
        XCTAssertEqual(problems.map(\.description), [])
        XCTAssertGreaterThanOrEqual(sources.count, 8)
        let c = Compiler.compile(sources, schema: Repository.sampleSchema)
        XCTAssertEqual(DiagnosticRenderer().render(c.diagnostics), "")
        let program = try XCTUnwrap(c.program)
        let data = Repository.sampleShop
        let day = try XCTUnwrap(data.dayAfterLatestOrder)
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        for rule in program.rules {
            let matched = (0..<data.customers.count).filter { interpreter.holds(rule.condition, customer: $0, today: day) }.count
            XCTAssertGreaterThan(matched, 0, "\(rule.name) matches nobody")
            XCTAssertLessThan(matched, data.customers.count * 6 / 10, "\(rule.name) matches most of the shop")
        }
    }

    func testBriefExamplesCheckAgainstTheSampleShop() {
        _ = assertCompiles(Examples.smallest, path: "smallest")
        _ = assertCompiles(Examples.springWinback, path: "spring-winback")
    }

    /// The text between each `start` marker and the next `end` marker.
    static func blocks(in text: String, from start: String, to end: String) -> [String] {
        var out: [String] = []
        var rest = text[...]
        while let s = rest.range(of: start) {
            let body = rest[s.upperBound...]
            guard let e = body.range(of: end) else { break }
            out.append(String(body[..<e.lowerBound]))
            rest = body[e.upperBound...]
        }
        return out
    }
}
