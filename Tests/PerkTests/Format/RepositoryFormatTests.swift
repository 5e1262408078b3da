import XCTest
@testable import Perk

/// Every `.perk` text of the repository meant to be well formed is in the
/// canonical layout, so CI's `swift test` is also its `perk fmt --check`:
/// `rules/`, the README's perk blocks, the grammar's examples and the test
/// fixtures that are not there to show mistakes.
final class RepositoryFormatTests: XCTestCase {
    /// The fixtures of diagnostics hold mistakes on purpose, at pinned places.
    static let wellFormedFolders = ["rules", "Tests/PerkTests/Fixtures/explain", "Tests/PerkTests/Fixtures/repl",
                                    "Tests/PerkTests/Fixtures/simulation"]

    /// Each well-formed text of the repository, by a name that says where it is.
    static func texts() throws -> [(name: String, text: String)] {
        var out: [(String, String)] = []
        let (sources, problems) = RuleSources.load(wellFormedFolders.map(Repository.path))
        XCTAssertEqual(problems.map(\.description), [])
        out += sources.map { ($0.path, $0.text) }
        let readme = try Repository.read("README.md")
        out += DocsTests.blocks(in: readme, from: "```perk\n", to: "```").enumerated().map { ("README perk block \($0 + 1)", $1) }
        let grammar = try Repository.read("grammar/perk.ebnf")
        out += DocsTests.blocks(in: grammar, from: "(* Example:\n", to: "*)").enumerated()
            .map { ("grammar example \($0 + 1)", dedented($1)) }
        return out
    }

    func testEveryWellFormedPerkTextIsFormatted() throws {
        let texts = try Self.texts()
        XCTAssertGreaterThanOrEqual(texts.count, 8 + 7 + 2)
        for (name, text) in texts {
            switch Formatter.format(SourceFile(path: name, text: text)) {
            case .formatted(let formatted):
                XCTAssertTrue(text == formatted, "\(name) is not formatted; run perk fmt on it:\n"
                               + UnifiedDiff.diff(text, formatted, oldName: name, newName: name + " (formatted)"))
            case .syntaxErrors(let diagnostics):
                XCTFail("\(name): \(DiagnosticRenderer().render(diagnostics))")
            case .unsafe(let why):
                XCTFail("\(name): \(why)")
            }
        }
    }

    /// The grammar indents its examples inside comments: the common margin goes.
    static func dedented(_ block: String) -> String {
        let lines = block.split(separator: "\n", omittingEmptySubsequences: false)
        let margin = lines.filter { !$0.allSatisfy(\.isWhitespace) }.map { $0.prefix { $0 == " " }.count }.min() ?? 0
        return lines.map { $0.allSatisfy(\.isWhitespace) ? "" : String($0.dropFirst(margin)) }.joined(separator: "\n")
    }
}
