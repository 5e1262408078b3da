import XCTest
@testable import Perk

/// `perk explain` for a rule a contact policy stopped. The whole text is in the
/// golden file `Fixtures/explain/contact-policy.expected`; this pins the parts.
final class ContactPolicyExplainTests: XCTestCase {
    func testTheReasonNamesThePolicyWhereItIsAndTheContacts() throws {
        let source = """
        contact policy: at most 2 contacts per customer every 30 days
        rule "a" priority 3 when true then send message "a" via wechat
        rule "b" priority 2 when true then send coupon 5 via wechat
        rule "c" priority 1 when true then send message "c" via wechat
        """
        let program = try XCTUnwrap(TestShop.compile(source, path: "rules/policy.perk").program)
        let explanation = Explainer(program: program, interpreter: TestShop.interpreter).explain(rule: 2, customer: 1, day: TestShop.today)
        guard case .heldBack(let status, let reason) = explanation.verdict else { return XCTFail("\(explanation.verdict)") }
        XCTAssertEqual(status, .skippedContactCap)
        XCTAssertEqual(reason, "the contact policy \"at most 2 contacts per customer every 30 days\" (rules/policy.perk:1) is used up: "
                       + "contacted on 2025-03-01 (twice)")
        XCTAssertTrue(ExplainReport(explanation).rendered().contains("Held back: the condition holds, but the contact policy"))
    }

    func testContactDaysRead() {
        func d(_ s: String) -> LocalDate { LocalDate(parsing: s)! }
        let rows: [([LocalDate], String)] = [
            ([d("2025-06-20")], "2025-06-20"),
            ([d("2025-06-01"), d("2025-06-20")], "2025-06-01 and 2025-06-20"),
            ([d("2025-06-01"), d("2025-06-20"), d("2025-06-20")], "2025-06-01 and 2025-06-20 (twice)"),
            ([d("2025-06-01"), d("2025-06-02"), d("2025-06-20"), d("2025-06-20"), d("2025-06-20")],
             "2025-06-01, 2025-06-02 and 2025-06-20 (3 times)"),
        ]
        for (days, text) in rows {
            XCTAssertEqual(Explainer.days(days), text)
        }
    }

    /// Explaining reaches the verdict `perk run` reaches, contact caps included.
    func testVerdictAgreesWithThePlan() throws {
        let source = try String(contentsOfFile: Repository.path("Tests/PerkTests/Fixtures/explain/contact-policy.perk"), encoding: .utf8)
        let program = try XCTUnwrap(TestShop.compile(source).program)
        let plan = try ActionPlan.make(program: program, interpreter: TestShop.interpreter, day: TestShop.today)
        XCTAssertEqual(plan.statusCounts[.skippedContactCap], 2)
        let explainer = Explainer(program: program, interpreter: TestShop.interpreter)
        for decision in plan.decisions {
            let verdict = explainer.explain(rule: decision.rule, customer: decision.customer, day: TestShop.today).verdict
            switch verdict {
            case .fires: XCTAssertEqual(decision.status, .sent)
            case .heldBack(let status, _): XCTAssertEqual(status, decision.status)
            default: XCTFail("\(verdict)")
            }
        }
    }
}
