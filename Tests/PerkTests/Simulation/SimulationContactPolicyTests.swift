import XCTest
@testable import Perk

/// A contact policy over several simulated days: contacts carry from one day to
/// the next, and the reports count the decisions it stopped.
final class SimulationContactPolicyTests: XCTestCase {
    /// Two contacts in any 3 days (today and the two days before). C001 and
    /// C004 take sms and wechat, C002 only wechat, C003 neither.
    private static let rules = """
    contact policy: at most 2 contacts per customer every 3 days
    rule "daily sms" priority 2 when true then send message "s" via sms
    rule "daily wechat" priority 1 when true then send message "w" via wechat
    rule "points" when true then award points 1
    """

    private func simulate() throws -> SimulationShop.Run {
        try SimulationShop.simulate(Self.rules, from: "2025-03-01", to: "2025-03-04")
    }

    func testThePolicyStopsDecisionsAcrossDays() throws {
        let run = try simulate()
        // C001: both contacts on 03-01 fill the policy until they are 3 days old:
        // 03-02 and 03-03 look back to 02-28 and 03-01, 03-04 no longer sees 03-01.
        XCTAssertEqual(run.rows.filter { $0.contains("C001") }, [
            "2025-03-01 C001 daily sms sent", "2025-03-01 C001 daily wechat sent", "2025-03-01 C001 points sent",
            "2025-03-02 C001 daily sms skipped_contact_cap", "2025-03-02 C001 daily wechat skipped_contact_cap", "2025-03-02 C001 points sent",
            "2025-03-03 C001 daily sms skipped_contact_cap", "2025-03-03 C001 daily wechat skipped_contact_cap", "2025-03-03 C001 points sent",
            "2025-03-04 C001 daily sms sent", "2025-03-04 C001 daily wechat sent", "2025-03-04 C001 points sent",
        ])
        XCTAssertEqual(run.statuses(of: "C004"), run.statuses(of: "C001"))
        // C002 cannot take sms, so one contact a day: 03-01 and 03-02 fill the
        // policy on 03-03; on 03-04 only 03-02 is left in the window.
        XCTAssertEqual(run.statuses(of: "C002", rule: "daily sms"), Array(repeating: "skipped_consent", count: 4))
        XCTAssertEqual(run.statuses(of: "C002", rule: "daily wechat"), ["sent", "sent", "skipped_contact_cap", "sent"])
        // C003 takes no channel: never contacted, never stopped; points are no contact.
        XCTAssertEqual(run.statuses(of: "C003", rule: "daily wechat"), Array(repeating: "skipped_consent", count: 4))
        XCTAssertEqual(run.statuses(of: "C003", rule: "points"), Array(repeating: "sent", count: 4))
    }

    func testTheFunnelJSONAndLedgerShowTheStatus() throws {
        let run = try simulate()
        XCTAssertEqual(run.rule("daily sms")?.decisions[.skippedContactCap], 4)
        XCTAssertEqual(run.rule("daily wechat")?.decisions[.skippedContactCap], 5)
        XCTAssertEqual(run.rule("daily wechat")?.customers[.skippedContactCap], 3)
        XCTAssertEqual(run.result.totals.decisions[.skippedContactCap], 9)

        let report = SimulationReport(result: run.result, comparison: nil, dataSummary: "4 customers", labels: ("t.perk", ""))
        let text = report.rendered(.text)
        XCTAssertTrue(text.contains("daily wechat  16 decisions matched; 4 dropped by consent, 5 by contact policy; 7 sent"), text)
        XCTAssertTrue(text.contains("4 customers matched; 1 dropped by consent, 3 by contact policy; 3 sent"), text)

        let object = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.rendered(.json).utf8)) as? [String: Any])
        let totals = try XCTUnwrap(object["totals"] as? [String: Any])
        XCTAssertEqual((totals["decisions"] as? [String: Int])?["skipped_contact_cap"], 9)
        let wechat = try XCTUnwrap((object["rules"] as? [[String: Any]])?.first { $0["name"] as? String == "daily wechat" })
        let funnel = try XCTUnwrap(wechat["funnel"] as? [String: [String: Int]])
        XCTAssertEqual(funnel["decisions"]?["skipped_contact_cap"], 5)
        XCTAssertEqual(funnel["customers"]?["skipped_contact_cap"], 3)

        XCTAssertTrue(run.ledger.contains("2025-03-03,C002,daily wechat,message,w,wechat,skipped_contact_cap,,\n"), run.ledger)
    }
}
