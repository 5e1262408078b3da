import XCTest
@testable import Perk

/// Tests as people mistype them: the tests of `rules/tests/` cut and mixed up
/// line by line and word by word, each parsed, checked, run and formatted.
/// Nothing may crash, every diagnostic points inside its file, and a test
/// that runs reports a result.
final class TestFuzzTests: XCTestCase {
    func testMangledTestsNeverCrash() throws {
        let (all, _) = RuleSources.load([Repository.path("rules")])
        let rules = all.filter { !$0.path.contains("/tests/") }
        let tests = all.filter { $0.path.contains("/tests/") }.map(\.text)
        XCTAssertFalse(tests.isEmpty)
        var random = SplitMix64(seed: 18)
        var ran = 0
        for n in 0..<300 {
            let text = Self.mangled(tests[Int(random.next() % UInt64(tests.count))], &random)
            let file = SourceFile(path: "fuzz \(n).perk", text: text)
            let outcome = RuleTestRun.run(rules + [file])
            for d in outcome.diagnostics {
                guard case .source(let f, let range)? = d.location else { continue }
                XCTAssertTrue(range.start >= 0 && range.end <= f.bytes.count, "\(d.message) outside \(f.path):\n\(text)")
            }
            if let suite = outcome.suite, !suite.results.isEmpty {
                ran += 1
                XCTAssertEqual(suite.results.count, suite.tests.count)
            }
            _ = Formatter.format(file)
        }
        XCTAssertGreaterThan(ran, 10, "some mangled tests still check and run")
    }

    /// One to three changes: a line dropped, doubled or swapped with the next;
    /// a word dropped or doubled; a bar dropped; a date or number nudged.
    static func mangled(_ text: String, _ random: inout SplitMix64) -> String {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        for _ in 0..<(1 + Int(random.next() % 3)) {
            guard !lines.isEmpty else { break }
            let i = Int(random.next() % UInt64(lines.count))
            var words = lines[i].split(separator: " ", omittingEmptySubsequences: false).map(String.init)
            let w = words.isEmpty ? 0 : Int(random.next() % UInt64(words.count))
            switch random.next() % 8 {
            case 0: lines.remove(at: i)
            case 1: lines.insert(lines[i], at: i)
            case 2: if i + 1 < lines.count { lines.swapAt(i, i + 1) }
            case 3: if !words.isEmpty { words.remove(at: w); lines[i] = words.joined(separator: " ") }
            case 4: if !words.isEmpty { words.insert(words[w], at: w); lines[i] = words.joined(separator: " ") }
            case 5: if let bar = lines[i].lastIndex(of: "|") { lines[i].remove(at: bar) }
            case 6: lines[i] = lines[i].replacingOccurrences(of: "2025-", with: ["9999-", "0001-", "2025-02-3", "2026-"][Int(random.next() % 4)])
            default: lines[i] = lines[i].replacingOccurrences(of: "0 ", with: ["00000000000000000000 ", "-1 ", "0.5 ", "x "][Int(random.next() % 4)])
            }
        }
        return lines.joined(separator: "\n")
    }
}
