import Foundation
import XCTest
@testable import PerkCLI
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// `--out FILE` for `perk run` and `perk simulate`: the format from the
/// file's name when `--format` is not given, a refusal (exit 2) when the name
/// says nothing or disagrees, and one plain line (exit 1) for a path that
/// cannot be written (README: Commands).
final class OutFileTests: XCTestCase {
    private static let fixtures = "Tests/PerkTests/Fixtures/simulation/"
    private static let data = ["--customers", Repository.path(fixtures + "customers.csv"), "--orders", Repository.path(fixtures + "orders.csv")]
    private static let run = ["run", Repository.path(fixtures + "march.perk")] + data + ["--as-of", "2025-03-02"]
    private static let simulate = ["simulate", Repository.path(fixtures + "march.perk")] + data + ["--from", "2025-03-01", "--to", "2025-03-03"]

    func testRunWritesThePlanInTheFormatItsNameEndsIn() throws {
        let dir = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, format) in [("plan.csv", "csv"), ("plan.json", "json"), ("plan.txt", "table"), ("PLAN.JSON", "json")] {
            let file = dir.appendingPathComponent(name)
            let printed = try assertWritesWhatItPrints(Self.run, to: file, as: format, "plan")
            // Given both, and agreeing, is the same.
            let both = try PerkProcess.run(Self.run + ["--format", format, "--out", file.path])
            XCTAssertEqual(both.status, 0, "\(name): \(both.stderr)")
            XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), printed.stdout, name)
        }
        // --format decides for a name that says nothing.
        let plain = dir.appendingPathComponent("plan")
        XCTAssertEqual(try PerkProcess.run(Self.run + ["--format", "csv", "--out", plain.path]).status, 0)
        XCTAssertEqual(try String(contentsOf: plain, encoding: .utf8), try PerkProcess.run(Self.run + ["--format", "csv"]).stdout)
    }

    func testRunWithAJournalWritesTheCommittedPlanToTheFile() throws {
        let dir = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        let journal = dir.appendingPathComponent("journal").path, file = dir.appendingPathComponent("plan.csv")
        let committed = try PerkProcess.run(Self.run + ["--journal", journal, "--commit", "--out", file.path])
        XCTAssertEqual(committed.status, 0, committed.stderr)
        XCTAssertEqual(committed.stdout, "")
        let plan = try String(contentsOf: file, encoding: .utf8)
        XCTAssertTrue(plan.hasPrefix("customer_id,rule,action,value,channel,coupon_code\n"), plan)
        // Again: the day is printed as committed, to the file as well.
        try FileManager.default.removeItem(at: file)
        let again = try PerkProcess.run(Self.run + ["--journal", journal, "--out", file.path])
        XCTAssertEqual(again.status, 0, again.stderr)
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), plan)
    }

    func testSimulateWritesTheReportInTheFormatItsNameEndsIn() throws {
        let dir = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, format) in [("report.html", "html"), ("report.htm", "html"), ("report.json", "json"), ("report.txt", "text")] {
            try assertWritesWhatItPrints(Self.simulate, to: dir.appendingPathComponent(name), as: format, "report")
        }
    }

    /// `args --out file` writes to `file` what `args --format format` prints,
    /// prints nothing, and says where it wrote; returns what was printed.
    @discardableResult
    private func assertWritesWhatItPrints(_ args: [String], to file: URL, as format: String, _ noun: String,
                                          line: UInt = #line) throws -> PerkProcess.Result {
        let written = try PerkProcess.run(args + ["--out", file.path])
        XCTAssertEqual(written.status, 0, "\(file.lastPathComponent): \(written.stderr)", line: line)
        XCTAssertEqual(written.stdout, "", file.lastPathComponent, line: line)
        XCTAssertTrue(written.stderr.contains("Wrote the \(format) \(noun) to \(file.path).\n"), "\(file.lastPathComponent): \(written.stderr)", line: line)
        let printed = try PerkProcess.run(args + ["--format", format])
        XCTAssertEqual(try String(contentsOf: file, encoding: .utf8), printed.stdout, file.lastPathComponent, line: line)
        return printed
    }

    func testANameThatSaysNoFormatOrDisagreesIsABadCommandLine() throws {
        let dir = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: dir) }
        func path(_ name: String) -> String { dir.appendingPathComponent(name).path }
        let cases: [(args: [String], says: String)] = [
            (Self.run + ["--out", path("plan")],
             "perk run: cannot tell the format of --out \(path("plan")) from its name: end it in .txt, .csv, .json, or give --format table|csv|json"),
            (Self.run + ["--out", path(".plan")],
             "perk run: cannot tell the format of --out \(path(".plan")) from its name: end it in .txt, .csv, .json, or give --format table|csv|json"),
            (Self.run + ["--out", path("plan.html")],
             "perk run: --out \(path("plan.html")) names an HTML file, but run writes table (.txt), csv (.csv) or json (.json): end the name in one of those"),
            (Self.run + ["--format", "json", "--out", path("plan.csv")],
             "perk run: --format json disagrees with --out \(path("plan.csv")), a .csv name; drop --format, or end the name to match it"),
            (Self.run + ["--format", "csv", "--out", path("plan.html")],
             "perk run: --format csv disagrees with --out \(path("plan.html")), a .html name; end the name to match the format"),
            (Self.simulate + ["--out", path("report.pdf")],
             "perk simulate: cannot tell the format of --out \(path("report.pdf")) from its name: end it in .txt, .json, .html, or give --format text|json|html"),
            (Self.simulate + ["--out", path("report.csv")],
             "perk simulate: --out \(path("report.csv")) names a CSV file, but simulate writes text (.txt), json (.json) or html (.html): "
             + "end the name in one of those; for every decision as CSV, use --ledger FILE"),
            (Self.simulate + ["--format", "html", "--out", path("report.json")],
             "perk simulate: --format html disagrees with --out \(path("report.json")), a .json name; drop --format, or end the name to match it"),
        ]
        for (args, says) in cases {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr, says + "\nRun `perk \(args[0]) --help` for usage.\n", "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
        // Refused before anything is written.
        XCTAssertEqual(try FileManager.default.contentsOfDirectory(atPath: dir.path), [])
    }

    func testAnOutPathThatCannotBeWrittenGetsOnePlainLine() throws {
        let dir = try PerkProcess.folder(["file.txt": "x"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let missing = dir.appendingPathComponent("no-such-folder").path
        let file = dir.appendingPathComponent("file.txt").path
        let cases: [(args: [String], says: String)] = [
            (Self.run + ["--out", missing + "/plan.csv"],
             "perk run: cannot write \(missing)/plan.csv: the folder \(missing) does not exist: create it first (mkdir -p \(missing)), or write somewhere else"),
            (Self.run + ["--out", dir.path, "--format", "csv"],
             "perk run: cannot write \(dir.path): it is a folder: name a file in it, like \(dir.path)/report.txt"),
            (Self.run + ["--out", file + "/plan.csv"],
             "perk run: cannot write \(file)/plan.csv: \(file) is a file, not a folder: choose another path"),
            (Self.run + ["--out", missing + "/deeper/plan.csv"],
             "perk run: cannot write \(missing)/deeper/plan.csv: the folder \(missing)/deeper does not exist: create it first (mkdir -p \(missing)/deeper), or write somewhere else"),
            (Self.simulate + ["--out", missing + "/report.html"],
             "perk simulate: cannot write \(missing)/report.html: the folder \(missing) does not exist: create it first (mkdir -p \(missing)), or write somewhere else"),
            (Self.simulate + ["--ledger", dir.path],
             "perk simulate: cannot write \(dir.path): it is a folder: name a file in it, like \(dir.path)/report.txt"),
            (["sample-data", "--customers", "5", "--orders", "5", "--out", file],
             "perk sample-data: cannot write \(file): it is a file, not a folder: choose a folder name"),
            (["sample-data", "--customers", "5", "--orders", "5", "--out", file + "/sub/dir"],
             "perk sample-data: cannot write \(file)/sub/dir: \(file) is a file, not a folder: choose another path"),
        ]
        for (args, says) in cases {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 1, "\(args): \(r.stderr)")
            XCTAssertEqual(r.stderr, says + "\n", "\(args)")
            XCTAssertEqual(r.stdout, "", "\(args)")
        }
    }

    /// Root may write anywhere, so the folder without permission is tried
    /// only as another user; the message itself is checked either way.
    func testAFolderWithoutPermissionSaysSo() throws {
        XCTAssertEqual(OutputFile.reason(EACCES, path: "/srv/plans"),
                       "permission denied: choose a folder you can write to, or change the permissions of /srv/plans")
        XCTAssertEqual(OutputFile.reason(EROFS, path: "/mnt/x.csv"), "the file system is read-only: write somewhere else")
        XCTAssertEqual(OutputFile.reason(ENOSPC, path: "/tmp/x.csv"), "the disk is full: free some space, or write somewhere else")
        guard getuid() != 0 else { return }
        let dir = try PerkProcess.folder([:])
        defer {
            chmod(dir.path, 0o700)
            try? FileManager.default.removeItem(at: dir)
        }
        XCTAssertEqual(chmod(dir.path, 0o500), 0)
        for (args, command) in [(Self.run + ["--out", dir.path + "/plan.csv"], "run"), (["sample-data", "--out", dir.path + "/data"], "sample-data")] {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 1, r.stderr)
            XCTAssertEqual(r.stderr, "perk \(command): cannot write \(args.last ?? ""): permission denied: choose a folder you can write to, "
                           + "or change the permissions of \(dir.path)\n")
        }
    }

    func testTheFormatComesFromTheEndingOfTheFileNameOnly() {
        XCTAssertEqual(OutputFile.ending(of: "out/plan.CSV"), "csv")
        XCTAssertEqual(OutputFile.ending(of: "reports.2025/plan"), "")
        XCTAssertEqual(OutputFile.ending(of: ".json"), "")
        XCTAssertEqual(OutputFile.ending(of: "plan.tar.json"), "json")
    }
}
