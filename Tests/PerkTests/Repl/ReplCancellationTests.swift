import Dispatch
import Foundation
import XCTest
@testable import Perk

/// An entry cancelled from another thread (as Ctrl-C does) stops within a
/// moment, answers nothing, changes nothing, and the session goes on. The
/// queries are quadratic in a customer's orders, far too slow to finish in a
/// test: only cancellation lets them return. The time bounds are generous;
/// they matter only if cancelling does not work.
final class ReplCancellationTests: XCTestCase {
    /// A nested aggregate: for each order, the average of all the customer's orders.
    private static let slowCondition = "count(orders where amount > avg(orders.amount)) > 3"

    /// `customers` customers with `ordersEach` orders each, all before 2025-03-01.
    private static func shop(customers: Int, ordersEach: Int) -> DataSet {
        let ids = (0..<customers).map { "C\($0)" }
        let table = CustomerTable(source: "many orders", ids: ids,
                                  columns: [CustomerColumn(name: "name", type: .text, values: ids.map { .text("name \($0)") })],
                                  lines: (0..<customers).map { Int32($0 + 2) })
        var start: [Int32] = [0], customer: [Int32] = [], date: [Int32] = [], amount: [Number] = [], itemStart: [Int32] = [0]
        let first = LocalDate(year: 2024, month: 1, day: 1)!.day
        for c in 0..<customers {
            for k in 0..<ordersEach {
                customer.append(Int32(c))
                date.append(first + Int32(k % 400))
                amount.append(Number(k % 50))
                itemStart.append(0)
            }
            start.append(Int32(customer.count))
        }
        let orders = OrderTable(source: "many orders", start: start, customer: customer, date: date,
                                seconds: Array(repeating: -1, count: customer.count), amount: amount,
                                itemStart: itemStart, itemIDs: [], itemNames: [], columns: [],
                                lines: (0..<customer.count).map { Int32($0 + 2) })
        return DataSet(customers: table, orders: orders, isSample: false, report: LoadReport())
    }

    private static func cancel(_ c: Cancellation, after seconds: Double) {
        DispatchQueue.global().asyncAfter(deadline: .now() + seconds) { c.cancel() }
    }

    func testACancelledQueryStopsAndTheSessionGoesOn() {
        // 20,000 orders: 400 million order visits for the one customer.
        var session = ReplSession(data: Self.shop(customers: 1, ordersEach: 20_000), day: TestShop.today)
        for query in ["count customers where \(Self.slowCondition)", "top customers by count(orders where amount > avg(orders.amount))",
                      "group customers by count(orders where amount > avg(orders.amount))", "count(orders where amount > avg(orders.amount))",
                      "customer C0"] {
            let cancellation = Cancellation()
            Self.cancel(cancellation, after: 0.2)
            let started = Date()
            // `customer C0` shows every derived field and the latest orders: it is quick, so nothing is interrupted.
            let reply = session.feed(query, cancellation: cancellation)
            if query == "customer C0" {
                XCTAssertEqual(reply?.interrupted, false)
                continue
            }
            XCTAssertLessThan(Date().timeIntervalSince(started), 15, query)
            XCTAssertEqual(reply?.interrupted, true, query)
            XCTAssertEqual(reply?.output, "", "an interrupted query shows nothing of what it had: \(query)")
        }
        XCTAssertEqual(session.feed("count customers where member.name == \"name C0\"")?.output, "1 of 1 customer (100.0%)\n")
        XCTAssertEqual(session.feed("2 + 3", cancellation: Cancellation())?.output, "5\n")
    }

    /// A declaration whose count of matches is interrupted is not added, nor
    /// is a line of an unfinished entry lost.
    func testAnInterruptedEntryChangesNothing() {
        var session = ReplSession(data: Self.shop(customers: 1, ordersEach: 20_000), day: TestShop.today)
        XCTAssertEqual(session.feed("define small = 1 + 1")?.failed, false)
        let cancelled = Cancellation()
        cancelled.cancel()
        XCTAssertEqual(session.feed("define slow = \(Self.slowCondition)", cancellation: cancelled)?.interrupted, true)
        XCTAssertEqual(session.feed("when \(Self.slowCondition) then tag \"x\"", cancellation: cancelled)?.interrupted, true)
        XCTAssertEqual(session.program.defines.map(\.name), ["small"])
        XCTAssertTrue(session.program.rules.isEmpty)
        // `:asof` is quick, but a token cancelled before it began still stops it.
        XCTAssertEqual(session.feed(":asof 2025-01-01", cancellation: cancelled)?.interrupted, true)
        XCTAssertEqual(session.day, TestShop.today)
        // An unfinished line waits for the next whatever the token says.
        XCTAssertNil(session.feed("count customers where", cancellation: cancelled))
        XCTAssertEqual(session.feed("  member.name == \"name C0\"")?.output, "1 of 1 customer (100.0%)\n")
    }

    /// `:run` evaluates conditions on several threads: each stops.
    func testARunPlanOnSeveralThreadsStops() throws {
        // 2,048 customers, so `perk run`'s matching takes both of two threads.
        var session = ReplSession(data: Self.shop(customers: 2_048, ordersEach: 400), day: TestShop.today)
        let added = Cancellation()
        Self.cancel(added, after: 0.2)
        XCTAssertEqual(session.feed("rule \"slow\" when \(Self.slowCondition) then tag \"x\"", cancellation: added)?.interrupted, true)
        XCTAssertTrue(session.program.rules.isEmpty, "the rule whose count was interrupted is not added")
        // The plan itself, as `:run` makes it, with the session's interpreter.
        let program = Compiler.compile([SourceFile(path: "slow.perk", text: "rule \"slow\" when \(Self.slowCondition) then tag \"x\"\n")],
                                       schema: session.schema).program
        guard let program else { return XCTFail("the slow rule compiles") }
        var interpreter = session.interpreter
        let cancellation = Cancellation()
        interpreter.cancellation = cancellation
        Self.cancel(cancellation, after: 0.2)
        let started = Date()
        let plan = try ActionPlan.make(program: program, interpreter: interpreter, day: TestShop.today, workers: 2)
        XCTAssertLessThan(Date().timeIntervalSince(started), 15)
        XCTAssertLessThan(plan.entries.count, 2_048, "stopped before the last customers")
    }
}
