import XCTest
@testable import Perk

/// Which order would redeem a coupon, and what it would cost.
final class RedemptionTests: XCTestCase {
    func testFirstQualifyingOrderWithinTheValidityRedeems() throws {
        let orders = SimulationShop.noOrders + """
        O1,C001,2025-03-01T09:00:00,10.00,Jasmine Green Tea
        O2,C001,2025-03-03T09:00:00,12.50,Jasmine Green Tea
        O3,C001,2025-03-05T09:00:00,16.00,Jasmine Green Tea
        O4,C001,2025-03-06T09:00:00,30.00,Jasmine Green Tea
        O5,C002,2025-03-08T09:00:00,50.00,Taro Milk Tea
        O6,C003,2025-03-07T09:00:00,15.00,Taro Milk Tea
        O7,C004,2025-03-01T20:00:00,40.00,Taro Milk Tea

        """
        let run = try SimulationShop.simulate("rule \"r\" when true then send coupon 20 valid for 7 days min spend 15 limit once per customer",
                                              orders: orders, from: "2025-03-01", to: "2025-03-01")
        // Valid Mar 1 to Mar 7. C001: 10 and 12.50 are under the min spend, 16 is the
        // first that meets it (capped: 16 off a 16 order). C002 comes on Mar 8, a day
        // late. C003 spends exactly 15 on the last valid day. C004 orders the same day.
        XCTAssertEqual(run.ledger, """
        date,customer_id,rule,action,value,channel,status,redeemed_on,cost
        2025-03-01,C001,r,coupon,20,,sent,2025-03-05,16.00
        2025-03-01,C002,r,coupon,20,,sent,,
        2025-03-01,C003,r,coupon,20,,sent,2025-03-07,15.00
        2025-03-01,C004,r,coupon,20,,sent,2025-03-01,20.00

        """)
        let coupons = try XCTUnwrap(run.rule("r")?.coupons)
        XCTAssertEqual(coupons.issued, 4)
        XCTAssertEqual(coupons.redeemed, 3)
        XCTAssertEqual(coupons.cost, Number(51))
        XCTAssertEqual(coupons.faceValue, Number(80))
    }

    func testAmountOffIsCappedByMaxAndOrderAndExact() throws {
        func off(_ coupon: String, _ amount: String) throws -> String {
            let data = try SimulationShop.data()
            let program = try SimulationShop.program("when true then send coupon \(coupon)", data: data)
            let c = try XCTUnwrap(program.rules[0].actions[0].coupon)
            return SimulationLedger.money(try XCTUnwrap(RedemptionEstimator.amountOff(c, orderAmount: try XCTUnwrap(Number(parsing: amount)))))
        }
        XCTAssertEqual(try off("15% max 8", "100"), "8.00", "15 off is capped by max")
        XCTAssertEqual(try off("15% max 8", "40"), "6.00")
        XCTAssertEqual(try off("15% max 8", "33.33"), "4.9995", "fractions of a cent are kept")
        XCTAssertEqual(try off("15% max 8", "21.50"), "3.225")
        XCTAssertEqual(try off("50%", "12.34"), "6.17", "no max: the percentage of the order")
        XCTAssertEqual(try off("20", "15"), "15.00", "never more than the order")
        XCTAssertEqual(try off("20", "15.5"), "15.50")
        XCTAssertEqual(try off("\"FREE-TOPPING\" worth 6", "5.50"), "5.50")
        XCTAssertEqual(try off("\"FREE-TOPPING\" worth 6", "25"), "6.00")
    }

    func testPercentCouponCostInTheLedger() throws {
        let orders = SimulationShop.noOrders + "O1,C001,2025-03-02T09:00:00,33.33,Jasmine Green Tea\n"
        // 15% of 33.33 is 4.9995: the ledger keeps it exact; reports round it to show it.
        let run = try SimulationShop.simulate("rule \"pct\" when member.tier == SILVER then send coupon 15% max 8 limit once per customer",
                                              orders: orders, from: "2025-03-01", to: "2025-03-01")
        XCTAssertEqual(run.ledger, """
        date,customer_id,rule,action,value,channel,status,redeemed_on,cost
        2025-03-01,C001,pct,coupon,15% max 8,,sent,2025-03-02,4.9995

        """)
    }

    func testHeldOutCouponsAreNotRedeemedButCountAsReturns() throws {
        let name = try XCTUnwrap((0..<100).map { "c\($0)" }.first {
            Holdout.isHeldOut(customerID: "C001", campaign: $0, percent: Number(50))
                && !Holdout.isHeldOut(customerID: "C004", campaign: $0, percent: Number(50))
        })
        let orders = SimulationShop.noOrders + """
        O1,C001,2025-03-02T09:00:00,20.00,Jasmine Green Tea
        O2,C004,2025-03-03T09:00:00,20.00,Jasmine Green Tea

        """
        let run = try SimulationShop.simulate("""
        rule "r" when true then send coupon 5 via sms limit once per customer
        campaign "\(name)" holdout 50% rules "r"
        """, orders: orders, from: "2025-03-01", to: "2025-03-01")
        XCTAssertEqual(run.ledger, """
        date,customer_id,rule,action,value,channel,status,redeemed_on,cost
        2025-03-01,C001,r,coupon,5,sms,held_out,,
        2025-03-01,C002,r,coupon,5,sms,skipped_consent,,
        2025-03-01,C003,r,coupon,5,sms,skipped_consent,,
        2025-03-01,C004,r,coupon,5,sms,sent,2025-03-03,5.00

        """)
        let returns = try XCTUnwrap(run.result.campaigns.first?.returns)
        XCTAssertEqual(returns.targeted, ReturnCount(decisions: 1, returned: 1))
        XCTAssertEqual(returns.heldOut, ReturnCount(decisions: 1, returned: 1))
        XCTAssertEqual(run.result.totals.coupons.cost, Number(5), "only the sent coupon costs")
    }
}

extension ReturnCount {
    init(decisions: Int, returned: Int) {
        self.init()
        self.decisions = decisions
        self.returned = returned
    }
}
