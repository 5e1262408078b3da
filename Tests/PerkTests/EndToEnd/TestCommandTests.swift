import Foundation
import XCTest

/// `perk test` as a CI job runs it: exit statuses, the failure lines, JUnit
/// XML, coverage, and the tests of `rules/`.
final class TestCommandTests: XCTestCase {
    private static let rule = "rule \"Lapsed VIP\" when member.tier == VIP and days_since_visit > 60 then send coupon 20 via sms\n"
    private static func test(_ expectation: String) -> String {
        """
        test "lapsed VIP"
          customers
            | customer_id | tier | sms_opt_in |
            | C1          | VIP  | true       |
          orders
            | customer_id | ordered_at |
            | C1          | 2025-09-01 |
          on 2025-12-15
          \(expectation)

        """
    }

    /// The columns the tests here use, so most runs need not generate the sample shop.
    private static let schema = "tier: enum MEMBER < SILVER < GOLD < VIP\nsms_opt_in: boolean\n"

    /// `perk test` with the folder's schema file.
    private func test(_ dir: URL, _ more: [String] = []) throws -> PerkProcess.Result {
        try PerkProcess.run(["test", dir.path, "--schema", dir.appendingPathComponent("shop.schema").path] + more)
    }

    private func folder(_ files: [String: String]) throws -> URL {
        var files = files
        files["shop.schema"] = Self.schema
        let dir = try PerkProcess.folder(files)
        addTeardownBlock { try? FileManager.default.removeItem(at: dir) }
        return dir
    }

    func testTheRulesFolderPasses() throws {
        let r = try PerkProcess.run(["test", Repository.path("rules")])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertTrue(r.stdout.hasSuffix(" tests: all passed.\n"), r.stdout)
        XCTAssertEqual(r.stderr, "")
    }

    func testAFailingTestExitsOneWithItsLineAndTree() throws {
        let dir = try folder(["r.perk": Self.rule, "t.perk": Self.test("expect \"Lapsed VIP\" for C1: skipped_consent")])
        let r = try test(dir)
        XCTAssertEqual(r.status, 1)
        let lines = r.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        XCTAssertEqual(lines.first.map(String.init),
                       "FAIL \(dir.path)/t.perk:9:3: test \"lapsed VIP\": \"Lapsed VIP\" for C1 on 2025-12-15: expected skipped_consent, got sent coupon 20 via sms")
        XCTAssertTrue(r.stdout.contains("    └─ days_since_visit > 60                      true\n"), r.stdout)
        XCTAssertTrue(r.stdout.hasSuffix("1 test: 0 passed, 1 failed.\n"), r.stdout)
    }

    func testJUnitGoesToStandardOutputAndTheSummaryToStandardError() throws {
        let dir = try folder(["r.perk": Self.rule, "t.perk": Self.test("expect \"Lapsed VIP\" for C1: condition false")])
        let r = try test(dir, ["--format", "junit"])
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stdout.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<testsuites name=\"perk test\" tests=\"1\" failures=\"1\" errors=\"0\">"), r.stdout)
        XCTAssertTrue(r.stdout.contains("<failure message=\"expected condition false, got sent coupon 20 via sms\">"), r.stdout)
        XCTAssertEqual(r.stderr, "1 test: 0 passed, 1 failed.\n")
        // Well formed, as a CI server's parser reads it.
        let xml = dir.appendingPathComponent("report.xml")
        try Data(r.stdout.utf8).write(to: xml)
        let check = Process()
        check.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        check.arguments = ["python3", "-c", "import sys, xml.etree.ElementTree as E; r = E.parse(sys.argv[1]).getroot(); print(r.tag, len(r.iter('testcase').__next__().findall('failure')))", xml.path]
        let out = Pipe()
        check.standardOutput = out
        try check.run()
        check.waitUntilExit()
        XCTAssertEqual(String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self), "testsuites 1\n")
    }

    func testCoverageListsUntestedRules() throws {
        let dir = try folder(["r.perk": Self.rule + "rule \"Other\" when visit_count > 3 then tag \"x\"\n",
                              "t.perk": Self.test("expect \"Lapsed VIP\" for C1: sent")])
        let r = try test(dir, ["--coverage"])
        XCTAssertEqual(r.status, 0, r.stdout)
        XCTAssertTrue(r.stdout.contains("1 test: all passed.\nCoverage: 1 of 2 rules tested.\nRules no test exercises:\n  \(dir.path)/r.perk:2:6  \"Other\"\n"), r.stdout)
        XCTAssertTrue(r.stdout.contains("`member.tier == VIP` never false"), r.stdout)
    }

    func testMistakesInTestsAreDiagnosticsAndRunNothing() throws {
        let dir = try folder(["r.perk": Self.rule, "t.perk": Self.test("expect \"Lapsed VIPs\" for C1: sent")])
        let r = try test(dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertTrue(r.stderr.hasPrefix("\(dir.path)/t.perk:9:10: error[P301]: no rule is called \"Lapsed VIPs\"; did you mean \"Lapsed VIP\"?\n"), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("perk: 1 error, 0 warnings in 2 files; no test was run.\n"), r.stderr)
        XCTAssertEqual(r.stdout, "")
        // `perk lint` reports the same, `perk run` runs the rules regardless.
        let lint = try PerkProcess.run(["lint", dir.path])
        XCTAssertEqual(lint.status, 1)
        XCTAssertTrue(lint.stdout.contains("error[P301]"), lint.stdout)
        XCTAssertEqual(try PerkProcess.run(["run", dir.path, "--as-of", "2025-12-15", "--format", "csv"]).status, 0)
    }

    func testNoTestsAndBadCommandLines() throws {
        let dir = try folder(["r.perk": Self.rule])
        let none = try test(dir)
        XCTAssertEqual(none.status, 1)
        XCTAssertEqual(none.stderr, "perk: \(dir.path) holds no test; a test starts with `test \"name\"` (see the README, Tests).\n")
        for args in [["test"], ["test", dir.path, "--format", "xml"], ["test", dir.path, "--cover"], ["test", dir.path, "--orders", "o.csv"]] {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("perk test: "), "\(args): \(r.stderr)")
        }
    }

    /// The tables take a schema file's columns: a shop's own columns can be tested.
    func testASchemaFileGivesTheColumns() throws {
        let dir = try folder(["own.schema": "tier: enum BRONZE < SILVER\nvisits_app: integer\n",
                              "r.perk": "rule \"App fans\" when member.visits_app >= 10 and member.tier == SILVER then tag \"app\"\n",
                              "t.perk": """
                              test "app fans"
                                customers
                                  | customer_id | tier   | visits_app |
                                  | C1          | SILVER | 10         |
                                  | C2          | BRONZE | 12         |
                                on 2025-12-15
                                expect "App fans" for C1: tag "app"
                                expect "App fans" for C2: condition false

                              """])
        let r = try PerkProcess.run(["test", dir.appendingPathComponent("r.perk").path, dir.appendingPathComponent("t.perk").path,
                                     "--schema", dir.appendingPathComponent("own.schema").path])
        XCTAssertEqual(r.status, 0, r.stdout + r.stderr)
        XCTAssertEqual(r.stdout, "1 test: all passed.\n")
    }
}
