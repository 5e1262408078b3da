import XCTest
@testable import Perk

/// The report's word on a period the orders do not cover, before the data as
/// after it (issue 15): a quiet report should not pass for a quiet campaign.
final class SimulationPeriodNoteTests: XCTestCase {
    private static let orders = """
    order_id,customer_id,ordered_at,amount,items
    O1,C001,2025-06-10,20,latte
    O2,C004,2025-06-20,30,mocha

    """

    private func subtitle(from: String, to: String) throws -> [String] {
        let run = try SimulationShop.simulate("rule \"r\" when visit_count >= 1 then tag \"x\"", orders: Self.orders, from: from, to: to)
        return SimulationReport(result: run.result, comparison: nil, dataSummary: nil, labels: ("t.perk", "")).sections.subtitle
    }

    func testAPeriodEntirelyBeforeTheOrdersIsNamed() throws {
        let lines = try subtitle(from: "2025-03-01", to: "2025-03-31")
        XCTAssertTrue(lines.contains("The orders start on 2025-06-10, after the period: on every day of it customers have no orders yet, "
                                     + "so rules see no purchases and only coupons still valid on 2025-06-10 can be redeemed."), "\(lines)")
        XCTAssertFalse(lines.contains { $0.hasPrefix("The orders end") }, "\(lines)")
    }

    func testAPeriodStartingBeforeTheOrdersSaysWhereTheyStart() throws {
        let lines = try subtitle(from: "2025-06-01", to: "2025-06-30")
        XCTAssertTrue(lines.contains("The orders start on 2025-06-10: on the days before it customers have no orders yet."), "\(lines)")
        XCTAssertTrue(lines.contains { $0.hasPrefix("The orders end on 2025-06-20") }, "\(lines)")
    }

    func testAPeriodWithinTheOrdersHasNoNote() throws {
        let lines = try subtitle(from: "2025-06-10", to: "2025-06-20")
        XCTAssertFalse(lines.contains { $0.hasPrefix("The orders") }, "\(lines)")
    }

    func testJSONGivesTheFirstOrderDate() throws {
        let run = try SimulationShop.simulate("rule \"r\" when true then tag \"x\"", orders: Self.orders, from: "2025-03-01", to: "2025-03-02")
        let json = SimulationReport(result: run.result, comparison: nil, dataSummary: nil, labels: ("t.perk", "")).rendered(.json)
        XCTAssertTrue(json.contains("\"first_order_date\": \"2025-06-10\""), json)
    }
}
