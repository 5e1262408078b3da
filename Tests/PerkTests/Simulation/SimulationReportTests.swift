import Foundation
import XCTest
@testable import Perk

/// The reports of the hand-checked March shop (`Fixtures/simulation`): the text
/// as a golden file, JSON's documented fields, HTML's self-containment, and what
/// `--compare` finds.
/// Set PERK_UPDATE_GOLDEN=1 to rewrite the golden file, then review the diff.
final class SimulationReportTests: XCTestCase {
    private static let folder = Repository.path("Tests/PerkTests/Fixtures/simulation")

    private func march(_ rules: String = "march.perk") throws -> SimulationShop.Run {
        let customers = try String(contentsOfFile: Self.folder + "/customers.csv", encoding: .utf8)
        let orders = try String(contentsOfFile: Self.folder + "/orders.csv", encoding: .utf8)
        let data = try SimulationShop.data(customers: customers, orders: orders)
        let source = try String(contentsOfFile: Self.folder + "/" + rules, encoding: .utf8)
        let program = try SimulationShop.program(source, data: data)
        return try SimulationShop.simulate(program, data: data, from: "2025-03-01", to: "2025-03-03")
    }

    private func report(comparing: Bool = false) throws -> SimulationReport {
        let base = try march()
        let comparison = comparing ? SimulationComparison(base: base.result, compared: try march("march-v2.perk").result) : nil
        return SimulationReport(result: base.result, comparison: comparison, dataSummary: "the March shop (3 customers, 6 orders)",
                                labels: ("march.perk", "march-v2.perk"))
    }

    func testTextReportMatchesGoldenFile() throws {
        let text = try report(comparing: true).rendered(.text)
        let path = Self.folder + "/report.expected"
        if ProcessInfo.processInfo.environment["PERK_UPDATE_GOLDEN"] == "1" {
            try text.write(toFile: path, atomically: true, encoding: .utf8)
        }
        XCTAssertEqual(text, try String(contentsOfFile: path, encoding: .utf8))
    }

    func testJSONHasTheDocumentedFields() throws {
        let json = try report(comparing: true).rendered(.json)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        XCTAssertEqual(object.keys.sorted(), ["campaigns", "comparison", "customers", "daily", "days", "first_order_date", "from", "last_order_date",
                                              "overlap", "rules", "tiers", "to", "totals"])
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        XCTAssertEqual(totals.keys.sorted(), ["actions_sent", "coupons", "customers_reached", "decisions", "points_awarded",
                                              "return_rates", "sends_by_channel", "staff_notifications", "tags", "tier_changes"])
        XCTAssertEqual(totals["coupons"] as? [String: Double], ["issued": 3, "face_value": 30, "redeemed": 2, "cost": 25])
        XCTAssertEqual(totals["sends_by_channel"] as? [String: Int], ["sms": 1, "wechat": 1, "email": 0, "app": 0, "account": 2])
        let rules = try XCTUnwrap(object["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["name"] as? String }, ["VIP win-back", "Regulars treat", "Upgrade", "Gold thanks"])
        let treat = rules[1]
        XCTAssertEqual(treat.keys.sorted(), ["actions_sent", "campaign", "coupons", "customers_reached", "file", "funnel", "line", "name",
                                             "points_awarded", "priority", "return_rates", "samples"])
        let funnel = try XCTUnwrap(treat["funnel"] as? [String: [String: Int]])
        XCTAssertEqual(funnel["decisions"], ["matched": 9, "skipped_limit": 0, "skipped_cooldown": 0, "skipped_consent": 0,
                                             "skipped_contact_cap": 0, "skipped_exclusive": 1, "held_out": 0, "skipped_budget": 6, "sent": 2])
        XCTAssertEqual(funnel["customers"]?["skipped_budget"], 3)
        let campaign = try XCTUnwrap((object["campaigns"] as? [[String: Any]])?.first)
        XCTAssertEqual(campaign["budget_ran_out_on"] as? String, "2025-03-02")
        XCTAssertEqual(campaign["left"] as? Int, 0)
        let daily = try XCTUnwrap(object["daily"] as? [[String: Any]])
        XCTAssertEqual(daily.map { $0["date"] as? String }, ["2025-03-01", "2025-03-02", "2025-03-03"])
        XCTAssertEqual(daily.map { ($0["spent"] as? [String: Int])?["March"] }, [30, 30, 30])
        XCTAssertEqual(daily.map { ($0["sent"] as? [String: Int])?["Gold thanks"] }, [1, 1, 0])
        let comparison = try XCTUnwrap(object["comparison"] as? [String: Any])
        XCTAssertEqual(comparison["customers_gaining"] as? Int, 2)
        XCTAssertEqual(comparison["customers_losing"] as? Int, 1)
    }

    func testHTMLIsSelfContainedWithCharts() throws {
        let html = try report(comparing: true).rendered(.html)
        XCTAssertTrue(html.hasPrefix("<!DOCTYPE html>"))
        XCTAssertFalse(html.lowercased().contains("<script"))
        XCTAssertFalse(html.contains("http://") || html.contains("https://"), "nothing to fetch")
        XCTAssertFalse(html.contains("<link") || html.contains("<img") || html.contains("@import") || html.contains("url("))
        XCTAssertEqual(html.components(separatedBy: "<svg").count - 1, 3, "daily sends, spending, per-rule bars")
        XCTAssertTrue(html.contains("@page { size: A4"))
        XCTAssertTrue(html.contains("Li, Na"), "names are shown")
        // Every element opened is closed, in order.
        XCTAssertEqual(try SimulationReportTests.unclosedTags(html), [])
    }

    func testComparisonPerRuleAndPerCustomer() throws {
        let c = SimulationComparison(base: try march().result, compared: try march("march-v2.perk").result)
        XCTAssertEqual(c.rules.map(\.name), ["VIP win-back", "Regulars treat", "Upgrade", "Gold thanks"])
        XCTAssertEqual(c.rules.map { $0.base?.decisionsSent ?? -1 }, [1, 2, 1, 2])
        XCTAssertEqual(c.rules.map { $0.compared?.decisionsSent ?? -1 }, [1, 4, -1, 1])
        XCTAssertEqual(c.totals.compared.coupons.cost, Number(parsing: "30.55"))
        XCTAssertEqual(c.customers.map(\.customerID), ["C001", "C002"])
        XCTAssertEqual(c.customers[1].lost.map { "\($0.action.rule) \($0.action.action) \($0.count)" },
                       ["Gold thanks award_points 1", "Upgrade message 1", "Upgrade set_tier 1"])
        XCTAssertEqual(c.customersGaining, 2)
        XCTAssertEqual(c.customersLosing, 1)
    }

    /// Tags left open or closed out of order; void elements need no closing.
    static func unclosedTags(_ html: String) throws -> [String] {
        let void: Set<String> = ["meta", "br", "hr", "img", "input", "link", "!doctype"]
        var stack: [String] = []
        var rest = html[...]
        while let open = rest.firstIndex(of: "<") {
            guard let close = rest[open...].firstIndex(of: ">") else { return ["<"] }
            let tag = rest[rest.index(after: open)..<close]
            rest = rest[rest.index(after: close)...]
            let selfClosing = tag.hasSuffix("/")
            let name = tag.split(whereSeparator: { $0 == " " || $0 == "/" && !tag.hasPrefix("/") }).first.map { String($0).lowercased() } ?? ""
            if tag.hasPrefix("/") {
                let closing = String(tag.dropFirst()).lowercased()
                guard stack.last == closing else { return stack + ["/" + closing] }
                stack.removeLast()
            } else if !selfClosing, !void.contains(name) {
                stack.append(name)
            }
        }
        return stack
    }
}
