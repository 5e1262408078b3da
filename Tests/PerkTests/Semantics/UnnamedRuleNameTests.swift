import XCTest
@testable import Perk

/// A one-line rule is named after its file and line; two files of one name
/// in two folders must not give two rules the same name.
final class UnnamedRuleNameTests: XCTestCase {
    private func names(_ paths: [String]) throws -> [String] {
        let rule = "when member.points > 10 then tag \"p\"\n"
        let program = try XCTUnwrap(Compiler.compile(paths.map { SourceFile(path: $0, text: rule) }, schema: TestShop.schema).program)
        return program.rules.map(\.name).sorted()
    }

    func testNamesAreFileNamesUnlessTwoFilesShareOne() throws {
        let table: [(paths: [String], expected: [String])] = [
            (["rules/winback.perk"], ["winback.perk:1"]),
            (["rules/winback.perk", "rules/vip.perk"], ["vip.perk:1", "winback.perk:1"]),
            (["shops/a/x.perk", "shops/b/x.perk"], ["a/x.perk:1", "b/x.perk:1"]),
            (["north/x.perk", "south/deep/x.perk", "y.perk"], ["north/x.perk:1", "south/deep/x.perk:1", "y.perk:1"]),
            (["/tmp/one/x.perk", "/tmp/two/x.perk"], ["one/x.perk:1", "two/x.perk:1"]),
        ]
        for row in table {
            XCTAssertEqual(try names(row.paths), row.expected, "\(row.paths)")
        }
    }
}
