import XCTest
@testable import Perk

/// What a simulated day sees: orders before it, and the effects of earlier
/// decisions from the next day on.
final class SimulationStateTests: XCTestCase {
    func testConditionsSeeOnlyOrdersBeforeTheDay() throws {
        let orders = SimulationShop.noOrders + "O1,C001,2025-03-02T10:00:00,18.00,Jasmine Green Tea\n"
        let run = try SimulationShop.simulate("rule \"new\" when visit_count == 0 then tag \"new\"", orders: orders,
                                              from: "2025-03-01", to: "2025-03-03")
        // The order of Mar 2 counts from Mar 3: decisions are made before the day's orders.
        XCTAssertEqual(run.statuses(of: "C001"), ["sent", "sent"])
        XCTAssertEqual(run.decisions.filter { run.data.customers.ids[$0.customer] == "C001" }.map { "\($0.day)" }, ["2025-03-01", "2025-03-02"])
        XCTAssertEqual(run.statuses(of: "C002").count, 3)
    }

    func testSetTierTakesEffectTheNextDay() throws {
        let run = try SimulationShop.simulate("""
        rule "upgrade" when member.tier == SILVER then set tier GOLD
        rule "gold welcome" when member.tier == GOLD then tag "gold"
        """, from: "2025-03-01", to: "2025-03-02")
        XCTAssertEqual(run.rows.filter { $0.contains("C001") || $0.contains("C002") }, [
            "2025-03-01 C001 upgrade sent",
            "2025-03-01 C002 gold welcome sent",
            "2025-03-02 C001 gold welcome sent",
            "2025-03-02 C002 gold welcome sent",
        ])
        XCTAssertEqual(run.result.totals.tierChanges, 1)
        // The sample explains the match with the tier the rule saw that day.
        let sample = try XCTUnwrap(run.rule("gold welcome")?.samples.first { $0.customerID == "C001" })
        XCTAssertEqual(sample.reasons, [MatchSample.Reason(field: "member.tier", value: "GOLD")])
    }

    func testHeldOutDecisionsChangeNothing() throws {
        let name = try XCTUnwrap((0..<100).map { "c\($0)" }.first { Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50)) })
        let run = try SimulationShop.simulate("""
        rule "upgrade" when member.tier == SILVER then set tier GOLD
        rule "gold welcome" when member.tier == GOLD then tag "gold"
        campaign "\(name)" holdout 50% rules "upgrade"
        """, from: "2025-03-01", to: "2025-03-02")
        XCTAssertEqual(run.statuses(of: "C001"), ["held_out", "held_out"], "not contacted, so still SILVER")
    }

    func testAwardedPointsCountFromTheNextDay() throws {
        let run = try SimulationShop.simulate("rule \"top up\" when member.points < 100 then award points 60",
                                              from: "2025-03-01", to: "2025-03-03")
        XCTAssertEqual(run.statuses(of: "C001"), ["sent"], "50, then 110")
        XCTAssertEqual(run.statuses(of: "C002"), ["sent", "sent"], "0, then 60, then 120")
        XCTAssertEqual(run.statuses(of: "C003"), [], "empty points are missing: never definitely below 100")
        XCTAssertEqual(run.statuses(of: "C004"), ["sent", "sent"], "10, then 70, then 130")
        XCTAssertEqual(run.result.totals.pointsEarned, Number(300))
    }

    func testMultiplyPointsEarnsExtraOnOrdersInTheWindow() throws {
        let orders = SimulationShop.noOrders + """
        O1,C001,2025-03-01T10:00:00,10.50,Jasmine Green Tea
        O2,C001,2025-03-02T10:00:00,7.99,Jasmine Green Tea
        O3,C001,2025-03-03T10:00:00,20.00,Jasmine Green Tea

        """
        let run = try SimulationShop.simulate("""
        rule "triple" when day(today) == 1 then multiply points 3 for 2 days
        rule "seventy" when member.points == 70 then tag "70"
        rule "eighty-four" when member.points == 84 then tag "84"
        """, orders: orders, from: "2025-03-01", to: "2025-03-04")
        // A point per whole unit: the orders of Mar 1 and 2 (the window) earn
        // 2 × 10 and 2 × 7 extra, each credited the day after the order.
        let triple = try XCTUnwrap(run.decisions.first { run.data.customers.ids[$0.customer] == "C001" && $0.rule == 0 })
        XCTAssertEqual(triple.pointsEarned, Number(34))
        XCTAssertEqual(run.result.totals.pointsEarned, Number(34))
        XCTAssertEqual(run.rows.filter { $0.contains("C001") }, [
            "2025-03-01 C001 triple sent",
            "2025-03-02 C001 seventy sent",
            "2025-03-03 C001 eighty-four sent",
            "2025-03-04 C001 eighty-four sent",
        ])
        XCTAssertEqual(SimulationState.extraPoints(factor: Number(parsing: "1.5")!, orderAmount: Number(parsing: "15.99")!), Number(7))
    }

    /// Feb 29 birthdays fall on Feb 28 in other years, and the day loop and
    /// coupon windows step over Feb 29 in leap years.
    func testFebruary29() throws {
        let rules = "rule \"birthday\" when birthday in next 1 day then send coupon 10 valid for 2 days limit 5 per customer"
        let common = try SimulationShop.simulate(rules, from: "2025-02-26", to: "2025-03-02")
        XCTAssertEqual(common.decisions.filter { $0.customer == 2 }.map { "\($0.day)" }, ["2025-02-27", "2025-02-28"])
        let orders = SimulationShop.noOrders + """
        O1,C003,2028-02-29T12:00:00,30.00,Taro Milk Tea
        O2,C003,2028-03-01T12:00:00,30.00,Taro Milk Tea

        """
        let leap = try SimulationShop.simulate(rules, orders: orders, from: "2028-02-27", to: "2028-03-01")
        XCTAssertEqual(leap.result.period.dayCount, 4)
        let c003 = leap.decisions.filter { $0.customer == 2 }
        XCTAssertEqual(c003.map { "\($0.day)" }, ["2028-02-28", "2028-02-29"])
        // Sent Feb 28, valid 2 days: Feb 28 and 29; sent Feb 29: Feb 29 and Mar 1.
        XCTAssertEqual(c003.map { $0.redemptions.first??.day.description }, ["2028-02-29", "2028-02-29"])
    }
}
