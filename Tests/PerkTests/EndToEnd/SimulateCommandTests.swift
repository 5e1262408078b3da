import Foundation
import XCTest

/// Runs `perk simulate` as a user would: on the hand-checked March shop in
/// `Fixtures/simulation`, and on the built-in sample shop.
final class SimulateCommandTests: XCTestCase {
    private static let fixtures = "Tests/PerkTests/Fixtures/simulation/"
    private static let data = ["--customers", Repository.path(fixtures + "customers.csv"), "--orders", Repository.path(fixtures + "orders.csv")]
    private static let march = ["simulate", Repository.path(fixtures + "march.perk")] + data + ["--from", "2025-03-01", "--to", "2025-03-03"]

    private func temporary(_ name: String) throws -> URL {
        try PerkProcess.folder([:]).appendingPathComponent(name)
    }

    /// Every decision worked out by hand (see the comments in march.perk's test).
    ///
    /// Mar 1: C001 (VIP, 55 days away) gets the win-back coupon; the exclusive
    /// campaign then refuses the treat. C002 and C003 get the 15% treat, which
    /// takes the budget to exactly 30. C002 is upgraded to GOLD; C003 (GOLD) is
    /// thanked with points. Mar 2: C002 is GOLD now and thanked; the budget
    /// covers no more treats; C001's win-back waits for its cooldown. The win-back
    /// coupon is redeemed by C001's order of Mar 3 (20 off 25.00); C003's treat by
    /// the order of Mar 2 (15% of 60 is 9, capped at 5); C002 orders on Mar 4,
    /// after the treat's three days.
    func testLedgerMatchesTheHandComputedOne() throws {
        let ledger = try temporary("ledger.csv")
        let r = try PerkProcess.run(Self.march + ["--ledger", ledger.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(try String(contentsOf: ledger, encoding: .utf8), """
        date,customer_id,rule,action,value,channel,status,redeemed_on,cost
        2025-03-01,C001,VIP win-back,coupon,20,sms,sent,2025-03-03,20.00
        2025-03-01,C001,Regulars treat,coupon,15% max 5,,skipped_exclusive,,
        2025-03-01,C002,Regulars treat,coupon,15% max 5,,sent,,
        2025-03-01,C002,Upgrade,set_tier,GOLD,,sent,,
        2025-03-01,C002,Upgrade,message,"welcome, gold",wechat,sent,,
        2025-03-01,C003,Regulars treat,coupon,15% max 5,,sent,2025-03-02,5.00
        2025-03-01,C003,Gold thanks,award_points,10,,sent,,
        2025-03-02,C001,VIP win-back,coupon,20,sms,skipped_cooldown,,
        2025-03-02,C001,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-02,C002,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-02,C002,Gold thanks,award_points,10,,sent,,
        2025-03-02,C003,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-02,C003,Gold thanks,award_points,10,,skipped_limit,,
        2025-03-03,C001,VIP win-back,coupon,20,sms,skipped_cooldown,,
        2025-03-03,C001,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-03,C002,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-03,C002,Gold thanks,award_points,10,,skipped_limit,,
        2025-03-03,C003,Regulars treat,coupon,15% max 5,,skipped_budget,,
        2025-03-03,C003,Gold thanks,award_points,10,,skipped_limit,,

        """)
        XCTAssertTrue(r.stdout.hasPrefix("Simulation of 2025-03-01 to 2025-03-03 (3 days)\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("estimated redemptions  2 of 3 coupons (66.7%), cost 25.00"), r.stdout)
        XCTAssertTrue(r.stdout.contains("March     2025-03-01 to 2025-03-31     3   30.00  30.00  0.00  2025-03-02"), r.stdout)
        XCTAssertTrue(r.stderr.contains("Wrote the ledger to \(ledger.path)."), r.stderr)
    }

    func testJSONToAFile() throws {
        let out = try temporary("report.json")
        let r = try PerkProcess.run(Self.march + ["--format", "json", "--out", out.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(contentsOf: out)) as? [String: Any])
        let campaign = try XCTUnwrap((object["campaigns"] as? [[String: Any]])?.first)
        XCTAssertEqual(campaign["budget_ran_out_on"] as? String, "2025-03-02")
        XCTAssertEqual(campaign["spent"] as? Int, 30)
    }

    func testHTMLIsOnePageWithCharts() throws {
        let r = try PerkProcess.run(Self.march + ["--format", "html"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.hasPrefix("<!DOCTYPE html>"))
        XCTAssertEqual(r.stdout.components(separatedBy: "<svg").count - 1, 3)
    }

    func testCompareShowsWhatChanges() throws {
        let r = try PerkProcess.run(Self.march + ["--compare", Repository.path(Self.fixtures + "march-v2.perk")])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("2 customers gain an action and 1 lose one."), r.stdout)
        XCTAssertTrue(r.stdout.contains("C002: +1 coupon 15% max 5 (Regulars treat); -1 award_points 10 (Gold thanks); "
                                        + "-1 message welcome, gold via wechat (Upgrade); -1 set_tier GOLD (Upgrade)"), r.stdout)
    }

    func testSampleShopEndToEnd() throws {
        let r = try PerkProcess.run(["simulate", "rules", "--from", "2025-10-01", "--to", "2025-12-31"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stderr.hasPrefix("Using the built-in sample shop"), r.stderr)
        for heading in ["Totals", "Campaigns", "Rules", "Funnel per rule: decisions, then distinct customers",
                        "Tiers (as in the data, before any set tier)", "Overlap", "Return rates: targeted against held out",
                        "Sample customers and why they matched"] {
            XCTAssertTrue(r.stdout.contains("\n\(heading)\n\n"), heading)
        }
        XCTAssertTrue(r.stdout.contains("New Year recall  2025-12-15 to 2026-01-31    17  3,000.00"), r.stdout)
        // The README's tour quotes this run.
        let readme = try Repository.read("README.md")
        let quoted = try XCTUnwrap(DocsTests.blocks(in: readme, from: "**7. A dry run.**", to: "Add `--format html").first)
        let funnel = try XCTUnwrap(DocsTests.blocks(in: quoted, from: "```text\n", to: "```").first)
        XCTAssertTrue(r.stdout.contains(funnel), funnel)
    }

    func testBadCommandLinesExitTwoWithOneLine() throws {
        let rules = Repository.path(Self.fixtures + "march.perk")
        let cases: [([String], String)] = [
            (["simulate", rules, "--to", "2025-03-03"], "--from DATE is required"),
            (["simulate", rules], "--from DATE and --to DATE are required"),
            (["simulate", rules, "--from", "2025-03-04", "--to", "2025-03-03"], "--from 2025-03-04 is after --to 2025-03-03"),
            (["simulate", rules, "--from", "2025-02-30", "--to", "2025-03-03"], "February 2025 has 28 days"),
            (["simulate", rules, "--from", "2025-03-01", "--to", "3025-03-03"], "simulate at most 3660"),
            (["simulate", rules, "--from", "2025-03-01", "--to", "2025-03-03", "--format", "pdf"], "--format must be one of text, json, html"),
            (["simulate", rules, "--from", "2025-03-01", "--to", "2025-03-03", "--compare"], "--compare needs the rules"),
            (["simulate", rules, "--from", "2025-03-01", "--too", "2025-03-03"], "did you mean --to?"),
            (["simulate", "--from", "2025-03-01", "--to", "2025-03-03"], "name at least one rules file"),
        ]
        for (args, message) in cases {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("perk simulate: "), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(message), "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").count, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stdout, "")
        }
    }

    func testRuleErrorsAndUnwritableFilesExitOne() throws {
        let dir = try PerkProcess.folder(["bad.perk": "when member.tier == VIPP then send coupon 20\n"])
        let bad = try PerkProcess.run(["simulate", dir.appendingPathComponent("bad.perk").path] + Self.data
                                      + ["--from", "2025-03-01", "--to", "2025-03-03"])
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("error[P103]"), bad.stderr)
        XCTAssertTrue(bad.stderr.contains("nothing was simulated"), bad.stderr)
        let badCompare = try PerkProcess.run(Self.march + ["--compare", dir.appendingPathComponent("bad.perk").path])
        XCTAssertEqual(badCompare.status, 1)
        XCTAssertTrue(badCompare.stderr.contains("1 error, 0 warnings in 1 file; nothing was simulated; the errors are in the --compare rules."),
                      badCompare.stderr)
        let unwritable = try PerkProcess.run(Self.march + ["--ledger", "/nonexistent-folder/ledger.csv"])
        XCTAssertEqual(unwritable.status, 1)
        XCTAssertTrue(unwritable.stderr.contains("cannot write /nonexistent-folder/ledger.csv"), unwritable.stderr)
        XCTAssertEqual(unwritable.stdout, "")
    }

    func testHelpFitsOnOneScreen() throws {
        let r = try PerkProcess.run(["simulate", "--help"])
        XCTAssertEqual(r.status, 0)
        XCTAssertTrue(r.stdout.hasPrefix("Usage: perk simulate RULES... --from DATE --to DATE"), r.stdout)
        XCTAssertLessThanOrEqual(r.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 24)
        let overview = try PerkProcess.run(["--help"])
        XCTAssertTrue(overview.stdout.contains("  simulate     "), overview.stdout)
    }
}
