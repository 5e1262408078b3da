import XCTest
@testable import Perk

/// The first mistakes people make get a message that says what to write, and a
/// fix-it that writes it (applied here to the source, as an editor would).
final class MistakeHintsTests: XCTestCase {
    /// The source with the first diagnostic's fix-it applied, and that diagnostic.
    private func fixed(_ source: String) throws -> (String, Diagnostic) {
        let d = try XCTUnwrap(TestShop.compile(source).diagnostics.first)
        let fix = try XCTUnwrap(d.fixIt, d.description)
        var bytes = Array(source.utf8)
        bytes.replaceSubrange(fix.range.start..<fix.range.end, with: Array(fix.replacement.utf8))
        return (String(decoding: bytes, as: UTF8.self), d)
    }

    func testCurrencySign() throws {
        let (source, d) = try fixed("when visit_count > 3 then send coupon ¥20")
        XCTAssertEqual(d.code, "P001")
        XCTAssertEqual(d.help, "write the amount alone, like `20`")
        XCTAssertEqual(source, "when visit_count > 3 then send coupon 20")
        XCTAssertFalse(TestShop.compile(source).diagnostics.hasErrors)
    }

    func testParenthesesForAList() throws {
        let (source, d) = try fixed("when member.tier in (GOLD, VIP) then tag \"x\"")
        XCTAssertEqual(d.message, "expected a list in square brackets after `in`, found `(GOLD, VIP)`")
        XCTAssertEqual(source, "when member.tier in [GOLD, VIP] then tag \"x\"")
        XCTAssertFalse(TestShop.compile(source).diagnostics.hasErrors)
        // Parentheses that only group are left to the checker.
        XCTAssertEqual(TestShop.compile("when visit_count in ([1, 2]) then tag \"x\"").diagnostics.map(\.code), [])
    }

    func testIsForEquality() throws {
        let (equal, d) = try fixed("when member.tier is VIP then tag \"x\"")
        XCTAssertEqual(d.help, "`is` tests for a missing value; to compare, write `==`")
        XCTAssertEqual(equal, "when member.tier == VIP then tag \"x\"")
        let (notEqual, _) = try fixed("when member.tier is not VIP then tag \"x\"")
        XCTAssertEqual(notEqual, "when member.tier != VIP then tag \"x\"")
        XCTAssertFalse(TestShop.compile(notEqual).diagnostics.hasErrors)
    }

    func testAValueMissingAtALineEndIsReportedThere() {
        let d = TestShop.compile("rule \"a\" when visit_count > 3 then send coupon\nrule \"b\" when visit_count > 4 then tag \"y\"").diagnostics
        XCTAssertEqual(d.map(\.description), [
            "t.perk:1:47: error[P002]: expected the coupon's value after `coupon`: an amount (`20`), a percentage (`15%`) or a name (\"FREE-TOPPING\" worth 6), found the end of the line",
        ])
    }
}
