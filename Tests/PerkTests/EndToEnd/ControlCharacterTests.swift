import Foundation
import XCTest

/// Names, ids and items that hold ESC sequences, BEL and C1 controls reach a
/// person escaped (`\u{1B}`), in `perk run`'s table, `perk explain` and the
/// REPL, while the CSV plan keeps them exactly: it is data.
final class ControlCharacterTests: XCTestCase {
    /// Clears the screen and turns text red; rings the bell; CSI as one C1 character; blinks.
    static let customers = """
    customer_id,name,tier,birthday,sms_opt_in,wechat_opt_in,sugar_pref,open_complaints
    C001,Eve\u{1B}[2J\u{1B}[31m\u{07},VIP,1990-01-03,true,true,less,0
    C\u{07}02,Bob\u{9B}31m,VIP,,true,true,normal,0
    C003,Emily Zhang,MEMBER,1992-02-29,true,false,,0

    """

    static let orders = """
    order_id,customer_id,ordered_at,amount,items,store,channel
    O1,C001,2025-10-01T10:00:00,18.00,Jasmine\u{1B}[5m Tea,SH-Jingan,store
    O2,C\u{07}02,2025-12-20,36.50,Oolong Milk Tea,SH-Jingan,delivery

    """

    static let rules = "rule \"Treat\" when member.tier == VIP then send coupon 20 via sms, tag \"vip\"\n"

    private var arguments: [String] = []

    override func setUpWithError() throws {
        let dir = try PerkProcess.folder(["customers.csv": Self.customers, "orders.csv": Self.orders, "treat.perk": Self.rules])
        arguments = [dir.appendingPathComponent("treat.perk").path, "--customers", dir.appendingPathComponent("customers.csv").path,
                     "--orders", dir.appendingPathComponent("orders.csv").path, "--as-of", "2026-01-01"]
    }

    /// Control characters other than the line breaks of the output itself.
    private func controls(_ text: String) -> [String] {
        text.unicodeScalars.filter { $0 != "\n" && ($0.value < 0x20 || (0x7F...0x9F).contains($0.value)) }.map { "U+\(String($0.value, radix: 16))" }
    }

    func testPerkRunShowsThemEscapedAndKeepsThemInCSV() throws {
        let table = try PerkProcess.run(["run"] + arguments)
        XCTAssertEqual(table.status, 0, table.stderr)
        XCTAssertEqual(controls(table.stdout + table.stderr), [], table.stdout)
        XCTAssertTrue(table.stdout.contains("C001         Eve\\u{1B}[2J\\u{1B}[31m\\u{07}  Treat"), table.stdout)
        XCTAssertTrue(table.stdout.contains("C\\u{07}02    Bob\\u{9B}31m"), table.stdout)

        let csv = try PerkProcess.run(["run"] + arguments + ["--format", "csv"])
        XCTAssertEqual(csv.status, 0, csv.stderr)
        XCTAssertTrue(csv.stdout.contains("C\u{07}02,Treat,coupon,20,sms"), csv.stdout.debugDescription)
        XCTAssertFalse(csv.stdout.contains("\\u{"), "CSV is data: nothing escaped")
    }

    func testTheReplAndExplainShowThemEscaped() throws {
        let script = """
        customer "C001"
        customers where member.tier == VIP
        top 3 customers by member.name
        member.name
        :explain Treat C001
        :run
        count customers where any(orders where items contains "Jasmine\u{1B}[5m Tea")

        """
        let r = try PerkProcess.run(["repl"] + arguments, stdin: script)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(controls(r.stdout + r.stderr), [], r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("loaded 1 file"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Customer C001 (Eve\\u{1B}[2J\\u{1B}[31m\\u{07}), as of 2026-01-01"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Jasmine\\u{1B}[5m Tea"), "the item in the latest orders")
        XCTAssertTrue(r.stdout.contains("C\\u{07}02    Bob\\u{9B}31m"), r.stdout)
        XCTAssertTrue(r.stdout.contains("most common \"Bob\\u{9B}31m\" (1)"), r.stdout)
        XCTAssertTrue(r.stdout.contains("Rule \"Treat\" for customer C001 (Eve\\u{1B}[2J\\u{1B}[31m\\u{07})"), r.stdout)
        // The item's name with its controls, typed in a script, still finds the order.
        XCTAssertTrue(r.stdout.hasSuffix("1 of 3 customers (33.3%)\n"), r.stdout)

        let explain = try PerkProcess.run(["explain"] + arguments + ["--customer", "C\u{07}02"])
        XCTAssertEqual(explain.status, 0, explain.stderr)
        XCTAssertEqual(controls(explain.stdout + explain.stderr), [], explain.stdout)
        XCTAssertTrue(explain.stdout.contains("Rule \"Treat\" for customer C\\u{07}02 (Bob\\u{9B}31m)"), explain.stdout)
    }
}
