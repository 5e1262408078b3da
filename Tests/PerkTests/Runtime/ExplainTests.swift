import Foundation
import XCTest
@testable import Perk

/// Each `Fixtures/explain/NAME.perk` has every rule explained for every
/// customer of the test shop as of 2025-03-01, compared with `NAME.expected`
/// exactly as a user reads it. PERK_UPDATE_GOLDEN=1 rewrites the expected
/// files; review the diff before committing.
final class ExplainTests: XCTestCase {
    func testExplanationsMatchGoldenFiles() throws {
        let folder = Repository.path("Tests/PerkTests/Fixtures/explain")
        let names = try GoldenFile.names(in: "Tests/PerkTests/Fixtures/explain", ending: ".perk")
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for name in names {
            let source = try String(contentsOfFile: folder + "/" + name, encoding: .utf8)
            let c = TestShop.compile(source, path: name)
            let program = try XCTUnwrap(c.program, "\(name): \(c.diagnostics.map(\.description))")
            let explainer = Explainer(program: program, interpreter: TestShop.interpreter)
            var reports: [String] = []
            for rule in program.rules.indices {
                for customer in 0..<TestShop.customers.count {
                    reports.append(ExplainReport(explainer.explain(rule: rule, customer: customer, day: TestShop.today)).rendered())
                }
            }
            let expected = folder + "/" + name.replacingOccurrences(of: ".perk", with: ".expected")
            try GoldenFile.check(reports.joined(separator: "\n"), against: expected, name)
        }
    }

    func testSourceTextIsShownOnOneLine() {
        let cases: [(String, String)] = [
            ("a  >  1", "a > 1"),
            ("member.tier == VIP   # the best\n  and lapsed", "member.tier == VIP and lapsed"),
            ("member.name == \"A # B\"", "member.name == \"A # B\""),
            ("member.name == \"say \\\"hi\\\" # not a comment\"\n and x", "member.name == \"say \\\"hi\\\" # not a comment\" and x"),
            ("member.city == \"上海\"\r\n\tand x", "member.city == \"上海\" and x"),
            // CRLF is one Character in Swift; the comment still ends at its LF.
            ("member.tier == VIP   # the best\r\n  and lapsed", "member.tier == VIP and lapsed"),
        ]
        for (source, shown) in cases {
            XCTAssertEqual(ExplanationText.oneLine(source), shown, source)
        }
    }

    /// The same define used twice keeps two values apart: one evaluated, one not.
    func testEachUseOfADefineHasItsOwnValue() throws {
        let c = TestShop.compile("define old = days_since_visit > 3\nrule \"r\" when old and not old then tag \"x\"")
        let program = try XCTUnwrap(c.program)
        let e = Explainer(program: program, interpreter: TestShop.interpreter).explain(rule: 0, customer: 0, day: TestShop.today)
        XCTAssertEqual(e.condition.children.map(\.value), [.bool(false), nil])
        XCTAssertEqual(e.condition.children.map(\.defineName), ["old", nil])
    }

    /// Explaining gives the same verdict `perk run` reaches: exclusivity,
    /// consent, campaign dates, budget and holdout included.
    func testVerdictAgreesWithThePlan() throws {
        let source = try String(contentsOfFile: Repository.path("Tests/PerkTests/Fixtures/explain/controls.perk"), encoding: .utf8)
        let program = try XCTUnwrap(TestShop.compile(source).program)
        let plan = try ActionPlan.make(program: program, interpreter: TestShop.interpreter, day: TestShop.today)
        let explainer = Explainer(program: program, interpreter: TestShop.interpreter)
        for rule in program.rules.indices {
            for customer in 0..<3 {
                let sent = plan.entries.contains { $0.customer == customer && $0.rule == rule }
                var fires = false
                if case .fires = explainer.explain(rule: rule, customer: customer, day: TestShop.today).verdict { fires = true }
                XCTAssertEqual(fires, sent, "\(program.rules[rule].name) for \(TestShop.customers.ids[customer])")
            }
        }
    }
}
