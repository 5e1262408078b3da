import XCTest
@testable import PerkCLI

/// Every help page lists every option its command's parser accepts, the
/// exit statuses and one example (README: Commands). The options come from
/// the parser's own table, so an option added without help fails here.
final class HelpPageTests: XCTestCase {
    func testEveryCommandsHelpListsItsOptionsExitStatusesAndAnExample() throws {
        XCTAssertEqual(Set(PerkCommands.all.keys), ["run", "lint", "simulate", "sample-data", "explain", "repl", "journal", "sql", "test", "fmt"])
        for (name, command) in PerkCommands.all.sorted(by: { $0.key < $1.key }) {
            let r = try PerkProcess.run([name, "--help"])
            XCTAssertEqual(r.status, 0, name)
            XCTAssertEqual(r.stdout, command.usage, name)
            let page = HelpPage(r.stdout)
            XCTAssertEqual(page.options, command.options.names, "\(name): the options its help lists, against those its parser accepts")
            check(page, of: "perk \(name)")
        }
    }

    func testTheOverviewListsPerksOwnOptionsExitStatusesAndAnExample() throws {
        for args in [["--help"], ["-h"], ["help"]] {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 0, "\(args)")
            XCTAssertEqual(r.stdout, PerkCommands.overview, "\(args)")
        }
        let page = HelpPage(PerkCommands.overview)
        XCTAssertEqual(page.options, PerkCommands.options.names)
        check(page, of: "perk")
        // The short forms the overview names work.
        XCTAssertEqual(try PerkProcess.run(["-V"]).status, 0)
        XCTAssertEqual(try PerkProcess.run(["run", "-h"]).stdout, PerkCommands.all["run"]?.usage)
    }

    /// The README's heading for each command names every option of its own
    /// (the data options shared by all are listed once, above them).
    func testTheReadmesCommandHeadingsNameEveryOption() throws {
        let readme = try Repository.read("README.md")
        let shared = Set(["customers", "orders", "schema", "skip-bad-rows"])
        for (name, command) in PerkCommands.all {
            let headings = readme.split(separator: "\n").filter { $0.hasPrefix("### `perk \(name) ") }
            XCTAssertFalse(headings.isEmpty, "README: no heading for perk \(name)")
            let own = name == "sample-data" ? command.options.names : command.options.names.subtracting(shared)
            for option in own.sorted() {
                XCTAssertTrue(headings.contains { $0.contains("--\(option) ") || $0.contains("--\(option)]") || $0.contains("--\(option)`") },
                              "README: the heading of perk \(name) lacks --\(option)")
            }
        }
    }

    /// The page has an exit status paragraph naming 0, 1 and 2 with what
    /// each means, and one example that runs the command it documents.
    private func check(_ page: HelpPage, of command: String, file: StaticString = #filePath, line: UInt = #line) {
        let exit = page.exitStatus
        XCTAssertFalse(exit.isEmpty, "\(command): no exit status", file: file, line: line)
        for status in ["0", "1", "2"] {
            XCTAssertNotNil(exit.range(of: #"(^|[ :;,])"# + status + #" [a-z]"#, options: .regularExpression),
                            "\(command): exit status \(status) is not explained in \(exit)", file: file, line: line)
        }
        XCTAssertEqual(page.examples.count, 1, "\(command): \(page.examples)", file: file, line: line)
        XCTAssertTrue(page.examples.first?.hasPrefix(command + " ") ?? false, "\(command): \(page.examples)", file: file, line: line)
    }
}

/// A help page read as a person reads it: the option lines under `Options:`
/// (`  --name ...`, short forms after a comma), the paragraph that starts
/// with `Exit status:`, and the `Example:` lines.
private struct HelpPage {
    var options: Set<String> = []
    var exitStatus = ""
    var examples: [String] = []

    init(_ text: String) {
        var section = ""
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.isEmpty { section = ""; continue }
            if line == "Options:" { section = "options"; continue }
            if line.hasPrefix("Exit status:") { section = "exit" }
            if line.hasPrefix("Example: ") {
                examples.append(String(line.dropFirst("Example: ".count)))
                section = ""
                continue
            }
            switch section {
            case "options":
                // `  --as-of DATE   ...`; a continuation line is indented further and starts with a word.
                guard line.hasPrefix("  --") else { continue }
                let name = line.dropFirst(4).prefix { $0.isLetter || $0.isNumber || $0 == "-" }
                options.insert(String(name))
            case "exit":
                exitStatus += (exitStatus.isEmpty ? "" : " ") + line
            default:
                break
            }
        }
    }
}
