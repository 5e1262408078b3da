import XCTest
@testable import Perk

final class SchemaFileTests: XCTestCase {
    private func parse(_ text: String) -> (SchemaDeclarations, [Diagnostic], SourceFile) {
        let file = SourceFile(path: "shop.schema", text: text)
        let (declarations, diagnostics) = SchemaFile.parse(file)
        return (declarations, diagnostics, file)
    }

    func testParsesTheDocumentedExample() {
        let (d, diagnostics, _) = parse("""
        # comments start with #
        tier: enum MEMBER < SILVER < GOLD < VIP
        points: integer
        birthday: date
        sugar_pref: enum less < normal < extra   # lowest first

        orders.store: text
        """)
        XCTAssertTrue(diagnostics.isEmpty, DiagnosticRenderer().render(diagnostics))
        XCTAssertEqual(d.source, "shop.schema")
        XCTAssertEqual(d.customerColumns["tier"], .enumeration(EnumType(name: "tier", cases: ["MEMBER", "SILVER", "GOLD", "VIP"])))
        XCTAssertEqual(d.customerColumns["points"], .number)
        XCTAssertEqual(d.customerColumns["birthday"], .date)
        XCTAssertEqual(d.customerColumns["sugar_pref"], .enumeration(EnumType(name: "sugar_pref", cases: ["less", "normal", "extra"])))
        XCTAssertEqual(d.orderColumns, ["store": .text])
        XCTAssertEqual(d.customerColumns.count, 4)
    }

    func testEveryTypeWord() {
        let cases: [(String, PerkType)] = [
            ("integer", .number), ("decimal", .number), ("money", .number), ("number", .number),
            ("date", .date), ("datetime", .datetime), ("boolean", .bool), ("text", .text),
        ]
        for (word, type) in cases {
            let (d, diagnostics, _) = parse("x: \(word)\r\ncustomers.y: \(word)\n")
            XCTAssertTrue(diagnostics.isEmpty, word)
            XCTAssertEqual(d.customerColumns["x"], type, word)
            XCTAssertEqual(d.customerColumns["y"], type, word)
        }
    }

    func testUnknownTypeSuggestsTheNearestWithExactRange() {
        let (d, diagnostics, file) = parse("points: integr\nvip: bool\nnote: blob\n")
        XCTAssertTrue(d.customerColumns.isEmpty)
        XCTAssertEqual(diagnostics.map(\.code), ["D051", "D051", "D051"])
        guard case .source(_, let range)? = diagnostics[0].location else { return XCTFail("no range") }
        XCTAssertEqual(file.slice(range), "integr")
        XCTAssertEqual(diagnostics[0].fixIt?.replacement, "integer")
        XCTAssertEqual(diagnostics[1].help, "did you mean `boolean`?")
        XCTAssertEqual(diagnostics[2].help,
                       "types are integer, decimal, money, number, date, datetime, boolean, text, or enum A < B < C")
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics[0]), """
        shop.schema:1:9: error[D051]: unknown type `integr`
          |
        1 | points: integr
          |         ^^^^^^
          = help: did you mean `integer`?

        """)
    }

    func testDuplicateColumnPointsAtTheSecondWithANote() {
        let (d, diagnostics, file) = parse("points: integer\n\norders.points: text\npoints: text\n")
        XCTAssertEqual(d.customerColumns["points"], .number)
        XCTAssertEqual(d.orderColumns["points"], .text)
        XCTAssertEqual(diagnostics.count, 1)
        XCTAssertEqual(diagnostics[0].code, "D052")
        XCTAssertEqual(diagnostics[0].notes, ["it is first declared on line 1"])
        guard case .source(_, let range)? = diagnostics[0].location else { return XCTFail("no range") }
        XCTAssertEqual(range, SourceRange(37, 43))
        XCTAssertEqual(file.slice(range), "points")
    }

    func testMalformedLinesTableDriven() {
        let cases: [(line: String, code: String, span: String)] = [
            ("points integer", "D050", "points integer"),
            (": integer", "D050", ":"),
            ("points:", "D050", ":"),
            ("points: integer please", "D050", "please"),
            ("total points: integer", "D054", " "),
            ("order.store: text", "D054", "order"),
            ("orders.: text", "D054", "."),
            ("sugar: enum", "D053", "enum"),
            ("sugar: enum less < < extra", "D053", "<"),
            ("sugar: enum less normal", "D053", " "),
            ("sugar: enum less < less", "D053", "less"),
            ("sugar: enum less <", "D053", "<"),
        ]
        for c in cases {
            let (_, diagnostics, file) = parse("  " + c.line + "\n")
            XCTAssertEqual(diagnostics.map(\.code), [c.code], c.line)
            if case .source(_, let range)? = diagnostics.first?.location {
                XCTAssertEqual(file.slice(range), c.span, c.line)
            } else {
                XCTFail("no range for \(c.line)")
            }
        }
    }

    func testGoodLinesSurviveBadOnes() {
        let (d, diagnostics, _) = parse("a: integr\nb: date\nc\nd: boolean\n")
        XCTAssertEqual(diagnostics.count, 2)
        XCTAssertEqual(d.customerColumns, ["b": .date, "d": .bool])
    }

    /// A schema file saved in another encoding: the bytes that are not UTF-8 are
    /// reported where they are, in a comment too, and the rest is still read.
    func testBytesThatAreNotUTF8AreReportedInPlace() {
        let bytes = Array("# caf".utf8) + [0xE9] + Array("\npoints: integer\nsugar_pref: enum less < ".utf8) + [0xFF] + Array("\n".utf8)
        let file = SourceFile(path: "shop.schema", data: bytes)
        let (d, diagnostics) = SchemaFile.parse(file)
        XCTAssertEqual(diagnostics.map { "\($0.position ?? "") \($0.code) \($0.message)" }, [
            "shop.schema:1:6 D009 a byte that is not valid UTF-8 (0xE9)",
            "shop.schema:3:25 D009 a byte that is not valid UTF-8 (0xFF)",
        ])
        XCTAssertEqual(d.customerColumns["points"], .number)
    }
}
