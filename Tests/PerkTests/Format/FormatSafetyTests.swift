import XCTest
@testable import Perk

/// `perk fmt` changes layout only (README: `perk fmt`): on every `.perk` text
/// of the repository, on the same texts laid out badly, and on a generated
/// corpus with comments everywhere, the formatted file checks to the same
/// program, formatting it again changes nothing, and every comment survives.
final class FormatSafetyTests: XCTestCase {
    func testTheRepositorysTextsStayTheSameProgramWhateverTheirIndentationAndLineEnds() throws {
        var texts = try RepositoryFormatTests.texts()
        let (fixtures, _) = RuleSources.load([Repository.path("Tests/PerkTests/Fixtures/diagnostics")])
        texts += fixtures.map { ($0.path, $0.text) }
        texts += [("brief: smallest", Examples.smallest), ("brief: spring win-back", Examples.springWinback)]
        var rng = SplitMix64(seed: 18)
        var formattedCount = 0
        for (name, text) in texts {
            guard let formatted = assertSameProgram(text, name: name) else { continue }
            formattedCount += 1
            for round in 0..<3 {
                let messy = Self.messedUp(text, &rng)
                XCTAssertEqual(assertSameProgram(messy, name: "\(name), messed up \(round)"), formatted, "\(name), messed up \(round):\n\(messy)")
            }
        }
        XCTAssertGreaterThan(formattedCount, 20)
    }

    func testAGeneratedCorpusWithCommentsEverywhereStaysTheSameProgram() {
        var formatted = 0
        for index in 0..<80 {
            var rng = SplitMix64(seed: 1_818 ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            var generator = RulesGenerator()
            let text = generator.file(&rng)
            guard let once = assertSameProgram(text, name: "generated \(index)") else { continue }
            formatted += 1
            // Comments on the lines of the formatted file reach into broken conditions.
            let commented = Self.withComments(once, &rng)
            _ = assertSameProgram(commented, name: "generated \(index) with comments")
        }
        XCTAssertGreaterThan(formatted, 30, "enough generated files parse to test something")
    }

    /// A file with syntax errors is not formatted, and says why.
    func testFilesWithSyntaxErrorsAreLeftAlone() {
        for index in 0..<200 {
            var rng = SplitMix64(seed: 7_018 ^ (UInt64(index) &* 0x9E37_79B9_7F4A_7C15))
            var generator = RulesGenerator()
            var text = generator.file(&rng)
            text.insert(contentsOf: " ) ", at: text.index(text.startIndex, offsetBy: rng.below(text.count)))
            let source = SourceFile(path: "broken \(index)", text: text)
            let parses = Parser.parse(source).1.allSatisfy { !$0.isError }
            if case .syntaxErrors(let d) = Formatter.format(source) {
                XCTAssertFalse(parses, "broken \(index)")
                XCTAssertFalse(d.isEmpty)
            } else {
                XCTAssertTrue(parses, "broken \(index) was formatted:\n\(text)")
            }
        }
    }

    // MARK: - Helpers

    /// Formats `text`, checks that the result is the same program, formatted
    /// again is itself, and holds the same comments; the result, or nil when
    /// `text` has syntax errors.
    @discardableResult
    private func assertSameProgram(_ text: String, name: String, file: StaticString = #filePath, line: UInt = #line) -> String? {
        let source = SourceFile(path: "t.perk", text: text)
        switch Formatter.format(source) {
        case .syntaxErrors:
            return nil
        case .unsafe(let why):
            XCTFail("\(name): \(why)\n\(text)", file: file, line: line)
            return nil
        case .formatted(let out):
            if case .formatted(let again) = Formatter.format(SourceFile(path: "t.perk", text: out)) {
                XCTAssertEqual(again, out, "\(name): formatting twice", file: file, line: line)
            } else {
                XCTFail("\(name): the formatted file does not format", file: file, line: line)
            }
            XCTAssertEqual(Self.comments(out), Self.comments(text), "\(name): comments", file: file, line: line)
            // The generator's doubling defines take the checker half a second
            // each (debug build); the formatter's own check compares their trees.
            if !text.contains("define x1 = x0") {
                XCTAssertEqual(Self.checked(out), Self.checked(text), "\(name): the checked program\n\(text)\n---\n\(out)", file: file, line: line)
            }
            return out
        }
    }

    /// A small shop: the checker needs its columns, not its sixty thousand orders.
    private static let schema: Schema = {
        let shop = DataSet.sampleShop(SampleShopConfig(customers: 60, orders: 1_500, seed: 11))
        return Schema(customers: shop.customers, orders: shop.orders)
    }()

    /// The checked program without positions (an unnamed rule's name is its
    /// line, which formatting may move), or the checker's diagnostics.
    static func checked(_ text: String) -> String {
        let c = Compiler.compile([SourceFile(path: "t.perk", text: text)], schema: schema)
        guard let program = c.program else {
            return c.diagnostics.map { "\($0.code) \($0.message.replacingOccurrences(of: #"t\.perk:\d+"#, with: "t.perk", options: .regularExpression))" }
                .joined(separator: "\n")
        }
        let rules = program.rules.map { rule in
            "\(rule.name.hasPrefix("t.perk:") ? "unnamed" : rule.name) when \(unexpanded(rule.condition).canonicalText) "
                + SyntaxFingerprint.describe(rule, skipping: ["condition", "name", "nameRange", "file"])
        }
        let defines = program.defines.map { "\($0.name) = \(unexpanded($0.value).canonicalText)" }
        let rest = SyntaxFingerprint.describe((program.campaigns, program.contactPolicies), skipping: ["file"])
        return (rules + defines + [rest]).joined(separator: "\n")
    }

    /// The expression with each define it uses as its name: written out, the
    /// generator's doubling defines would have a billion parts.
    static func unexpanded(_ e: CheckedExpr) -> CheckedExpr {
        if case .define(let name, _) = e.node { return CheckedExpr(.constant(.text("define " + name)), e.type, e.range) }
        return e.mapChildren(unexpanded)
    }

    /// The text of every comment, in order.
    static func comments(_ text: String) -> [String] {
        let file = SourceFile(path: "t.perk", text: text)
        return Lexer.scanKeepingComments(file).comments.map { SourceTokens.trimmedEnd(file.slice($0)) }
    }

    /// The same file with every line indented anew, trailing spaces and tabs,
    /// and CRLF line ends now and then: layout the formatter must undo.
    static func messedUp(_ text: String, _ rng: inout SplitMix64) -> String {
        let crlf = rng.chance(3)
        return text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            let body = line.drop { $0 == " " || $0 == "\t" }
            guard !body.isEmpty else { return String(line) }
            let indent = [" ", "   ", "\t", "      ", "\t "][rng.below(5)]
            let trailing = ["", " ", "\t", "   "][rng.below(4)]
            return (rng.chance(3) ? "" : indent) + body + trailing
        }.joined(separator: crlf ? "\r\n" : "\n")
    }

    /// Comments after some lines and on lines of their own between others.
    static func withComments(_ text: String, _ rng: inout SplitMix64) -> String {
        var lines: [String] = []
        for (k, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            if rng.chance(6) { lines.append("  # own line \(k)") }
            lines.append(rng.chance(4) && !line.isEmpty ? line + " # after \(k)" : String(line))
        }
        return lines.joined(separator: "\n")
    }
}




