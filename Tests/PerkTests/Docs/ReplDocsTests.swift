import XCTest
@testable import Perk

/// The REPL's examples in the grammar ("Session:" blocks) and the README's
/// `perk repl` session run over the sample shop without an error.
final class ReplDocsTests: XCTestCase {
    private func assertRuns(_ block: String, _ name: String, file: StaticString = #filePath, line: UInt = #line) {
        let data = Repository.sampleShop
        var session = ReplSession(data: data, day: data.dayAfterLatestOrder ?? TestShop.today)
        var replies: [ReplSession.Reply] = []
        for text in block.split(separator: "\n", omittingEmptySubsequences: false) {
            guard let reply = session.feed(String(text)) else { continue }
            replies.append(reply)
            let blank = text.allSatisfy { $0 == " " }
            XCTAssertTrue(blank || !reply.output.isEmpty, "\(name): `\(text)` answers", file: file, line: line)
        }
        if let reply = session.finish() { replies.append(reply) }
        let problems = replies.flatMap(\.diagnostics)
        XCTAssertEqual(DiagnosticRenderer().render(problems), "", name, file: file, line: line)
        XCTAssertFalse(replies.isEmpty, name, file: file, line: line)
    }

    func testGrammarSessionExamplesRun() throws {
        let grammar = try Repository.read("grammar/perk.ebnf")
        let blocks = DocsTests.blocks(in: grammar, from: "(* Session:", to: "*)")
        XCTAssertGreaterThanOrEqual(blocks.count, 1)
        for (i, block) in blocks.enumerated() { assertRuns(block, "grammar session \(i + 1)") }
    }

    /// README blocks that start with `perk> ` lines: the lines typed at the prompt.
    func testReadmeSessionRuns() throws {
        let readme = try Repository.read("README.md")
        let sessions = DocsTests.blocks(in: readme, from: "```text\nperk> ", to: "```")
        XCTAssertGreaterThanOrEqual(sessions.count, 1)
        for (i, block) in sessions.enumerated() {
            let typed = ("perk> " + block).split(separator: "\n").compactMap { line -> String? in
                if line.hasPrefix("perk> ") { return String(line.dropFirst(6)) }
                if line.hasPrefix("  ... ") { return String(line.dropFirst(6)) }
                return nil
            }
            assertRuns(typed.joined(separator: "\n"), "README session \(i + 1)")
        }
    }
}
