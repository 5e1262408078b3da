import XCTest
@testable import Perk

/// `perk run` evaluates conditions on several threads and decides in customer
/// order; the plan must not depend on how many threads there were.
final class ActionPlanTests: XCTestCase {
    func testThePlanIsTheSameOnAnyNumberOfThreads() throws {
        // A budget that runs out part of the way through the customers: who
        // gets the last coupons depends on deciding in customer order.
        let folder = try PerkProcess.folder(["small-budget.perk": """
            rule "Regulars" when visit_count >= 10 then send coupon 5
            campaign "Small" from 2025-01-01 to 2026-12-31 budget 200 rules "Regulars"
            """])
        defer { try? FileManager.default.removeItem(at: folder) }
        let workspace = Workspace.open(Workspace.Options(rules: [Repository.path("rules"), folder.path])).workspace
        let w = try XCTUnwrap(workspace)
        let program = try XCTUnwrap(w.program)
        let interpreter = Interpreter(customers: w.data.customers, orders: w.data.orders)
        for day in [try XCTUnwrap(w.data.dayAfterLatestOrder), LocalDate(year: 2025, month: 12, day: 20)!] {
            let one = try ActionPlan.make(program: program, interpreter: interpreter, day: day, workers: 1)
            XCTAssertGreaterThan(one.entries.count, 100, "\(day)")
            XCTAssertGreaterThan(one.statusCounts[.skippedBudget] ?? 0, 0, "\(day)")
            for workers in [2, 3, 8] {
                let many = try ActionPlan.make(program: program, interpreter: interpreter, day: day, workers: workers)
                XCTAssertEqual(PlanReport(plan: many, program: program, customers: w.data.customers).csv(),
                               PlanReport(plan: one, program: program, customers: w.data.customers).csv(), "\(day), \(workers) threads")
                XCTAssertEqual(many.statusCounts, one.statusCounts, "\(day), \(workers) threads")
            }
        }
    }
}
