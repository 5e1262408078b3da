import Foundation
import XCTest
@testable import Perk

/// `perk sql` as a user runs it: the query text of each dialect pinned by
/// golden files, the diagnostics of what a dialect cannot say, and `perk run
/// --matches` with good and bad match files.
final class SQLCommandTests: XCTestCase {
    static let day = "2025-12-01"

    /// The text of each dialect for the rules of `rules/` and the corners:
    /// set PERK_UPDATE_GOLDEN=1 to rewrite them, then read the diff.
    func testEachDialectsTextIsPinnedByGoldenFiles() throws {
        for dialect in SQLDialect.allCases {
            for (name, rules) in [("rules", "rules/"), ("corners", "Tests/PerkTests/Fixtures/sql/corners.perk")] {
                let r = try PerkProcess.run(["sql", rules, "--dialect", dialect.rawValue, "--as-of", Self.day])
                XCTAssertEqual(r.status, 0, "\(dialect) \(name): \(r.stderr)")
                // The version in the first line changes with every release, not with the SQL.
                let text = r.stdout.replacingOccurrences(of: "-- perk \(PerkVersion.current) for ", with: "-- perk VERSION for ")
                XCTAssertNotEqual(text, r.stdout, "the first line names the version")
                try GoldenFile.check(text, against: Repository.path("Tests/PerkTests/Fixtures/sql/\(name).\(dialect.rawValue).sql"), "\(dialect) \(name)")
            }
        }
    }

    func testAPartADialectCannotSayIsAnErrorNamingRuleLineAndColumn() throws {
        let folder = try PerkProcess.folder(["date.perk": "rule \"Joined text\"\n  when date(member.city) < today then tag \"x\"\n"])
        let r = try PerkProcess.run(["sql", "date.perk", "--dialect", "postgres", "--as-of", Self.day], directory: folder)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, "")
        XCTAssertTrue(r.stderr.contains("date.perk:2:8: error[Q001]: rule \"Joined text\": `date(...)` of a value that differs by customer cannot be written in postgres"), r.stderr)
        XCTAssertTrue(r.stderr.contains("no query was written"), r.stderr)
        // DuckDB can say it.
        XCTAssertEqual(try PerkProcess.run(["sql", "date.perk", "--dialect", "duckdb", "--as-of", Self.day], directory: folder).status, 0)
    }

    func testTheCommandLineNeedsADialectAndADay() throws {
        let noDialect = try PerkProcess.run(["sql", "rules/", "--as-of", Self.day])
        XCTAssertEqual(noDialect.status, 2)
        XCTAssertTrue(noDialect.stderr.contains("--dialect is required"), noDialect.stderr)
        let unknown = try PerkProcess.run(["sql", "rules/", "--dialect", "oracle", "--as-of", Self.day])
        XCTAssertEqual(unknown.status, 2)
        XCTAssertTrue(unknown.stderr.contains("unknown dialect `oracle`"), unknown.stderr)
        let noDay = try PerkProcess.run(["sql", "rules/", "--dialect", "duckdb"])
        XCTAssertEqual(noDay.status, 2)
        XCTAssertTrue(noDay.stderr.contains("--as-of DATE is required"), noDay.stderr)
    }

    /// The table names given are quoted where they need it, schema and all.
    func testTableNamesAreTheOnesGiven() throws {
        let r = try PerkProcess.run(["sql", "rules/winback.perk", "--dialect", "spark", "--as-of", Self.day,
                                     "--customers-table", "crm.Members", "--orders-table", "sales.orders"])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertTrue(r.stdout.contains("FROM crm.`Members` AS c"), r.stdout)
        XCTAssertTrue(r.stdout.contains("FROM sales.orders AS o"), r.stdout)
    }

    // MARK: perk run --matches

    func testRunWithMatchesMakesTheSamePlanAsRunWithOrders() throws {
        let folder = try PerkProcess.folder([:])
        let data = folder.path
        XCTAssertEqual(try PerkProcess.run(["sample-data", "--customers", "200", "--orders", "4000", "--out", data]).status, 0)
        // The matches Perk's own evaluation finds, written as a warehouse would.
        let opened = Workspace.open(Workspace.Options(rules: [Repository.path("rules")], customers: data + "/customers.csv", orders: data + "/orders.csv"))
        let workspace = try XCTUnwrap(opened.workspace)
        let program = try XCTUnwrap(workspace.program)
        let day = try XCTUnwrap(LocalDate(parsing: Self.day))
        let interpreter = Interpreter(customers: workspace.data.customers, orders: workspace.data.orders)
        var rows = ["customer_id,rule"]
        for (r, rule) in program.rules.enumerated() where rule.campaign.map({ program.campaigns[$0].isActive(on: day) }) ?? true {
            for c in 0..<workspace.data.customers.count where try interpreter.holds(rule.condition, customer: c, today: day) {
                rows.append(CSVWriter.line([workspace.data.customers.ids[c], program.rules[r].name]).trimmingCharacters(in: .newlines))
            }
        }
        XCTAssertGreaterThan(rows.count, 20)
        // In any order: a warehouse returns rows as it likes.
        try ((["customer_id,rule"] + rows.dropFirst().reversed()).joined(separator: "\n") + "\n")
            .write(toFile: data + "/matches.csv", atomically: true, encoding: .utf8)
        let rules = Repository.path("rules")
        let fromOrders = try PerkProcess.run(["run", rules, "--customers", data + "/customers.csv", "--orders", data + "/orders.csv", "--as-of", Self.day, "--format", "csv"])
        let fromMatches = try PerkProcess.run(["run", rules, "--customers", data + "/customers.csv", "--matches", data + "/matches.csv", "--as-of", Self.day, "--format", "csv"])
        XCTAssertEqual(fromOrders.status, 0, fromOrders.stderr)
        XCTAssertEqual(fromMatches.status, 0, fromMatches.stderr)
        XCTAssertEqual(fromMatches.stdout, fromOrders.stdout)
        // No orders were read, so no warning that no order has an item the rules name.
        XCTAssertFalse(fromMatches.stderr.contains("P115"), fromMatches.stderr)
        // With a journal too: the same decisions, committed the same way.
        let a = try PerkProcess.run(["run", rules, "--customers", data + "/customers.csv", "--orders", data + "/orders.csv", "--as-of", Self.day, "--format", "json", "--journal", data + "/j1", "--commit"])
        let b = try PerkProcess.run(["run", rules, "--customers", data + "/customers.csv", "--matches", data + "/matches.csv", "--as-of", Self.day, "--format", "json", "--journal", data + "/j2", "--commit"])
        XCTAssertEqual(a.status, 0, a.stderr)
        XCTAssertEqual(b.stdout, a.stdout)
        XCTAssertEqual(try String(contentsOfFile: data + "/j2/\(Self.day).csv", encoding: .utf8), try String(contentsOfFile: data + "/j1/\(Self.day).csv", encoding: .utf8))
    }

    func testBadMatchFilesAreErrorsAtTheirLineAndColumn() throws {
        let folder = try PerkProcess.folder([
            "customers.csv": "customer_id,tier\nC1,GOLD\nC2,VIP\n",
            "r.perk": "rule \"VIP\" when member.tier == VIP then tag \"v\"\nrule \"Gold, of course\" when member.tier == GOLD then tag \"g\"\n",
            "header.csv": "id,rule\nC1,VIP\n",
            "bad.csv": "customer_id,rule\nC2,VIP\nC1,\"Gold, of course\"\nC1,VIP,extra\nC3,VIP\nC1,VIPP\nC2,\"VIP\n",
        ])
        func run(_ file: String) throws -> PerkProcess.Result {
            try PerkProcess.run(["run", "r.perk", "--customers", "customers.csv", "--matches", file, "--as-of", Self.day], directory: folder)
        }
        let header = try run("header.csv")
        XCTAssertEqual(header.status, 1)
        XCTAssertTrue(header.stderr.contains("header.csv:1:1: error[Q003]: the first line of a match file is the header `customer_id,rule`"), header.stderr)
        let bad = try run("bad.csv")
        XCTAssertEqual(bad.status, 1)
        XCTAssertEqual(bad.stdout, "")
        for expected in ["bad.csv:4:8: error[Q003]: this row has 3 fields but the header has 2; a match is two fields, `customer_id,rule`",
                         "bad.csv:5:1: error[Q005]: no customer `C3`", "bad.csv:6:4: error[Q004]: no rule \"VIPP\" in the rules given",
                         "did you mean \"VIP\"?", "bad.csv:7:4: error[Q003]: this quote is never closed"] {
            XCTAssertTrue(bad.stderr.contains(expected), "\(expected) not in:\n\(bad.stderr)")
        }
        XCTAssertTrue(bad.stderr.contains("nothing was run"), bad.stderr)
        // Written by a spreadsheet or another engine: a byte order mark, CRLF,
        // quotes where none are needed, spaces around a bare value.
        try "\u{FEFF}customer_id,rule\r\n\"C1\",\"Gold, of course\"\r\n C2 ,VIP\r\n".write(toFile: folder.path + "/crlf.csv", atomically: true, encoding: .utf8)
        let crlf = try run("crlf.csv")
        XCTAssertEqual(crlf.status, 0, crlf.stderr)
        XCTAssertTrue(crlf.stdout.contains("C1") && crlf.stdout.contains("C2"), crlf.stdout)
        // Bytes that are not UTF-8 are an error at their place, not a silent replacement.
        try Data("customer_id,rule\nC1,VIP\nC2,V\u{FF}IP\n".utf8.map { $0 == 0xBF ? 0xFF : $0 }).write(to: folder.appendingPathComponent("latin.csv"))
        let latin = try run("latin.csv")
        XCTAssertEqual(latin.status, 1)
        XCTAssertTrue(latin.stderr.contains("latin.csv:3:"), latin.stderr)
        XCTAssertTrue(latin.stderr.contains("error[Q003]"), latin.stderr)
        let withOrders = try PerkProcess.run(["run", "r.perk", "--customers", "customers.csv", "--orders", "customers.csv", "--matches", "bad.csv"], directory: folder)
        XCTAssertEqual(withOrders.status, 2)
    }
}
