import Foundation
import XCTest

/// `perk repl` and `perk explain` run as built, reading scripts from standard
/// input. Each `Fixtures/repl/NAME.session` runs against the fixture shop
/// (`Fixtures/repl/shop`, answers worked out by hand in the session's
/// comments), and its standard output and error are compared with
/// `NAME.stdout` and `NAME.stderr`. PERK_UPDATE_GOLDEN=1 rewrites them.
final class ReplCommandTests: XCTestCase {
    static let folder = "Tests/PerkTests/Fixtures/repl"
    static let data = ["--customers", "\(folder)/shop/customers.csv", "--orders", "\(folder)/shop/orders.csv"]

    func testScriptedSessionsMatchGoldenFiles() throws {
        let names = try GoldenFile.names(in: Self.folder, ending: ".session")
        XCTAssertGreaterThanOrEqual(names.count, 3)
        for name in names {
            let script = try Repository.read("\(Self.folder)/\(name)")
            let r = try PerkProcess.run(["repl"] + Self.data, stdin: script, environment: ["PERK_HISTORY": ""])
            XCTAssertEqual(r.status, 0, "\(name): \(r.stderr)")
            XCTAssertFalse(r.stdout.contains("\u{1B}") || r.stderr.contains("\u{1B}"), "no escape codes when reading a script")
            let base = Repository.path("\(Self.folder)/\(name.dropLast(".session".count))")
            try GoldenFile.check(r.stdout, against: base + ".stdout", "\(name) stdout")
            try GoldenFile.check(r.stderr, against: base + ".stderr", "\(name) stderr")
        }
    }

    func testFailFastStopsAtTheFirstFailingLine() throws {
        let script = "count customers where member.tier == VIP\ncount customers where member.tier == VIPP\n2 + 3\n"
        let r = try PerkProcess.run(["repl", "--fail-fast"] + Self.data, stdin: script)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "2 of 6 customers (33.3%)\n")
        XCTAssertTrue(r.stderr.contains("<line 2>:1:38: error[P103]"), r.stderr)
        // Without it, the session goes on and ends well.
        let all = try PerkProcess.run(["repl"] + Self.data, stdin: script)
        XCTAssertEqual(all.status, 0)
        XCTAssertEqual(all.stdout, "2 of 6 customers (33.3%)\n5\n")
    }

    /// A wrong line with an open bracket is reported at once; the lines after
    /// it are read as entries of their own, not swallowed into it.
    func testAWrongLineWithAnOpenBracketIsReportedAndTheNextLinesStillRun() throws {
        let script = "this is not (( valid\n2 + 3\ncount customers where (member.tier == VIP\n  or member.tier == GOLD)\n:quit\n"
        let r = try PerkProcess.run(["repl"] + Self.data, stdin: script)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "5\n3 of 6 customers (50.0%)\n")
        XCTAssertTrue(r.stderr.contains("<line 1>:1:13: error[P002]: expected `missing` or `present` after `is`, found `(`"), r.stderr)
        XCTAssertEqual(r.stderr.components(separatedBy: "error[").count, 2, "one error, for line 1 only: \(r.stderr)")
        let failFast = try PerkProcess.run(["repl", "--fail-fast"] + Self.data, stdin: script)
        XCTAssertEqual(failFast.status, 1)
        XCTAssertEqual(failFast.stdout, "")
    }

    /// SIGINT stops the entry running and the script: nothing after it is
    /// read, and the exit status is 130.
    func testSigintStopsTheRunningEntryAndTheScript() throws {
        let script = "1 + 1\ncount customers where \(SlowQueryShop.condition)\n2 + 2\n"
        let run = try PerkProcess.start(["repl", "--timing"] + SlowQueryShop.arguments, stdin: script)
        // The first entry's time is printed just before the slow one starts.
        let deadline = Date().addingTimeInterval(60)
        while !run.stderrSoFar.contains(" ms)"), Date() < deadline { usleep(20_000) }
        Thread.sleep(forTimeInterval: 1)
        let sent = Date()
        run.kill(SIGINT)
        let r = try run.wait()
        // The query alone takes half a minute in a debug build.
        XCTAssertLessThan(Date().timeIntervalSince(sent), 10, "stopped soon after SIGINT")
        XCTAssertEqual(r.status, 130, r.stderr)
        XCTAssertEqual(r.stdout, "2\n")
        XCTAssertTrue(r.stderr.contains("interrupted\n"), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("the script stops at line 2\n"), r.stderr)
    }

    func testQuitEndsTheScriptAndAnUnfinishedEntryIsAnsweredAtTheEnd() throws {
        let r = try PerkProcess.run(["repl"] + Self.data, stdin: "1 + 1\n:quit\n2 + 2\n")
        XCTAssertEqual(r.stdout, "2\n")
        let unfinished = try PerkProcess.run(["repl"] + Self.data, stdin: "count customers where\n  member.tier == VIP and")
        XCTAssertEqual(unfinished.status, 0)
        XCTAssertTrue(unfinished.stderr.contains("<line 1>:2:25: error[P004]"), unfinished.stderr)
    }

    func testRulesOnTheCommandLineAndAsOf() throws {
        let r = try PerkProcess.run(["repl", "\(Self.folder)/winback.perk", "--as-of", "2025-12-15"] + Self.data,
                                    stdin: "today\ncount customers where lapsed\n")
        XCTAssertEqual(r.status, 0, r.stderr)
        // On 2025-12-15: C003 (105 days) and C005 (197) are lapsed; C002's order
        // is later, so no visit yet. No birthday is within 7 days (C005's is 16 away).
        XCTAssertEqual(r.stdout, """
        loaded 1 file: 2 rules, 1 define, 0 campaigns

        rule           priority  campaign  written at                                    matches
        -------------  --------  --------  --------------------------------------------  -------
        VIP win-back         10            Tests/PerkTests/Fixtures/repl/winback.perk:3        1
        Birthday week         0            Tests/PerkTests/Fixtures/repl/winback.perk:8        0

        2025-12-15
        2 of 6 customers (33.3%)

        """)
    }

    func testBadCommandLines() throws {
        let r = try PerkProcess.run(["repl", "--as-of", "2025-13-01"], stdin: "")
        XCTAssertEqual(r.status, 2)
        XCTAssertTrue(r.stderr.contains("--as-of 2025-13-01 is not a date"), r.stderr)
        XCTAssertEqual(try PerkProcess.run(["repl", "--fial-fast"], stdin: "").status, 2)
        let help = try PerkProcess.run(["repl", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("Usage: perk repl"))
    }

    // MARK: - perk explain

    func testExplainPrintsTheTree() throws {
        let r = try PerkProcess.run(["explain", "\(Self.folder)/winback.perk", "--customer", "C003", "--rule", "VIP win-back"] + Self.data)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, """
        Rule "VIP win-back" for customer C003 (Emily Zhang), as of 2026-01-01

        member.tier == VIP and lapsed  true
        ├─ member.tier == VIP          true
        │  └─ member.tier              VIP
        └─ lapsed (define)             true
           └─ days_since_visit > 60    true
              └─ days_since_visit      122

        Fires: coupon 20 via sms.

        """)
        let all = try PerkProcess.run(["explain", "\(Self.folder)/winback.perk", "--customer", "C006", "--as-of", "2025-12-31"] + Self.data)
        XCTAssertEqual(all.status, 0, all.stderr)
        XCTAssertTrue(all.stdout.contains("unknown because member.birthday is missing"), all.stdout)
        XCTAssertTrue(all.stdout.contains("Rule \"VIP win-back\"") && all.stdout.contains("Rule \"Birthday week\""))
    }

    func testExplainRejectsUnknownCustomersAndRules() throws {
        let r = try PerkProcess.run(["explain", "\(Self.folder)/winback.perk", "--customer", "c003"] + Self.data)
        XCTAssertEqual(r.status, 2)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("perk explain: no customer `c003` in \(Self.folder)/shop/customers.csv; did you mean `C003`?"), r.stderr)
        let rule = try PerkProcess.run(["explain", "\(Self.folder)/winback.perk", "--customer", "C003", "--rule", "VIP winback"] + Self.data)
        XCTAssertEqual(rule.status, 2)
        XCTAssertTrue(rule.stderr.contains("no rule \"VIP winback\" in the rules given; did you mean \"VIP win-back\"?"), rule.stderr)
        XCTAssertEqual(try PerkProcess.run(["explain", "\(Self.folder)/winback.perk"] + Self.data).status, 2, "--customer is required")
        let broken = try PerkProcess.folder(["bad.perk": "when member.tier == VIPP then tag \"x\"\n"])
        let bad = try PerkProcess.run(["explain", broken.appendingPathComponent("bad.perk").path, "--customer", "C001"] + Self.data)
        XCTAssertEqual(bad.status, 1)
        XCTAssertTrue(bad.stderr.contains("error[P103]"), bad.stderr)
    }
}
