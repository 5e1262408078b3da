import XCTest
@testable import Perk

final class DecisionTests: XCTestCase {
    private func plan(_ source: String, day: LocalDate = TestShop.today) throws -> (ActionPlan, CheckedProgram) {
        let c = TestShop.compile(source)
        let program = try XCTUnwrap(c.program, "\(c.diagnostics.map(\.description))")
        return (try ActionPlan.make(program: program, interpreter: TestShop.interpreter, day: day), program)
    }

    private func rows(_ p: (ActionPlan, CheckedProgram)) -> [String] {
        p.0.entries.map { "\($0.customerID) \(p.1.rules[$0.rule].name) \($0.action.name) \($0.action.valueText)" }
    }

    func testOrderIsCustomerThenPriorityThenFileOrder() throws {
        let p = try plan("""
        rule "a" when true then tag "a"
        rule "b" priority 5 when member.tier >= GOLD then tag "b"
        rule "c" when true then award points 5, tag "c"
        """)
        XCTAssertEqual(rows(p), [
            "C001 b tag b", "C001 a tag a", "C001 c award_points 5", "C001 c tag c",
            "C002 b tag b", "C002 a tag a", "C002 c award_points 5", "C002 c tag c",
            "C003 a tag a", "C003 c award_points 5", "C003 c tag c",
        ])
    }

    func testConsentIsRespected() throws {
        // C001 opted in to sms, C002 opted out, C003 left it empty: not contacted.
        let p = try plan("when true then send coupon 20 via sms")
        XCTAssertEqual(rows(p), ["C001 t.perk:1 coupon 20"])
        XCTAssertEqual(p.0.statusCounts[.skippedConsent], 2)
    }

    func testExclusiveCampaignGivesOneCouponPerDay() throws {
        let p = try plan("""
        rule "first" priority 2 when true then send coupon 5
        rule "second" priority 1 when true then send coupon 15%  max 3
        rule "message" when true then send message "hi"
        campaign "c" exclusive rules "first", "second", "message"
        """)
        XCTAssertEqual(rows(p).filter { $0.hasPrefix("C001") }, ["C001 first coupon 5", "C001 message message hi"])
        XCTAssertEqual(p.0.statusCounts[.skippedExclusive], 3)
    }

    func testBudgetRunsOutInCustomerOrder() throws {
        let exact = try plan("rule \"r\" when true then send coupon 10\ncampaign \"c\" budget 30 rules \"r\"")
        XCTAssertEqual(rows(exact).count, 3, "30 covers exactly three coupons of 10")
        let short = try plan("rule \"r\" when true then send coupon 10\ncampaign \"c\" budget 25 rules \"r\"")
        XCTAssertEqual(rows(short), ["C001 r coupon 10", "C002 r coupon 10"])
        XCTAssertEqual(short.0.statusCounts[.skippedBudget], 1)
    }

    func testInactiveCampaignRulesDoNotRun() throws {
        let p = try plan("rule \"r\" when true then tag \"x\"\ncampaign \"c\" from 2025-04-01 to 2025-04-30 rules \"r\"")
        XCTAssertTrue(p.0.entries.isEmpty)
        XCTAssertEqual(p.0.inactiveCampaigns, [0])
    }

    func testHoldoutIsDeterministicAndProportional() {
        let ids = (0..<20_000).map { "C\($0)" }
        let held = ids.filter { Holdout.isHeldOut(customerID: $0, campaign: "Spring", percent: Number(10)) }
        XCTAssertEqual(Double(held.count) / Double(ids.count), 0.10, accuracy: 0.01)
        XCTAssertEqual(held, ids.filter { Holdout.isHeldOut(customerID: $0, campaign: "Spring", percent: Number(10)) })
        let other = ids.filter { Holdout.isHeldOut(customerID: $0, campaign: "Autumn", percent: Number(10)) }
        XCTAssertNotEqual(held, other, "each campaign has its own control group")
        XCTAssertEqual(Holdout.bucket(customerID: "C00042", campaign: "Spring win-back"),
                       Holdout.bucket(customerID: "C00042", campaign: "Spring win-back"))
        XCTAssertTrue(ids.allSatisfy { !Holdout.isHeldOut(customerID: $0, campaign: "x", percent: .zero) })
    }

    func testHeldOutCustomersAreNotContacted() throws {
        let heldOut = ["C001", "C002", "C003"].filter { Holdout.isHeldOut(customerID: $0, campaign: "c", percent: Number(50)) }
        let p = try plan("rule \"r\" when true then tag \"x\"\ncampaign \"c\" holdout 50% rules \"r\"")
        XCTAssertEqual(p.0.entries.map(\.customerID), ["C001", "C002", "C003"].filter { !heldOut.contains($0) })
        XCTAssertEqual(p.0.statusCounts[.heldOut] ?? 0, heldOut.count)
    }

    func testLimitAndCooldownAcrossDays() throws {
        let c = TestShop.compile("""
        rule "limited" when member.tier == VIP then tag "l" limit 2 per customer
        rule "cooling" when member.tier == VIP then tag "c" limit once per customer every 3 days
        """)
        let program = try XCTUnwrap(c.program)
        let interpreter = TestShop.interpreter
        var engine = DecisionEngine(program: program, customers: interpreter.customers.count)
        var statuses: [String] = []
        for offset in 0..<5 {
            let day = TestShop.today.advanced(by: offset)
            let ds = try engine.decide(customer: 0, day: day, rules: engine.activeRules(on: day), interpreter: interpreter)
            statuses.append(ds.map(\.status.rawValue).joined(separator: ","))
        }
        XCTAssertEqual(statuses, [
            "sent,sent",
            "sent,skipped_cooldown",
            "skipped_limit,skipped_cooldown",
            "skipped_limit,sent",
            "skipped_limit,skipped_cooldown",
        ])
    }
}
