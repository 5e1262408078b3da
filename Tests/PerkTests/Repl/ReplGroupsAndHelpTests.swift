import XCTest
@testable import Perk

/// Issue 15's REPL points: groups in an order a marketer reads, counts with
/// thousands separators as in the reports, and `:help` in aligned columns.
final class ReplGroupsAndHelpTests: XCTestCase {
    func testWeekdaysInWeekOrderMondayFirstAndMissingLast() {
        let counts: [Value: Int] = [.text("Sunday"): 9, .text("Monday"): 1, .text("Friday"): 5, .text("Tuesday"): 5, .missing: 20]
        XCTAssertEqual(ReplSession.groupOrder(counts), [.text("Monday"), .text("Tuesday"), .text("Friday"), .text("Sunday"), .missing])
    }

    func testOtherGroupsLargestFirstTiesInValueOrder() {
        let counts: [Value: Int] = [.text("Shanghai"): 3, .text("Beijing"): 7, .text("Hangzhou"): 3, .text("Monday"): 1, .missing: 2]
        XCTAssertEqual(ReplSession.groupOrder(counts), [.text("Beijing"), .text("Hangzhou"), .text("Shanghai"), .missing, .text("Monday")],
                       "a text that is only sometimes a weekday is not a week")
        XCTAssertEqual(ReplSession.groupOrder([.number(Number(3)): 1, .number(Number(1)): 1, .number(Number(2)): 4]),
                       [.number(Number(2)), .number(Number(1)), .number(Number(3))])
    }

    func testGroupByWeekdayInTheSession() {
        var transcript = ReplTranscript()
        let out = transcript.run("group customers by weekday(last_visit)")
        let days = out.split(separator: "\n").compactMap { line in LocalDate.weekdayNames.first { line.hasPrefix($0) } }
        XCTAssertFalse(days.isEmpty, out)
        XCTAssertEqual(days, LocalDate.weekdayNames.filter(days.contains), out)
    }

    func testCountsHaveThousandsSeparators() {
        XCTAssertEqual(ReplText.countOf(1234, 12345), "1,234 of 12,345 customers (10.0%)")
        XCTAssertEqual(ReplSession.plural(1200, "group"), "1,200 groups")
    }

    /// Every entry of a block (lines indented by two, a name, two or more spaces,
    /// what it does) starts its description in the same column as the others.
    func testHelpColumnsAreAligned() {
        var blocks: [[String]] = [[]]
        for line in ReplHelp.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init) {
            if line.hasPrefix("  ") { blocks[blocks.count - 1].append(line) } else { blocks.append([]) }
        }
        var checked = 0
        for block in blocks where block.count > 2 {
            let columns = Set(block.compactMap { line -> Int? in
                // The description starts after the first run of two or more spaces past the indent.
                guard let gap = line.dropFirst(2).range(of: "  ") else { return nil }
                let rest = line[gap.upperBound...]
                let start = rest.firstIndex { $0 != " " } ?? rest.endIndex
                return line.distance(from: line.startIndex, to: start)
            })
            XCTAssertEqual(columns.count, 1, "misaligned block:\n" + block.joined(separator: "\n"))
            checked += 1
        }
        XCTAssertGreaterThanOrEqual(checked, 2)
        XCTAssertTrue(ReplHelp.text.split(separator: "\n").allSatisfy { $0.count <= 80 }, "fits an 80-column terminal")
    }
}
