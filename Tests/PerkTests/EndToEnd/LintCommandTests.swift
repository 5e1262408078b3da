import Foundation
import XCTest

/// `perk lint` as a user runs it.
final class LintCommandTests: XCTestCase {
    /// The examples check, and their warnings are the true ones: "Complaint
    /// recovery" gives a coupon on the same day as the other coupon rules (P204,
    /// their limits count each rule alone), and three rules lose their points,
    /// tags or staff notes for customers without consent (P215).
    func testExampleRulesHaveNoErrorsAndOnlyTheirKnownWarnings() throws {
        let r = try PerkProcess.run(["lint", "rules"])
        XCTAssertEqual(r.status, 0, r.stdout)
        let warnings = r.stdout.split(separator: "\n").filter { $0.contains(": warning[") }.map { line in
            line.split(separator: ":").prefix(2).joined(separator: ":") + " " + (line.firstRange(of: "warning[").map { String(line[$0.upperBound...].prefix(4)) } ?? "")
        }
        XCTAssertEqual(warnings, [
            "rules/birthday.perk:4 P204", "rules/birthday.perk:6 P215", "rules/complaint-recovery.perk:7 P215",
            "rules/lapsed-recall.perk:8 P204", "rules/lapsed-recall.perk:14 P204", "rules/less-sugar.perk:7 P215",
            "rules/second-visit.perk:4 P204", "rules/winback.perk:3 P204",
        ], r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("0 errors, 8 warnings in 16 files\n"), r.stdout)
    }

    func testWarningsExitZeroUnlessStrict() throws {
        let dir = try PerkProcess.folder(["w.perk": "rule \"r\" when visit_count > 3 then send coupon 20\n"])
        let path = dir.appendingPathComponent("w.perk").path
        let plain = try PerkProcess.run(["lint", path])
        XCTAssertEqual(plain.status, 0)
        XCTAssertTrue(plain.stdout.contains("w.perk:1:36: warning[P205]"), plain.stdout)
        XCTAssertTrue(plain.stdout.hasSuffix("0 errors, 1 warning in 1 file\n"), plain.stdout)
        XCTAssertEqual(try PerkProcess.run(["lint", path, "--strict"]).status, 1)
    }

    func testJSONAndSARIF() throws {
        let dir = try PerkProcess.folder(["e.perk": "rule \"r\" when member.tier == VIPP then tag \"x\"\nrule \"s\" when visit_count > 3 then send coupon 5\n"])
        let path = dir.appendingPathComponent("e.perk").path
        let json = try PerkProcess.run(["lint", path, "--format", "json"])
        XCTAssertEqual(json.status, 1)
        let object = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(object["errors"] as? Int, 1)
        let first = try XCTUnwrap((object["diagnostics"] as? [[String: Any]])?.first)
        XCTAssertEqual(first["code"] as? String, "P103")
        XCTAssertEqual(first["line"] as? Int, 1)
        XCTAssertEqual(first["column"] as? Int, 30)
        XCTAssertEqual(first["end_column"] as? Int, 34)

        let sarif = try PerkProcess.run(["lint", path, "--format", "sarif"])
        let log = try XCTUnwrap(JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any])
        XCTAssertEqual(log["version"] as? String, "2.1.0")
        let run = try XCTUnwrap((log["runs"] as? [[String: Any]])?.first)
        XCTAssertEqual(((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["name"] as? String, "perk")
        let results = try XCTUnwrap(run["results"] as? [[String: Any]])
        XCTAssertEqual(results.map { $0["ruleId"] as? String }, ["P103", "P205"],
                       "an error in one rule does not hide the warnings of a rule that checked")
        let region = (((results[0]["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?["region"] as? [String: Any])
        XCTAssertEqual(region?["startLine"] as? Int, 1)
        XCTAssertEqual(region?["startColumn"] as? Int, 30)
    }

    func testMatchCountsAndExamplesWithData() throws {
        let dir = try PerkProcess.folder([
            "customers.csv": RunCommandTests.customers, "orders.csv": RunCommandTests.orders,
            "r.perk": "rule \"VIP\" when member.tier == VIP then send coupon 10\nrule \"Lapsed\" when days_since_visit > 30 then send coupon 5\nrule \"Nobody\" when visit_count > 50 then tag \"x\"\n",
        ])
        let r = try PerkProcess.run(["lint", dir.appendingPathComponent("r.perk").path,
                                     "--customers", dir.appendingPathComponent("customers.csv").path,
                                     "--orders", dir.appendingPathComponent("orders.csv").path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("= note: e.g. C001 (王芳, VIP) would get both coupons on 2026-01-01"), r.stdout)
        XCTAssertTrue(r.stdout.contains("warning[P211]: rule \"Nobody\" matches no customer on 2026-01-01"), r.stdout)
        XCTAssertTrue(r.stdout.contains("""
        rule    customers matched on 2026-01-01
        ------  -------------------------------
        VIP                                   2
        Lapsed                                2
        Nobody                                0
        """), r.stdout)
    }

    /// A rules file saved in another encoding: each byte that is not UTF-8 is an
    /// error in place, in a comment or text too, and the rest of the file is still
    /// checked, in `perk lint`, `perk run` and the REPL's `:load`.
    func testBytesThatAreNotUTF8AreErrorsInPlace() throws {
        let dir = try PerkProcess.folder([:])
        let path = dir.appendingPathComponent("latin1.perk").path
        let bytes = Array("# caf".utf8) + [0xE9] + Array("\nrule \"r\" when visit_count > 3 then tag \"caf".utf8) + [0xE9]
            + Array("\"\nwhen days_since_vist > 1 then tag \"x\"\n".utf8)
        XCTAssertTrue(FileManager.default.createFile(atPath: path, contents: Data(bytes)))
        let comment = "latin1.perk:1:6: error[P001]: a comment with a byte that is not valid UTF-8 (0xE9); save the file as UTF-8"
        let text = "latin1.perk:2:44: error[P001]: text with a byte that is not valid UTF-8 (0xE9); save the file as UTF-8"
        let typo = "latin1.perk:3:6: error[P101]: unknown name `days_since_vist`"

        let lint = try PerkProcess.run(["lint", "latin1.perk"], directory: dir)
        XCTAssertEqual(lint.status, 1, lint.stdout)
        for expected in [comment, text, typo] { XCTAssertTrue(lint.stdout.contains(expected), lint.stdout) }
        XCTAssertTrue(lint.stdout.hasSuffix("3 errors, 0 warnings in 1 file\n"), lint.stdout)

        let run = try PerkProcess.run(["run", "latin1.perk"], directory: dir)
        XCTAssertEqual(run.status, 1, run.stderr)
        for expected in [comment, text, typo] { XCTAssertTrue(run.stderr.contains(expected), run.stderr) }

        let repl = try PerkProcess.run(["repl"], stdin: ":load latin1.perk\ncount customers\n", directory: dir)
        XCTAssertEqual(repl.status, 0, repl.stderr)
        for expected in [comment, text, typo] { XCTAssertTrue(repl.stderr.contains(expected), repl.stderr) }
        XCTAssertEqual(repl.stdout, "3,000 of 3,000 customers (100.0%)\n")
    }
}
