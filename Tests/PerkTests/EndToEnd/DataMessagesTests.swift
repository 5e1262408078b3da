import Foundation
import XCTest

/// The built `perk` binary on data files exported wrong: one message a file,
/// exit 1, and the order counts of `sample-data` and the other commands agree.
final class DataMessagesTests: XCTestCase {
    private static let rule = "when member.points > 1 then tag \"t\"\n"

    private func run(customers: String, orders: String, _ extra: [String] = []) throws -> PerkProcess.Result {
        let dir = try PerkProcess.folder(["r.perk": Self.rule, "customers.csv": customers, "orders.csv": orders])
        defer { try? FileManager.default.removeItem(at: dir) }
        return try PerkProcess.run(["run", dir.appendingPathComponent("r.perk").path,
                                    "--customers", dir.appendingPathComponent("customers.csv").path,
                                    "--orders", dir.appendingPathComponent("orders.csv").path] + extra)
    }

    private static let customers = "customer_id,points\nC1,5\nC2,7\n"

    func testSkippingEveryRowFailsInsteadOfAnEmptyPlan() throws {
        var orders = "order_id,customer_id,ordered_at,amount\n"
        for i in 1...50 { orders += "O\(i),C1,2025-03-01,x\(i)\n" }
        let r = try run(customers: Self.customers, orders: orders, ["--skip-bad-rows"])
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("error[D029]: every row of "), r.stderr)
        XCTAssertTrue(r.stderr.contains("orders.csv is bad (50 of 50), so it is not the orders file Perk expects"), r.stderr)
        XCTAssertTrue(r.stderr.contains("note: the first bad row, line 2: amount x1 is not a number"), r.stderr)
        XCTAssertFalse(r.stderr.contains("No actions"), r.stderr)
    }

    func testAFileOfCurrencyAmountsIsOneMessage() throws {
        var orders = "order_id,customer_id,ordered_at,amount\n"
        for i in 1...20 { orders += "O\(i),C1,2025-03-01,¥\(i)\n" }
        let r = try run(customers: Self.customers, orders: orders)
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "error[D028]").count, 2, r.stderr)
        XCTAssertTrue(r.stderr.contains("orders.csv:2:18: error[D028]: amount holds amounts with a currency sign, like ¥1, in 20 rows of "),
                      r.stderr)
        XCTAssertFalse(r.stderr.contains("error[D012]"), r.stderr)
        XCTAssertFalse(r.stderr.contains("--skip-bad-rows"), "every row is bad: skipping is no fix\n" + r.stderr)
    }

    func testASemicolonSeparatedFileIsOneMessage() throws {
        let r = try run(customers: "customer_id;points\nC1;5\nC2;7\n", orders: "order_id,customer_id,ordered_at,amount\n")
        XCTAssertEqual(r.status, 1, r.stderr)
        XCTAssertTrue(r.stderr.contains("customers.csv:1:12: error[D025]: "), r.stderr)
        XCTAssertTrue(r.stderr.contains("separates its columns with `;`, not `,`: the header and 2 rows are written this way"), r.stderr)
        XCTAssertFalse(r.stderr.contains("D005"), "not a missing customer_id column\n" + r.stderr)
    }

    func testSampleDataSaysWhichOrdersTheOtherCommandsLeaveOut() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-guests-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        let written = try PerkProcess.run(["sample-data", "--customers", "100", "--orders", "1000", "--out", dir.path])
        XCTAssertEqual(written.status, 0, written.stderr)
        XCTAssertTrue(written.stderr.hasPrefix(
            "Wrote 100 customers and 1,000 orders (other commands count 990: 10 guest orders with no customer left out):"), written.stderr)
        let lint = try PerkProcess.run(["lint", "rules"])
        XCTAssertTrue(lint.stderr.contains("3,000 customers, 59,400 orders (2025-01-01 to 2025-12-31); "
                                               + "600 guest orders with no customer left out."), lint.stderr)
    }
}
