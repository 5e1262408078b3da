import Foundation
import XCTest

/// `perk fmt` as a user runs it: files and folders rewritten, `--check`
/// with a diff and exit 1, `-` for standard input, broken files untouched.
final class FmtCommandTests: XCTestCase {
    private let messy = "rule \"a\" when visit_count>3 then tag \"x\"  # why\n"
    private let tidy = "rule \"a\"\n  when visit_count > 3\n  then tag \"x\"  # why\n"

    func testRewritesFilesInFoldersAndLeavesFormattedOnesAlone() throws {
        let dir = try PerkProcess.folder(["a.perk": messy, "notes.txt": messy])
        defer { try? FileManager.default.removeItem(at: dir) }
        try FileManager.default.createDirectory(at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try Data(tidy.utf8).write(to: dir.appendingPathComponent("sub/b.perk"))
        let r = try PerkProcess.run(["fmt", dir.path])
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, "")
        XCTAssertEqual(r.stderr, "1 of 2 files reformatted\n")
        XCTAssertEqual(try read(dir, "a.perk"), tidy)
        XCTAssertEqual(try read(dir, "sub/b.perk"), tidy)
        XCTAssertEqual(try read(dir, "notes.txt"), messy, "only .perk files in a folder")
    }

    func testCheckChangesNothingAndPrintsAUnifiedDiff() throws {
        let dir = try PerkProcess.folder(["a.perk": "# top\n" + messy + "# end\n"])
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("a.perk").path
        let r = try PerkProcess.run(["fmt", "--check", path])
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, """
            --- \(path)
            +++ \(path) (formatted)
            @@ -1,3 +1,5 @@
             # top
            -rule "a" when visit_count>3 then tag "x"  # why
            +rule "a"
            +  when visit_count > 3
            +  then tag "x"  # why
             # end

            """)
        XCTAssertEqual(r.stderr, "1 of 1 file would be reformatted\n")
        XCTAssertEqual(try read(dir, "a.perk"), "# top\n" + messy + "# end\n")
        _ = try PerkProcess.run(["fmt", path])
        let again = try PerkProcess.run(["fmt", "--check", path])
        XCTAssertEqual(again.status, 0)
        XCTAssertEqual(again.stdout, "")
        XCTAssertEqual(again.stderr, "1 file already formatted\n")
    }

    func testStandardInputToStandardOutput() throws {
        let r = try PerkProcess.run(["fmt", "-"], stdin: messy)
        XCTAssertEqual(r.status, 0, r.stderr)
        XCTAssertEqual(r.stdout, tidy)
        let check = try PerkProcess.run(["fmt", "--check", "-"], stdin: tidy)
        XCTAssertEqual(check.status, 0)
        XCTAssertEqual(check.stdout, "")
    }

    func testAFileWithSyntaxErrorsIsLeftAsItIsAndItsErrorsShown() throws {
        let broken = "rule \"a\" when visit_count > then tag \"x\"\n"
        let dir = try PerkProcess.folder(["bad.perk": broken, "good.perk": messy])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try PerkProcess.run(["fmt", dir.path])
        XCTAssertEqual(r.status, 1)
        let bad = dir.appendingPathComponent("bad.perk").path
        XCTAssertTrue(r.stderr.contains("\(bad):1:29: error[P004]"), r.stderr)
        XCTAssertTrue(r.stderr.contains("perk fmt: \(bad) is left as it is: fix the errors above first\n"), r.stderr)
        XCTAssertTrue(r.stderr.hasSuffix("1 of 2 files reformatted, 1 left as it is (see above)\n"), r.stderr)
        XCTAssertEqual(try read(dir, "bad.perk"), broken)
        XCTAssertEqual(try read(dir, "good.perk"), tidy)
    }

    func testBadCommandLinesExitTwo() throws {
        for args in [["fmt"], ["fmt", "--chek", "x.perk"], ["fmt", "-", "x.perk"], ["fmt", "-c", "x.perk"]] {
            let r = try PerkProcess.run(args)
            XCTAssertEqual(r.status, 2, "\(args): \(r.stderr)")
            XCTAssertTrue(r.stderr.hasPrefix("perk fmt: "), r.stderr)
        }
        let missing = try PerkProcess.run(["fmt", "no-such.perk"])
        XCTAssertEqual(missing.status, 1)
        XCTAssertTrue(missing.stderr.contains("F001"), missing.stderr)
    }

    /// The tour's example: the file it saves, and what `--check` prints for it.
    func testTheReadmeTourIsWhatTheCommandPrints() throws {
        let readme = try Repository.read("README.md")
        let tour = try XCTUnwrap(DocsTests.blocks(in: readme, from: "**9. One layout.**", to: "**10. Tests.**").first)
        let blocks = DocsTests.blocks(in: tour, from: "```text\n", to: "```")
        XCTAssertEqual(blocks.count, 2)
        let dir = try PerkProcess.folder(["tidy.perk": blocks[0]])
        defer { try? FileManager.default.removeItem(at: dir) }
        let r = try PerkProcess.run(["fmt", "--check", "tidy.perk"], directory: dir)
        XCTAssertEqual(r.status, 1)
        XCTAssertEqual(r.stdout, blocks[1])
    }

    private func read(_ dir: URL, _ name: String) throws -> String {
        try String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }
}
