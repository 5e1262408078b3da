import Foundation
import XCTest
@testable import Perk

/// The codes users see are the catalogue's (`DiagnosticCatalogue`), and the
/// README documents exactly those: adding a code without a line in the README,
/// or documenting one that does not exist, fails here.
final class DiagnosticCatalogueTests: XCTestCase {
    /// A code as the README writes it, `P102`, or a range of them, `P001–P014`.
    private struct Mention {
        let first: String
        let last: String
        /// The first cell of a row of the table of codes, which spans a whole phase.
        let isTableRange: Bool

        func covers(_ code: String) -> Bool {
            guard let c = Self.split(code), let a = Self.split(first), let b = Self.split(last),
                  c.letter == a.letter, a.letter == b.letter else { return false }
            return (a.number...max(a.number, b.number)).contains(c.number)
        }

        static func split(_ code: String) -> (letter: Character, number: Int)? {
            guard let letter = code.first, let number = Int(code.dropFirst()) else { return nil }
            return (letter, number)
        }
    }

    private struct TableRow {
        let first: String
        let last: String
        let from: String
    }

    private static let code = "[PDRJEFQ][0-9]{3}"

    private func mentions(in readme: String) throws -> [Mention] {
        let pattern = try NSRegularExpression(pattern: "(?<![A-Za-z0-9])(\(Self.code))(?:–(\(Self.code)))?(?![A-Za-z0-9])")
        var found: [Mention] = []
        for line in readme.split(separator: "\n", omittingEmptySubsequences: false) {
            let text = String(line)
            let ns = text as NSString
            for m in pattern.matches(in: text, range: NSRange(location: 0, length: ns.length)) {
                let first = ns.substring(with: m.range(at: 1))
                let last = m.range(at: 2).location == NSNotFound ? first : ns.substring(with: m.range(at: 2))
                let isTableRange = text.hasPrefix("| \(first)–\(last) |")
                found.append(Mention(first: first, last: last, isTableRange: isTableRange))
            }
        }
        return found
    }

    private func tableRows(in readme: String) -> [TableRow] {
        readme.split(separator: "\n").compactMap { line in
            let cells = line.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
            guard line.hasPrefix("| "), cells.count >= 2 else { return nil }
            let ends = cells[0].split(separator: "–").map(String.init)
            guard ends.count == 2, ends.allSatisfy({ Mention.split($0) != nil && $0.count == 4 }) else { return nil }
            return TableRow(first: ends[0], last: ends[1], from: cells[1])
        }
    }

    func testNoTwoCasesShareACode() {
        var seen: [String: String] = [:]
        for phase in DiagnosticCatalogue.phases {
            for code in phase.codes {
                if let other = seen[code] {
                    XCTFail("\(code) is both \(other)'s and \(phase.source)'s")
                }
                seen[code] = phase.source
            }
        }
        XCTAssertGreaterThanOrEqual(seen.count, 90, "the catalogue lists every phase")
    }

    /// Each phase keeps to one letter and one hundred, so its range in the table says where it is.
    func testEachPhaseKeepsToItsRange() throws {
        for phase in DiagnosticCatalogue.phases {
            let parts = try phase.problemCodes.map { try XCTUnwrap(Mention.split($0), $0) }
            XCTAssertEqual(Set(parts.map(\.letter)).count, 1, phase.source)
            XCTAssertEqual(Set(parts.map { $0.number / 100 }).count, 1, phase.source)
            XCTAssertEqual(parts.map(\.number), parts.map(\.number).sorted(), "\(phase.source): codes in order")
            XCTAssertTrue(phase.codes.allSatisfy { $0.count == 4 }, phase.source)
        }
    }

    func testReadmeTableRangesAreEachPhaseFirstAndLastCode() throws {
        let rows = tableRows(in: try Repository.read("README.md"))
        XCTAssertEqual(rows.map(\.from), DiagnosticCatalogue.phases.map(\.source), "one row a phase, in order")
        for phase in DiagnosticCatalogue.phases {
            guard let row = rows.first(where: { $0.from == phase.source }) else { continue }
            XCTAssertEqual("\(row.first)–\(row.last)",
                           "\(phase.problemCodes.first ?? "?")–\(phase.problemCodes.last ?? "?")", phase.source)
        }
    }

    /// A code counts as documented when the README names it, or names a range
    /// holding it (`D050–D054`) other than its phase's whole row of the table.
    func testEveryCodeIsDocumentedInTheReadme() throws {
        let mentions = try mentions(in: try Repository.read("README.md")).filter { !$0.isTableRange }
        for code in DiagnosticCatalogue.allCodes where !mentions.contains(where: { $0.covers(code) }) {
            XCTFail("\(code) is not described in README.md")
        }
    }

    func testEveryCodeTheReadmeNamesExists() throws {
        let known = Set(DiagnosticCatalogue.allCodes)
        for m in try mentions(in: try Repository.read("README.md")) {
            XCTAssertTrue(known.contains(m.first), "README.md names \(m.first), which no phase has")
            XCTAssertTrue(known.contains(m.last), "README.md names \(m.last), which no phase has")
        }
    }

    /// A code is written as text only as a case of its phase's enum, so none
    /// can be used without being in the catalogue (and so in the README).
    func testCodesAreWrittenOnlyInTheCatalogue() throws {
        let literal = try NSRegularExpression(pattern: "\"\(Self.code)\"")
        let caseLine = try NSRegularExpression(pattern: "^\\s*case [a-zA-Z0-9]+ = \"\(Self.code)\"$")
        let root = Repository.path("Sources")
        let walker = try XCTUnwrap(FileManager.default.enumerator(atPath: root))
        var files = 0
        while let entry = walker.nextObject() as? String {
            guard entry.hasSuffix(".swift") else { continue }
            files += 1
            let text = try String(contentsOfFile: root + "/" + entry, encoding: .utf8)
            for (i, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let s = String(line), all = NSRange(location: 0, length: (s as NSString).length)
                guard literal.firstMatch(in: s, range: all) != nil else { continue }
                XCTAssertNotNil(caseLine.firstMatch(in: s, range: all),
                                "Sources/\(entry):\(i + 1) writes a code as text; add a case to its phase's code enum")
            }
        }
        XCTAssertGreaterThan(files, 50)
    }
}
