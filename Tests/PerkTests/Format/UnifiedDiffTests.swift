import XCTest
@testable import Perk

/// `perk fmt --check`'s diffs, as `diff -u` writes them (each row checked against GNU diff).
final class UnifiedDiffTests: XCTestCase {
    private func lines(_ r: ClosedRange<Int>) -> String { r.map { "l\($0)\n" }.joined() }

    func testHunksAsDiffWritesThem() {
        let rows: [(name: String, old: String, new: String, expected: String)] = [
            ("the same text", "a\nb\n", "a\nb\n", ""),
            ("a line changed among others, three lines of context", lines(1...9), lines(1...4) + "x\n" + lines(6...9), """
             @@ -2,7 +2,7 @@
              l2
              l3
              l4
             -l5
             +x
              l6
              l7
              l8

             """),
            ("changes far apart are two hunks", lines(1...20), "x\n" + lines(2...19) + "y\n", """
             @@ -1,4 +1,4 @@
             -l1
             +x
              l2
              l3
              l4
             @@ -17,4 +17,4 @@
              l17
              l18
              l19
             -l20
             +y

             """),
            ("changes within six lines share a hunk", lines(1...9), "x\n" + lines(2...7) + "y\n" + lines(9...9), """
             @@ -1,9 +1,9 @@
             -l1
             +x
              l2
              l3
              l4
              l5
              l6
              l7
             -l8
             +y
              l9

             """),
            ("into an empty file", "", "a\n", "@@ -0,0 +1 @@\n+a\n"),
            ("to an empty file", "a\nb\n", "", "@@ -1,2 +0,0 @@\n-a\n-b\n"),
            ("lines added after the last", "a\n", "a\nb\nc\n", "@@ -1 +1,3 @@\n a\n+b\n+c\n"),
        ]
        for row in rows {
            let expected = row.expected.isEmpty ? "" : "--- old\n+++ new\n" + row.expected
            XCTAssertEqual(UnifiedDiff.diff(row.old, row.new, oldName: "old", newName: "new"), expected, row.name)
        }
    }

    /// Applying the script gives the new text, and it is as short as an LCS says.
    func testTheEditScriptIsShortestAndRebuildsTheNewText() {
        var rng = SplitMix64(seed: 5)
        for _ in 0..<300 {
            let a = (0..<rng.below(12)).map { _ in "\(rng.below(4))" }, b = (0..<rng.below(12)).map { _ in "\(rng.below(4))" }
            let edits = UnifiedDiff.script(a, b)
            var rebuilt: [String] = []
            var changes = 0
            for edit in edits {
                switch edit {
                case .same(let i, let j): XCTAssertEqual(a[i], b[j]); rebuilt.append(a[i])
                case .insert(let j, _): rebuilt.append(b[j]); changes += 1
                case .delete: changes += 1
                }
            }
            XCTAssertEqual(rebuilt, b)
            XCTAssertEqual(changes, a.count + b.count - 2 * lcs(a, b), "\(a) \(b)")
        }
    }

    private func lcs(_ a: [String], _ b: [String]) -> Int {
        var t = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in stride(from: a.count - 1, through: 0, by: -1) {
            for j in stride(from: b.count - 1, through: 0, by: -1) {
                t[i][j] = a[i] == b[j] ? t[i + 1][j + 1] + 1 : max(t[i + 1][j], t[i][j + 1])
            }
        }
        return t[0][0]
    }
}
