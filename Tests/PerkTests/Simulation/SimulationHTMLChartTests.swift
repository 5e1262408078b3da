import XCTest
@testable import Perk

/// The HTML report's charts (issue 15): each rule readable on its own scale,
/// spending as steps from the campaign's first day, axes labelled, drawn 600 wide.
final class SimulationHTMLChartTests: XCTestCase {
    private func html() throws -> String {
        let run = try SimulationShop.simulate("""
        rule "busy" when true then tag "x"
        rule "rare" when member.tier == VIP then send coupon 10 limit once per customer
        rule "spring" when true then send coupon 5 via sms
        campaign "Spring"
          from 2025-03-03 to 2025-03-31
          budget 15
          rules "spring"
        """, from: "2025-03-01", to: "2025-03-05")
        return SimulationReport(result: run.result, comparison: nil, dataSummary: nil, labels: ("t.perk", "")).rendered(.html)
    }

    func testEachRuleHasItsOwnPanelAndScale() throws {
        let page = try html()
        // "busy" sends 4 a day and "rare" 1 once: on one stacked scale "rare" would be a sliver.
        XCTAssertTrue(page.contains(">busy · most in a day 4</text>"), page)
        XCTAssertTrue(page.contains(">rare · most in a day 1</text>"), page)
        XCTAssertTrue(page.contains("sent per day (each rule on its own scale)"))
        XCTAssertEqual(page.components(separatedBy: "day (month-day)</text>").count - 1, 2, "both time charts label the x axis")
        XCTAssertEqual(page.components(separatedBy: "<svg viewBox=\"0 0 600.0 ").count - 1, 3, "every chart is drawn 600 wide")
    }

    func testSpendingIsAStepLineFromTheCampaignsFirstDay() throws {
        let page = try html()
        let line = try XCTUnwrap(page.components(separatedBy: "<polyline").dropFirst().first)
        let points = try XCTUnwrap(line.components(separatedBy: "points=\"").dropFirst().first?.components(separatedBy: "\"").first)
        let xy = points.split(separator: " ").map { $0.split(separator: ",").compactMap { Double($0) } }
        // 600 wide, 64 left and 10 right: five days of 105.2; the campaign starts on the third.
        XCTAssertEqual(xy.first, [274.4, 220.0], "starts at 0 on 2025-03-03, not on the period's first day")
        for (a, b) in zip(xy, xy.dropFirst()) {
            XCTAssertTrue(a[0] == b[0] || a[1] == b[1], "a step line moves across or up, never on a slant: \(points)")
        }
        XCTAssertEqual(xy.last?[0], 590.0, "and runs to the end of the period")
        XCTAssertTrue(page.contains(">face value spent</text>"))
    }
}
