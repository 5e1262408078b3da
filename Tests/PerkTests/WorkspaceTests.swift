import XCTest
@testable import Perk

/// A workspace that loads only the order fields its rules name must plan
/// exactly as one that loads them all.
final class WorkspaceTests: XCTestCase {
    private static let shop = SampleShop.generate(SampleShopConfig(customers: 400, orders: 8_000))

    /// The plan, as CSV, and the orders table it was made from.
    private func plan(_ rule: String, onlyNamedOrderFields: Bool) throws -> (String, OrderTable) {
        let folder = try PerkProcess.folder(["customers.csv": Self.shop.customersCSV, "orders.csv": Self.shop.ordersCSV,
                                             "rule.perk": rule])
        defer { try? FileManager.default.removeItem(at: folder) }
        let options = Workspace.Options(rules: [folder.appendingPathComponent("rule.perk").path],
                                        customers: folder.appendingPathComponent("customers.csv").path,
                                        orders: folder.appendingPathComponent("orders.csv").path,
                                        loadsOnlyNamedOrderFields: onlyNamedOrderFields)
        let opening = Workspace.open(options)
        let diagnostics = opening.diagnostics
        let workspace = try XCTUnwrap(opening.workspace, "\(diagnostics)")
        let program = try XCTUnwrap(workspace.program, "\(rule): \(DiagnosticRenderer().render(diagnostics))")
        let day = try XCTUnwrap(workspace.data.dayAfterLatestOrder)
        let interpreter = Interpreter(customers: workspace.data.customers, orders: workspace.data.orders)
        let plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day)
        return (PlanReport(plan: plan, program: program, customers: workspace.data.customers).csv(), workspace.data.orders)
    }

    func testEveryOrderFieldAndDerivedFieldPlansTheSameWhenOnlyNamedFieldsLoad() throws {
        var conditions = DerivedField.allCases.map { field -> String in
            switch field.type {
            case .date: return "\(field.rawValue) > 2025-06-01"
            case .text: return "\(field.rawValue) == \"Taro Milk Tea\""
            default: return "\(field.rawValue) > 3"
            }
        }
        conditions += [
            "sum(orders.amount in last 60 days) > 80",
            "any(orders in last 60 days where items contains \"Taro Milk Tea\")",
            "count(orders in last 90 days where ordered_at > 2025-11-01) > 1",
            "any(orders in last 90 days where store == \"SZ-Nanshan\")",
            "any(orders in last 90 days where channel == \"delivery\")",
            "sum(orders.discount in last 365 days) > 5",
            "any(orders where coupon_code == \"BDAY10\")",
        ]
        for condition in conditions {
            let rule = "when \(condition) then tag \"t\""
            let (all, full) = try plan(rule, onlyNamedOrderFields: false)
            let (only, pruned) = try plan(rule, onlyNamedOrderFields: true)
            XCTAssertEqual(only, all, condition)
            XCTAssertGreaterThan(all.split(separator: "\n").count, 1, "\(condition) tags someone")
            XCTAssertEqual(pruned.date, full.date, condition)
            XCTAssertLessThan(pruned.columns.filter(\.isLoaded).count, full.columns.count, "\(condition) leaves some column out")
        }
    }

    func testFieldsNoRuleNamesAreLeftOutButStillChecked() throws {
        let (_, orders) = try plan("when days_since_visit > 30 then tag \"t\"", onlyNamedOrderFields: true)
        XCTAssertGreaterThan(orders.count, 0)
        XCTAssertTrue(orders.amount.isEmpty)
        XCTAssertTrue(orders.itemIDs.isEmpty)
        XCTAssertFalse(orders.columns.contains(where: \.isLoaded))

        // A bad discount is still reported, though no rule reads discounts.
        let orders2 = Self.shop.ordersCSV.replacingOccurrences(of: ",10.00,BDAY10", with: ",ten,BDAY10")
        XCTAssertNotEqual(orders2, Self.shop.ordersCSV)
        let folder = try PerkProcess.folder(["customers.csv": Self.shop.customersCSV, "orders.csv": orders2,
                                             "rule.perk": "when days_since_visit > 30 then tag \"t\""])
        defer { try? FileManager.default.removeItem(at: folder) }
        let opening = Workspace.open(Workspace.Options(
            rules: [folder.appendingPathComponent("rule.perk").path], customers: folder.appendingPathComponent("customers.csv").path,
            orders: folder.appendingPathComponent("orders.csv").path, loadsOnlyNamedOrderFields: true))
        let diagnostics = opening.dataDiagnostics
        XCTAssertNil(opening.workspace)
        XCTAssertTrue(diagnostics.contains { $0.code == "D012" }, DiagnosticRenderer().render(diagnostics))
    }
}
