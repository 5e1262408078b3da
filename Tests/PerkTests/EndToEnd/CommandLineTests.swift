import XCTest

/// What every command does with a command line it cannot take: exit 2 and
/// one line saying why (README: Commands), before any data is read.
final class CommandLineTests: XCTestCase {
    func testVersion() throws {
        for flag in ["--version", "-V"] {
            let r = try PerkProcess.run([flag])
            XCTAssertEqual(r.status, 0, flag)
            XCTAssertTrue(r.stdout.range(of: #"^perk \d+\.\d+\.\d+\n$"#, options: .regularExpression) != nil, r.stdout)
        }
    }

    func testBadCommandLinesExitTwoWithOneLine() throws {
        let cases: [(args: [String], says: String)] = [
            (["run", "rules/", "-f", "csv"], "perk run: unknown option -f; options are written in full, like --format"),
            (["simulate", "rules/", "--from", "2025-01-01", "--to", "2025-01-02", "-o", "x.html"],
             "perk simulate: unknown option -o; options are written in full, like --out"),
            (["run", "rules/", "--orders", "orders.csv"], "perk run: --orders needs --customers: the customers file says who the orders belong to"),
            (["lint", "rules/", "--orders", "orders.csv"], "perk lint: --orders needs --customers: the customers file says who the orders belong to"),
            (["explain", "rules/", "--customer", "C00001", "-v"], "perk explain: unknown option -v"),
        ]
        for (args, says) in cases {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr.split(separator: "\n").first.map(String.init), says, "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
    }
}
