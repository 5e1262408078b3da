import Foundation
import XCTest
@testable import Perk

/// `perk journal` on three days of the example rules committed by `perk run`
/// on the sample shop: the report as a user reads it (golden), the JSON
/// checked against the day files themselves, budgets from the rules, and a
/// rule renamed after its decisions were committed.
final class JournalCommandTests: XCTestCase {
    static let days = ["2025-12-30", "2025-12-31", "2026-01-01"]
    static let rules = Repository.path("rules")

    /// The scratch folder holding `journal`; shared, so no test may change it.
    static let shop: Result<URL, Error> = Result { try SampleShopFiles.journal(rules: [rules], days: days) }

    override class func tearDown() {
        if case .success(let url) = shop { try? FileManager.default.removeItem(at: url) }
        super.tearDown()
    }

    private func journal(_ arguments: [String]) throws -> PerkProcess.Result {
        try PerkProcess.run(["journal", "journal"] + arguments, directory: Self.shop.get())
    }

    // MARK: The report

    func testTextReport() throws {
        let plain = try journal([])
        XCTAssertEqual(plain.status, 0, plain.stderr)
        XCTAssertEqual(plain.stderr, "")
        try GoldenFile.check(plain.stdout, against: Repository.path("Tests/PerkTests/Fixtures/journal/report.txt"), "perk journal")

        let budgets = try journal(["--rules", Self.rules])
        XCTAssertEqual(budgets.status, 0, budgets.stderr)
        try GoldenFile.check(budgets.stdout, against: Repository.path("Tests/PerkTests/Fixtures/journal/report-with-rules.txt"),
                             "perk journal --rules")
    }

    /// Every figure of the JSON, worked out again from the rows of the files.
    func testJSONAddsUpToTheDayFiles() throws {
        let r = try journal(["--format", "json", "--rules", Self.rules])
        XCTAssertEqual(r.status, 0, r.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        let files = try DayFiles(folder: Self.shop.get().appendingPathComponent("journal"), days: Self.days)

        XCTAssertEqual(json["journal"] as? String, "journal")
        XCTAssertEqual(json["days"] as? Int, 3)
        XCTAssertEqual(json["first_day"] as? String, "2025-12-30")
        XCTAssertEqual(json["latest_day"] as? String, "2026-01-01")
        XCTAssertEqual(json["coupon_codes"] as? Int, files.codes)
        XCTAssertGreaterThan(files.codes, 100)

        let rules = try XCTUnwrap(json["rules"] as? [[String: Any]])
        XCTAssertEqual(rules.map { $0["rule"] as? String ?? "" }.sorted(), files.decisions.keys.sorted())
        var total = 0
        for rule in rules {
            let name = try XCTUnwrap(rule["rule"] as? String)
            let counts = try XCTUnwrap(rule["decisions"] as? [String: Int])
            XCTAssertEqual(counts.filter { $0.value > 0 }, files.decisions[name], name)
            XCTAssertEqual(rule["coupon_codes"] as? Int, files.codesByRule[name, default: 0], name)
            total += counts.values.reduce(0, +)
        }
        XCTAssertEqual(total, files.decisionCount)

        let campaigns = try XCTUnwrap(json["campaigns"] as? [[String: Any]])
        XCTAssertEqual(campaigns.count, 1)
        let recall = try XCTUnwrap(campaigns.first)
        XCTAssertEqual(recall["campaign"] as? String, "New Year recall")
        XCTAssertEqual(decimal(recall["spent"]), files.spent["New Year recall"])
        XCTAssertEqual(decimal(recall["budget"]), 3000)
        XCTAssertEqual(decimal(recall["left"]), 3000 - (files.spent["New Year recall"] ?? 0))
        XCTAssertTrue(recall["budget_ran_out_on"] is NSNull)

        let daily = try XCTUnwrap(json["daily"] as? [[String: Any]])
        XCTAssertEqual(daily.map { $0["date"] as? String ?? "" }, Self.days)
        XCTAssertEqual(daily.map { $0["coupon_codes"] as? Int ?? -1 }, Self.days.map { files.codesByDay[$0, default: 0] })
        XCTAssertEqual(daily.map { ($0["decisions"] as? [String: Int])?.values.reduce(0, +) ?? -1 },
                       Self.days.map { files.decisionsByDay[$0, default: 0] })
    }

    // MARK: Mistakes

    func testAMissingFolderIsExplained() throws {
        let r = try PerkProcess.run(["journal", "no-such-journal"], directory: Self.shop.get())
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "perk journal: there is no journal at no-such-journal: the folder does not exist. "
                       + "`perk run RULES --journal no-such-journal --commit` starts one.\n")
        let undo = try PerkProcess.run(["journal", "no-such-journal", "--undo-last"], directory: Self.shop.get())
        XCTAssertEqual(undo.status, 1)
        XCTAssertFalse(FileManager.default.fileExists(atPath: try Self.shop.get().appendingPathComponent("no-such-journal").path))

        let file = try PerkProcess.run(["journal", "journal/2025-12-30.csv"], directory: Self.shop.get())
        XCTAssertEqual(file.status, 1)
        XCTAssertEqual(file.stderr, "perk journal: cannot use journal/2025-12-30.csv: it is not a folder\n")
    }

    func testHelpAndBadCommandLines() throws {
        let help = try PerkProcess.run(["journal", "--help"])
        XCTAssertEqual(help.status, 0)
        XCTAssertTrue(help.stdout.hasPrefix("Usage: perk journal DIR"), help.stdout)
        XCTAssertTrue(help.stdout.contains("--undo-last"), help.stdout)
        XCTAssertLessThanOrEqual(help.stdout.split(separator: "\n", omittingEmptySubsequences: false).count, 24)

        let cases: [([String], String)] = [
            (["journal"], "name the journal folder"),
            (["journal", "a", "b"], "name one journal folder, not 2"),
            (["journal", "journal", "--format", "xml"], "xml"),
            (["journal", "journal", "--undo-last", "--format", "json"], "--undo-last takes no other options"),
            (["journal", "journal", "--undo-last", "--rules", "rules"], "--undo-last takes no other options"),
            (["journal", "journal", "--undo"], "unknown option --undo"),
        ]
        for (args, expected) in cases {
            let r = try PerkProcess.run(args, directory: Self.shop.get())
            XCTAssertEqual(r.status, 2, "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
            XCTAssertTrue(r.stderr.hasPrefix("perk journal: "), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.contains(expected), "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasSuffix("Run `perk journal --help` for usage.\n"), "\(args): \(r.stderr)")
        }
        // Nothing was undone by the bad command lines.
        XCTAssertEqual(try DayFiles(folder: Self.shop.get().appendingPathComponent("journal"), days: Self.days).decisionsByDay.count, 3)
    }

    // MARK: A rule renamed after its decisions were committed

    /// "Recall drifted regulars" is renamed, and the unnamed win-back rule
    /// moves a line down, so it is `winback.perk:4` now. A run warns once;
    /// the old name's coupons still count for the campaign's budget.
    func testARenamedRuleWarnsOnceAndItsCouponsStillCountForTheBudget() throws {
        let shop = try Self.shop.get()
        let renamed = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: renamed) }
        for name in try FileManager.default.contentsOfDirectory(atPath: Self.rules) where name.hasSuffix(".perk") {
            var text = try String(contentsOfFile: Self.rules + "/" + name, encoding: .utf8)
            text = text.replacingOccurrences(of: "\"Recall drifted regulars\"", with: "\"Recall lapsed regulars\"")
            if name == "winback.perk" { text = "# Moved down a line.\n" + text }
            try text.write(to: renamed.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let warning = """
        warning: the journal at journal names rules no rules file defines: "Recall drifted regulars", "winback.perk:3". \
        Their decisions still count for their campaigns' budgets and for contact policies.
          = note: a rule without a name is called after its file and line, so it changes name when lines move; \
        give it a name (rule "...") to keep its history.

        """

        let run = try PerkProcess.run(["run", renamed.path] + SampleShopFiles.arguments + ["--as-of", "2026-01-02", "--journal", "journal"],
                                      directory: shop)
        XCTAssertEqual(run.status, 0, run.stderr)
        XCTAssertEqual(run.stderr.components(separatedBy: "warning: the journal").count, 2, run.stderr)
        XCTAssertTrue(run.stderr.contains(warning), run.stderr)

        // What the journal says the campaign spent, the old name's coupons included.
        let files = try DayFiles(folder: shop.appendingPathComponent("journal"), days: Self.days)
        let spent = try XCTUnwrap(files.spent["New Year recall"])
        XCTAssertGreaterThan(files.spentByRule["Recall drifted regulars", default: 0], 0)

        let simulated = try PerkProcess.run(["simulate", renamed.path] + SampleShopFiles.arguments
                                            + ["--from", "2026-01-02", "--to", "2026-01-02", "--journal", "journal", "--format", "json"],
                                            directory: shop)
        XCTAssertEqual(simulated.status, 0, simulated.stderr)
        XCTAssertEqual(simulated.stderr.components(separatedBy: "warning: the journal").count, 2, simulated.stderr)
        let json = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(simulated.stdout.utf8)) as? [String: Any])
        let campaign = try XCTUnwrap((json["campaigns"] as? [[String: Any]])?.first { $0["name"] as? String == "New Year recall" })
        XCTAssertEqual(decimal(campaign["spent_before"]), spent)

        let report = try journal(["--rules", renamed.path, "--format", "json"])
        XCTAssertEqual(report.status, 0, report.stderr)
        let summary = try XCTUnwrap(try JSONSerialization.jsonObject(with: Data(report.stdout.utf8)) as? [String: Any])
        let recall = try XCTUnwrap((summary["campaigns"] as? [[String: Any]])?.first)
        XCTAssertEqual(decimal(recall["spent"]), spent)
        XCTAssertEqual(decimal(recall["left"]), 3000 - spent)
    }
}

// MARK: - Reading day files as a person would

/// What a journal's day files hold, counted from their rows.
struct DayFiles {
    /// Per rule, per status: decisions (a decision is a customer and rule on a day).
    var decisions: [String: [String: Int]] = [:]
    var decisionCount = 0
    var decisionsByDay: [String: Int] = [:]
    var codes = 0
    var codesByRule: [String: Int] = [:]
    var codesByDay: [String: Int] = [:]
    /// Face value of sent coupons, per campaign and per rule.
    var spent: [String: Decimal] = [:]
    var spentByRule: [String: Decimal] = [:]

    init(folder: URL, days: [String]) throws {
        for day in days {
            let text = try String(contentsOf: folder.appendingPathComponent(day + ".csv"), encoding: .utf8)
            var seen = Set<String>()
            for line in text.split(separator: "\n").dropFirst() {
                let f = DayFiles.fields(String(line))
                let (customer, rule, action, value, status, campaign, code) = (f[1], f[2], f[3], f[4], f[6], f[9], f[10])
                if seen.insert(customer + "\u{0}" + rule).inserted {
                    decisions[rule, default: [:]][status, default: 0] += 1
                    decisionCount += 1
                    decisionsByDay[day, default: 0] += 1
                }
                if !code.isEmpty {
                    codes += 1
                    codesByRule[rule, default: 0] += 1
                    codesByDay[day, default: 0] += 1
                }
                if action == "coupon", status == "sent" {
                    let face = DayFiles.faceValue(value)
                    spentByRule[rule, default: 0] += face
                    if !campaign.isEmpty { spent[campaign, default: 0] += face }
                }
            }
        }
    }

    /// `20`, `15% max 8` (its max), `BIRTHDAY-DRINK worth 18` (its worth).
    static func faceValue(_ value: String) -> Decimal {
        if let worth = value.range(of: " worth ") { return Decimal(string: String(value[worth.upperBound...])) ?? .nan }
        if let max = value.range(of: "% max ") { return Decimal(string: String(value[max.upperBound...])) ?? .nan }
        if value.hasSuffix("%") { return 0 }
        return Decimal(string: value) ?? .nan
    }

    /// One CSV row's fields, quotes undone.
    static func fields(_ line: String) -> [String] {
        var out: [String] = [], field = "", quoted = false
        var chars = Array(line)[...]
        while let ch = chars.popFirst() {
            if quoted {
                if ch == "\"" {
                    if chars.first == "\"" { field.append("\""); chars.removeFirst() } else { quoted = false }
                } else { field.append(ch) }
            } else if ch == "\"" {
                quoted = true
            } else if ch == "," {
                out.append(field)
                field = ""
            } else if ch != "\r" {
                field.append(ch)
            }
        }
        return out + [field]
    }
}

/// A JSON number as an exact decimal.
func decimal(_ value: Any?) -> Decimal? {
    (value as? NSNumber).flatMap { Decimal(string: $0.stringValue) }
}

extension JournalCommandTests {
    /// Run with a customers file other than the one the journal was kept
    /// with, no decision of the journal finds its customer: limits would
    /// silently start afresh, so the run says so.
    func testAJournalReadWithOtherCustomersSaysItsDecisionsFindNoCustomer() throws {
        let other = try PerkProcess.folder(["customers.csv": RunCommandTests.customers])
        defer { try? FileManager.default.removeItem(at: other) }
        let scratch = try Self.shop.get()
        let run = try PerkProcess.run(["run", Self.rules, "--customers", other.appendingPathComponent("customers.csv").path,
                                       "--as-of", "2026-01-02", "--journal", "journal", "--format", "csv"], directory: scratch)
        XCTAssertEqual(run.status, 0, run.stderr)
        let decisions = try journal(["--format", "json"])
        let all = try XCTUnwrap((try JSONSerialization.jsonObject(with: Data(decisions.stdout.utf8)) as? [String: Any])?["rules"] as? [[String: Any]])
            .reduce(0) { $0 + (($1["decisions"] as? [String: Int])?.values.reduce(0, +) ?? 0) }
        XCTAssertTrue(run.stderr.contains("warning: all \(PlanReport.grouped(all)) decisions in the journal at journal are for customers not in "),
                      run.stderr)
        XCTAssertTrue(run.stderr.contains("is this the customers file the journal was kept with?"), run.stderr)

        let same = try PerkProcess.run(["run", Self.rules] + SampleShopFiles.arguments + ["--as-of", "2026-01-02", "--journal", "journal",
                                                                                        "--format", "csv"], directory: scratch)
        XCTAssertFalse(same.stderr.contains("customers not in"), same.stderr)
    }
}
