import XCTest
@testable import Perk

/// The tests in `rules/tests/` bite: every small change to a rule in `rules/`
/// (an operator turned, a threshold, window, cooldown or value moved by one, an
/// `and` made `or`, an action or its channel dropped, `once` made `twice`)
/// makes `perk test rules/` fail, in process here and through the binary once.
final class RulesMutationTests: XCTestCase {
    func testTheRulesTestsPass() throws {
        let outcome = RuleTestRun.run(try rulesSources())
        XCTAssertEqual(DiagnosticRenderer().render(outcome.diagnostics), "")
        let failed = outcome.suite?.results.filter { !$0.passed }.map(\.name) ?? []
        XCTAssertEqual(failed, [])
        XCTAssertTrue(outcome.passes)
    }

    func testEveryMutantOfTheRulesFailsTheirTests() throws {
        let sources = try rulesSources()
        var mutants = 0
        var survivors: [String] = []
        for (i, source) in sources.enumerated() where !source.path.contains("/tests/") {
            for mutant in RuleMutator.mutants(of: source) {
                mutants += 1
                var changed = sources
                changed[i] = SourceFile(path: source.path, text: mutant.text)
                if RuleTestRun.run(changed).passes { survivors.append("\(source.path): \(mutant.change)") }
            }
        }
        XCTAssertEqual(survivors, [], "mutants the tests do not catch")
        // The mutator finds something in every rule: one per operator, number and action, at least.
        XCTAssertGreaterThanOrEqual(mutants, 120)
    }

    /// The same through the command a CI job runs: a `>` turned `<` fails it.
    func testTheBinaryFailsOnAMutant() throws {
        let winback = try Repository.read("rules/winback.perk")
        let folder = try PerkProcess.folder(["winback.perk": winback.replacingOccurrences(of: "> 60", with: "< 60"),
                                             "winback.test.perk": try Repository.read("rules/tests/winback.test.perk")])
        defer { try? FileManager.default.removeItem(at: folder) }
        let r = try PerkProcess.run(["test", folder.path])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stdout.contains("FAIL "), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("2 tests: 0 passed, 2 failed.\n"), r.stdout)
    }

    private func rulesSources() throws -> [SourceFile] {
        let (sources, problems) = RuleSources.load([Repository.path("rules")])
        XCTAssertEqual(problems.map(\.description), [])
        return sources
    }
}

/// Small changes to a rules file, each one place at a time, made on its text
/// where its rules and defines are written (names, texts and priorities left alone).
enum RuleMutator {
    struct Mutant {
        var text: String
        /// What was changed, for the failure message: `3:38 > -> <`.
        var change: String
    }

    static let turned: [String: [String]] = [">": ["<", ">="], "<": [">", "<="], ">=": ["<=", ">"], "<=": [">=", "<"],
                                             "==": ["!="], "!=": ["=="]]

    static func mutants(of source: SourceFile) -> [Mutant] {
        let (file, _) = Parser.parse(source)
        var spans: [SourceRange] = []
        var actionLists: [[Action]] = []
        for d in file.declarations {
            switch d {
            case .rule(let r):
                spans.append(r.range)
                actionLists.append(r.actions)
            case .define(let def): spans.append(def.range)
            default: continue
            }
        }
        let tokens = Lexer.scan(source).tokens
        var out: [Mutant] = []
        for (k, t) in tokens.enumerated() where spans.contains(where: { $0.start <= t.range.start && t.range.end <= $0.end }) {
            if k > 0, tokens[k - 1].isWord("priority") { continue }
            var replacements: [String] = []
            switch t.kind {
            case .symbol: replacements = turned[t.text] ?? []
            case .number:
                if let n = Int(t.text) { replacements = [String(n + 1)] + (n >= 1 ? [String(n - 1)] : []) }
            case .percent:
                if let n = Int(t.text.dropLast()) { replacements = ["\(n + 1)%", "\(n - 1)%"] }
            case .word where t.text == "and" && !isInsideBetween(tokens, k): replacements = ["or"]
            case .word where t.text == "once": replacements = ["twice"]
            default: break
            }
            for r in replacements { out.append(replace(source, t.range, with: r, change: "\(t.text) -> \(r)")) }
            if t.isWord("via"), k + 1 < tokens.count {
                out.append(replace(source, t.range.to(tokens[k + 1].range), with: "", change: "dropped via \(tokens[k + 1].text)"))
            }
        }
        for actions in actionLists where actions.count > 1 {
            for (i, a) in actions.enumerated() {
                // The action and the comma that separates it from its neighbour.
                let range = i == 0 ? SourceRange(a.range.start, actions[1].range.start) : SourceRange(actions[i - 1].range.end, a.range.end)
                out.append(replace(source, range, with: "", change: "dropped \(source.slice(a.range))"))
            }
        }
        return out
    }

    /// The `and` of `between 45 and 120` is part of `between`, not a conjunction.
    private static func isInsideBetween(_ tokens: [Token], _ k: Int) -> Bool {
        k >= 2 && tokens[k - 2].isWord("between")
    }

    private static func replace(_ source: SourceFile, _ range: SourceRange, with text: String, change: String) -> Mutant {
        let bytes = source.bytes
        let mutated = bytes[..<range.start] + Array(text.utf8) + bytes[range.end...]
        let at = source.lineColumn(of: range.start)
        return Mutant(text: String(decoding: mutated, as: UTF8.self), change: "\(at.line):\(at.column) \(change)")
    }
}
