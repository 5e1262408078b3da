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
            let matched = try (0..<data.customers.count).filter { try interpreter.holds(rule.condition, customer: $0, today: day) }.count
            XCTAssertGreaterThan(matched, 0, "\(rule.name) matches nobody")
            XCTAssertLessThan(matched, data.customers.count * 6 / 10, "\(rule.name) matches most of the shop")
        }
    }

    /// The tour's excerpt of `perk run rules/` is what the command prints: its
    /// first lines, then (after `...`) the totals line.
    func testReadmeTourShowsTheRealPlan() throws {
        let readme = try Repository.read("README.md")
        let block = try XCTUnwrap(DocsTests.blocks(in: readme, from: "```text\nAction plan for", to: "```").first)
        let shown = ("Action plan for" + block).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let dots = try XCTUnwrap(shown.firstIndex(of: "..."))
        let workspace = Workspace.open(Workspace.Options(rules: [Repository.path("rules")])).workspace
        let w = try XCTUnwrap(workspace)
        let program = try XCTUnwrap(w.program)
        let day = try XCTUnwrap(w.data.dayAfterLatestOrder)
        let plan = try ActionPlan.make(program: program, interpreter: Interpreter(customers: w.data.customers, orders: w.data.orders), day: day)
        let printed = PlanReport(plan: plan, program: program, customers: w.data.customers).table()
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(shown[..<dots]), Array(printed.prefix(dots)))
        XCTAssertTrue(printed.contains(shown[dots + 1]), "the totals line \(shown[dots + 1])")
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

extension DocsTests {
    /// The tour's "going live" commands, run as written in a fresh folder,
    /// print what the README shows, and the code it quotes is in the plan.
    func testReadmeGoingLiveIsWhatTheCommandsPrint() throws {
        let readme = try Repository.read("README.md")
        let tour = try XCTUnwrap(DocsTests.blocks(in: readme, from: "**8. Going live.**", to: "## The language in brief").first)
        let folder = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: folder) }
        let journal = folder.appendingPathComponent("journal").path
        let rules = Repository.path("rules")

        let preview = try PerkProcess.run(["run", rules, "--journal", journal, "--format", "csv"])
        XCTAssertEqual(preview.status, 0)
        let previewLine = try XCTUnwrap(preview.stderr.split(separator: "\n").last).replacingOccurrences(of: journal, with: "journal")
        XCTAssertTrue(tour.contains(previewLine + "\n"), previewLine)
        XCTAssertFalse(FileManager.default.fileExists(atPath: journal), "a preview writes nothing")

        let commit = try PerkProcess.run(["run", rules, "--journal", journal, "--commit", "--format", "csv"])
        XCTAssertEqual(commit.status, 0)
        let commitLine = try XCTUnwrap(commit.stderr.split(separator: "\n").last).replacingOccurrences(of: journal, with: "journal")
        XCTAssertTrue(tour.contains(commitLine + "\n"), commitLine)
        XCTAssertEqual(commit.stdout, preview.stdout, "the preview shows the codes the commit issues")
        let quoted = try XCTUnwrap(tour.range(of: "sent coupon's code (`")).upperBound
        XCTAssertTrue(commit.stdout.contains("," + tour[quoted...].prefix(11) + "\n"))
    }
}

extension DocsTests {
    /// The tests written in the grammar's and the README's examples check and
    /// pass against the rules written beside them.
    func testTheDocumentedTestsPass() throws {
        let grammar = try Repository.read("grammar/perk.ebnf")
        let readme = try Repository.read("README.md")
        let blocks = DocsTests.blocks(in: grammar, from: "(* Example:", to: "*)") + DocsTests.blocks(in: readme, from: "```perk", to: "```")
        let withTests = blocks.filter { $0.contains("test \"") }
        XCTAssertGreaterThanOrEqual(withTests.count, 2, "the grammar and the README each show a test")
        let rules = RuleSources.load([Repository.path("rules")]).files.filter { !$0.path.contains("/tests/") }
        for (i, block) in withTests.enumerated() {
            // A test without rules of its own (the tour's) tests those in rules/.
            let own = block.contains("rule \"") || block.contains("when ")
            let outcome = RuleTestRun.run([SourceFile(path: "documented test \(i + 1)", text: block)] + (own ? [] : rules))
            XCTAssertEqual(DiagnosticRenderer().render(outcome.diagnostics), "", block)
            XCTAssertEqual(outcome.suite.map { TestReport($0, program: outcome.program!).text() }, outcome.suite.map { "\(TestReport($0, program: outcome.program!).summary())\n" }, block)
            XCTAssertTrue(outcome.passes, block)
        }
    }
}

extension DocsTests {
    /// The tour's failing test is what `perk test rules/` prints once
    /// `rules/winback.perk` says `> 90`: its first lines, then (after `...`) the summary.
    func testReadmeTourShowsTheRealTestFailure() throws {
        let readme = try Repository.read("README.md")
        let block = try XCTUnwrap(DocsTests.blocks(in: readme, from: "```text\nFAIL rules/tests/winback.test.perk", to: "```").first)
        let shown = ("FAIL rules/tests/winback.test.perk" + block).split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let dots = try XCTUnwrap(shown.firstIndex(of: "..."))
        let root = Repository.path("rules")
        let sources = RuleSources.load([root]).files.map { file -> SourceFile in
            let relative = "rules" + file.path.dropFirst(root.count)
            let text = relative == "rules/winback.perk" ? file.text.replacingOccurrences(of: "days_since_visit > 60", with: "days_since_visit > 90") : file.text
            return SourceFile(path: relative, text: text)
        }
        let outcome = RuleTestRun.run(sources)
        let suite = try XCTUnwrap(outcome.suite), program = try XCTUnwrap(outcome.program)
        let printed = TestReport(suite, program: program).text().split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        XCTAssertEqual(Array(shown[..<dots]), Array(printed.prefix(dots)))
        XCTAssertEqual(shown[dots + 1], printed.dropLast().last)
        let passing = RuleTestRun.run(RuleSources.load([root]).files)
        XCTAssertTrue(readme.contains("(`\(try XCTUnwrap(passing.suite.map { TestReport($0, program: program).summary() }))`)"), "the tour's count of tests")
    }
}
