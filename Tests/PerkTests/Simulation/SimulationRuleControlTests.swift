import XCTest
@testable import Perk

/// Limits, cooldowns, budgets, exclusivity and holdouts over several days: the
/// checks of `DecisionEngine`, carried from one simulated day to the next.
final class SimulationRuleControlTests: XCTestCase {
    func testLifetimeLimitCountsAcrossDays() throws {
        let run = try SimulationShop.simulate("rule \"limited\" when true then tag \"l\" limit 2 per customer",
                                              from: "2025-03-01", to: "2025-03-04")
        XCTAssertEqual(run.statuses(of: "C001"), ["sent", "sent", "skipped_limit", "skipped_limit"])
        XCTAssertEqual(run.rule("limited")?.decisions[.sent], 8)
        XCTAssertEqual(run.rule("limited")?.customers[.skippedLimit], 4)
    }

    func testCooldownIsRollingFromTheLastDecision() throws {
        // `every 3 days`: sent, then nothing for the two days after, then again.
        let once = try SimulationShop.simulate("rule \"c\" when true then tag \"c\" every 3 days", from: "2025-03-01", to: "2025-03-07")
        XCTAssertEqual(once.statuses(of: "C002"), ["sent", "skipped_cooldown", "skipped_cooldown", "sent",
                                                   "skipped_cooldown", "skipped_cooldown", "sent"])
        // Twice in any 7 days: the third waits until the first is 7 days old.
        let twice = try SimulationShop.simulate("rule \"c\" when true then tag \"c\" limit 2 per customer every 7 days",
                                                from: "2025-03-01", to: "2025-03-09")
        XCTAssertEqual(twice.statuses(of: "C002"), ["sent", "sent"] + Array(repeating: "skipped_cooldown", count: 5) + ["sent", "sent"])
    }

    func testBudgetRunsOutMidDayInCustomerOrder() throws {
        let run = try SimulationShop.simulate("""
        rule "big" priority 2 when true then send coupon 10
        rule "small" priority 1 when true then send coupon 5
        campaign "c" budget 25 rules "big", "small"
        """, from: "2025-03-01", to: "2025-03-02")
        // C001 takes 10 + 5; C002's 10 makes exactly 25, which the budget covers;
        // then no coupon fits, not even a 5.
        XCTAssertEqual(Array(run.rows.prefix(8)), [
            "2025-03-01 C001 big sent", "2025-03-01 C001 small sent",
            "2025-03-01 C002 big sent", "2025-03-01 C002 small skipped_budget",
            "2025-03-01 C003 big skipped_budget", "2025-03-01 C003 small skipped_budget",
            "2025-03-01 C004 big skipped_budget", "2025-03-01 C004 small skipped_budget",
        ])
        XCTAssertEqual(run.statuses(of: "C001"), ["sent", "sent", "skipped_budget", "skipped_budget"])
        let campaign = try XCTUnwrap(run.result.campaigns.first)
        XCTAssertEqual(campaign.spent, Number(25))
        XCTAssertEqual(campaign.budgetRanOut, try SimulationShop.day("2025-03-01"))
        XCTAssertEqual(run.result.daily.map { $0.spentByCampaign }, [[Number(25)], [Number(25)]])
    }

    func testBudgetCountsThePercentCouponsMaxAndNamedCouponsWorth() throws {
        let run = try SimulationShop.simulate("""
        rule "pct" priority 2 when true then send coupon 15% max 8
        rule "named" priority 1 when true then send coupon "FREE-TOPPING" worth 6
        campaign "c" budget 20 rules "pct", "named"
        """, from: "2025-03-01", to: "2025-03-01")
        // 8 + 6 = 14; then 8 would make 22 > 20, but 6 makes exactly 20.
        XCTAssertEqual(Array(run.rows.prefix(4)), ["2025-03-01 C001 pct sent", "2025-03-01 C001 named sent",
                                                   "2025-03-01 C002 pct skipped_budget", "2025-03-01 C002 named sent"])
        XCTAssertEqual(run.result.campaigns.first?.spent, Number(20))
    }

    /// A percent coupon without `max` has no face value to count: the checker
    /// refuses one in a budgeted campaign (P114); elsewhere it counts 0.
    func testPercentCouponWithoutMaxCountsNoFaceValue() throws {
        let data = try SimulationShop.data()
        let budgeted = Compiler.compile([SourceFile(path: "t.perk", text: "rule \"p\" when true then send coupon 50%\ncampaign \"c\" budget 1 rules \"p\"")],
                                        schema: Schema(customers: data.customers, orders: data.orders))
        XCTAssertNil(budgeted.program)
        XCTAssertTrue(budgeted.diagnostics.contains { $0.code == "P114" }, "\(budgeted.diagnostics)")
        let run = try SimulationShop.simulate("rule \"p\" when true then send coupon 50%\ncampaign \"c\" rules \"p\"",
                                              from: "2025-03-01", to: "2025-03-02")
        XCTAssertEqual(run.rule("p")?.decisions[.sent], 8)
        XCTAssertEqual(run.rule("p")?.coupons.faceValue, .zero)
        XCTAssertEqual(run.result.campaigns.first?.spent, .zero)
    }

    func testExclusiveCampaignGivesOneCouponPerCustomerPerDay() throws {
        let run = try SimulationShop.simulate("""
        rule "first" priority 2 when true then send coupon 5
        rule "second" priority 1 when true then send coupon 15% max 3
        rule "note" when true then send message "hi"
        campaign "c" exclusive rules "first", "second", "note"
        """, from: "2025-03-01", to: "2025-03-02")
        XCTAssertEqual(run.statuses(of: "C003"), ["sent", "skipped_exclusive", "sent", "sent", "skipped_exclusive", "sent"])
    }

    func testHoldoutIsStableUsesNoBudgetAndCountsForLimits() throws {
        // A campaign name under which C001 is held out at 50% and C004 is not.
        let ids = ["C001", "C002", "C003", "C004"]
        let name = try XCTUnwrap((0..<100).map { "spring \($0)" }.first {
            Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50))
                && !Holdout.isHeldOut(customerID: "C004", campaign: $0, percent: Number(50))
        })
        let rules = """
        rule "r" when true then send coupon 10 via sms limit once per customer
        campaign "\(name)" budget 10 holdout 50% rules "r"
        """
        let run = try SimulationShop.simulate(rules, from: "2025-03-01", to: "2025-03-02")
        // C001 is held out: not contacted, no budget used, so C004's coupon fits the
        // budget of 10; the next day C001's limit is used up as if it had been sent.
        XCTAssertEqual(run.statuses(of: "C001"), ["held_out", "skipped_limit"])
        XCTAssertEqual(run.statuses(of: "C004"), ["sent", "skipped_limit"])
        // Consent is checked before the holdout: customers who cannot be reached are not a control group.
        XCTAssertEqual(run.statuses(of: "C002"), ["skipped_consent", "skipped_consent"])
        XCTAssertEqual(run.result.campaigns.first?.spent, Number(10))
        XCTAssertEqual(run.result.totals.reached.members.map { run.data.customers.ids[$0] }, ["C004"])

        let again = try SimulationShop.simulate(rules, from: "2025-03-01", to: "2025-03-02")
        XCTAssertEqual(again.rows, run.rows, "the same customers are held out every time")
        let heldOut = run.decisions.filter { $0.status == .heldOut }.map { ids[$0.customer] }
        XCTAssertEqual(heldOut, ids.filter { id in
            Holdout.isHeldOut(customerID: id, campaign: name, percent: Number(50)) && (id == "C001" || id == "C004")
        })
    }

    /// Issue 15: the control group kept growing after the budget ran out, so the
    /// return rates set a whole period against its first days.
    func testHeldOutDecisionsStopWhereTheBudgetWouldHaveRefusedThem() throws {
        // Held out at 50%: C001, and not C004, so the first day has one of each.
        let name = try XCTUnwrap((0..<200).map { "autumn \($0)" }.first {
            Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50))
                && !Holdout.isHeldOut(customerID: "C004", campaign: $0, percent: Number(50))
        })
        let rules = """
        rule "r" when true then send coupon 10 via sms
        campaign "\(name)" budget 20 holdout 50% rules "r"
        """
        let run = try SimulationShop.simulate(rules, from: "2025-03-01", to: "2025-03-04")
        // Day 1: C001 held out (10 would fit), C004 sent (10 spent). Day 2: C001 held
        // out (10 more would still fit), C004 sent (20 spent). From day 3 the budget
        // would not cover either: the held-out customer stops as the sent one does.
        XCTAssertEqual(run.statuses(of: "C001"), ["held_out", "held_out", "skipped_budget", "skipped_budget"])
        XCTAssertEqual(run.statuses(of: "C004"), ["sent", "sent", "skipped_budget", "skipped_budget"])
        let campaign = try XCTUnwrap(run.result.campaigns.first)
        XCTAssertEqual(campaign.spent, Number(20), "held-out decisions spend nothing")
        XCTAssertEqual(campaign.returns.heldOut.decisions, 2)
        XCTAssertEqual(campaign.returns.targeted.decisions, 2)

        let report = SimulationReport(result: run.result, comparison: nil, dataSummary: nil, labels: ("t.perk", "")).rendered(.text)
        XCTAssertTrue(report.contains("Group sizes: campaign \"\(name)\" held out 2 against 2 targeted (50.0% of 4 decisions, holdout 50%)."),
                      report)
    }

    /// `perk run` decides as one day of the simulation: a held-out customer whose
    /// coupon the budget cannot cover is refused by the budget, not held out.
    func testOneDaysPlanRefusesHeldOutDecisionsTheBudgetCannotCover() throws {
        let name = try XCTUnwrap((0..<200).map { "winter \($0)" }.first {
            Holdout.isHeldOut(customerID: "C004", campaign: $0, percent: Number(50))
                && !Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50))
        })
        let run = try SimulationShop.simulate("""
        rule "r" when true then send coupon 10 via sms
        campaign "\(name)" budget 10 holdout 50% rules "r"
        """, from: "2025-03-01", to: "2025-03-01")
        XCTAssertEqual(run.statuses(of: "C001"), ["sent"])
        XCTAssertEqual(run.statuses(of: "C004"), ["skipped_budget"])
        XCTAssertEqual(run.result.campaigns.first?.budgetRanOut, try SimulationShop.day("2025-03-01"))
    }

    func testHeldOutWouldBeCouponsCountForExclusivity() throws {
        let name = try XCTUnwrap((0..<100).map { "c\($0)" }.first { Holdout.isHeldOut(customerID: "C002", campaign: $0, percent: Number(50)) })
        let run = try SimulationShop.simulate("""
        rule "first" priority 2 when true then send coupon 5
        rule "second" priority 1 when true then send coupon 3
        campaign "\(name)" exclusive holdout 50% rules "first", "second"
        """, from: "2025-03-01", to: "2025-03-01")
        XCTAssertEqual(run.statuses(of: "C002"), ["held_out", "skipped_exclusive"], "the control group mirrors the treated group")
    }

    func testCampaignRulesRunOnlyOnTheCampaignsDays() throws {
        let run = try SimulationShop.simulate("""
        rule "in campaign" when true then tag "x"
        rule "always" when true then tag "y"
        campaign "c" from 2025-03-02 to 2025-03-02 rules "in campaign"
        """, from: "2025-03-01", to: "2025-03-03")
        XCTAssertEqual(run.statuses(of: "C001", rule: "in campaign"), ["sent"])
        XCTAssertEqual(run.decisions.filter { $0.rule == 0 }.map { "\($0.day)" }, Array(repeating: "2025-03-02", count: 4))
        XCTAssertEqual(run.statuses(of: "C001", rule: "always").count, 3)
        XCTAssertEqual(run.result.campaigns.first?.activeDays, 1)
    }
}
