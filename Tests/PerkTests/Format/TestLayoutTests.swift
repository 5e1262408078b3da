import XCTest
@testable import Perk

/// `perk fmt` on tests: a clause a line, tables under their word with their
/// columns aligned, comments kept, the same program after, and once is enough.
final class TestLayoutTests: XCTestCase {
    private func formatted(_ text: String, file: StaticString = #filePath, line: UInt = #line) -> String {
        guard case .formatted(let out) = Formatter.format(SourceFile(path: "t.perk", text: text)) else {
            XCTFail("not formatted: \(Formatter.format(SourceFile(path: "t.perk", text: text)))", file: file, line: line)
            return ""
        }
        return out
    }

    func testATestTakesAClauseALineAndAlignedTables() {
        let input = """
        rule "R" when visit_count > 3 then tag "x"
        # a test
        test "messy"   # after the name
          customers:
          # the customers
          | customer_id|tier|city|
          |C1|VIP|"上海"|   # the first
          |C2||Hang  zhou|
            on 2025-12-15 expect "R" for C1,C2 from 2025-12-15 to 2025-12-16 : condition false,condition false
          expect "R" for C1: tag "x"
          orders
            | customer_id | ordered_at | items |
            | C1 | 2025-12-01 | Jasmine Green Tea; Boba |
          expect nothing for C2

        """
        let expected = """
        rule "R"
          when visit_count > 3
          then tag "x"

        # a test
        test "messy"  # after the name
          customers:
            # the customers
            | customer_id | tier | city       |
            | C1          | VIP  | "上海"     |  # the first
            | C2          |      | Hang  zhou |
          on 2025-12-15
          expect "R" for C1, C2 from 2025-12-15 to 2025-12-16: condition false, condition false
          expect "R" for C1: tag "x"
          orders
            | customer_id | ordered_at | items                   |
            | C1          | 2025-12-01 | Jasmine Green Tea; Boba |
          expect nothing for C2

        """
        XCTAssertEqual(formatted(input), expected)
        XCTAssertEqual(formatted(expected), expected, "formatting twice changes nothing")
    }

    /// `||` is an empty cell: it gets its room, and the program is the same.
    func testTwoBarsBecomeAnEmptyCell() {
        XCTAssertEqual(formatted("test \"t\"\n  customers\n    | customer_id | tier | points |\n    | C1 || 3 |\n  on 2025-01-01\n  expect nothing for C1\n"),
                       "test \"t\"\n  customers\n    | customer_id | tier | points |\n    | C1          |      | 3      |\n  on 2025-01-01\n  expect nothing for C1\n")
    }

    /// A test's customer may be called like a clause word: the tree, not the word, says where clauses start.
    func testClauseWordsAsCustomerIds() {
        let text = "test \"t\"\n  customers\n    | customer_id |\n    | on          |\n  on 2025-01-01\n  expect nothing for on\n"
        XCTAssertEqual(formatted(text), text)
    }
}
