import XCTest
@testable import Perk

/// The parallel customers loader must give exactly what the general loader
/// gives, for any number of pieces, or step aside (nil) so the general
/// loader reports.
final class ParallelCustomerLoaderTests: XCTestCase {
    private func general(_ csv: String, options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        var loader = CustomerLoader(source: CSVSource(bytes: Array(csv.utf8)), path: "customers.csv", options: options)
        return loader.load()
    }

    private func parallel(_ csv: String, pieces: Int, options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport)? {
        Array(csv.utf8).withUnsafeBufferPointer { file in
            var loader = ParallelCustomerLoader(file: file, path: "customers.csv", options: options)
            loader.pieces = pieces
            loader.minimumPieceBytes = 1
            return loader.load()
        }
    }

    private func assertSame(_ a: (CustomerTable?, LoadReport), _ b: (CustomerTable?, LoadReport), _ context: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        guard let x = a.0, let y = b.0 else { return XCTFail("no table: \(context)", file: file, line: line) }
        XCTAssertEqual(x.ids, y.ids, context, file: file, line: line)
        XCTAssertEqual(x.lines, y.lines, context, file: file, line: line)
        XCTAssertEqual(x.columns.map(\.name), y.columns.map(\.name), context, file: file, line: line)
        XCTAssertEqual(x.columns.map(\.type), y.columns.map(\.type), context, file: file, line: line)
        for (cx, cy) in zip(x.columns, y.columns) {
            XCTAssertEqual(cx.values, cy.values, "\(cx.name): \(context)", file: file, line: line)
        }
        XCTAssertEqual(a.1.customersRead, b.1.customersRead, context, file: file, line: line)
        XCTAssertEqual(DiagnosticRenderer().render(a.1.diagnostics), DiagnosticRenderer().render(b.1.diagnostics), context,
                       file: file, line: line)
    }

    func testTheSampleShopLoadsTheSameInAnyNumberOfPieces() throws {
        let (customersCSV, _) = SampleShop.generate(SampleShopConfig(customers: 2_000, orders: 100))
        XCTAssertTrue(customersCSV.contains("\"\""), "the sample has quotes inside quoted names")
        let expected = general(customersCSV)
        for pieces in [1, 2, 3, 8] {
            let fast = try XCTUnwrap(parallel(customersCSV, pieces: pieces), "\(pieces) pieces")
            assertSame(fast, expected, "\(pieces) pieces")
        }
    }

    func testAwkwardButCleanFilesLoadTheSame() throws {
        // CRLF endings, a blank line, quoted fields (with "" and a line break),
        // spaces around values, empty cells, ids out of order, every inferred
        // type, a declared column and a declared column the file lacks.
        let csv = "customer_id,name,tier,born,joined_at,points,vip,sms_opt_in,code\r\n"
            + "C10,\"Li, \"\"Momo\"\"\" ,gold,1990-02-28,2024-01-01 10:00,12.5,yes,true,007\r\n"
            + "\r\n"
            + "C9,\"Two\nLines\",MEMBER,,2024-01-02T09:30:00,3,no,false,12\r\n"
            + "C11,王小明,Vip,2001-12-31,2024-01-03 11:00, 40 ,,,\r\n"
            + "C1,Ann,silver,1985-07-01,2024-01-04 12:00,0,NO,FALSE,x\r\n"
            + "C2,,member,1970-01-01,,7,Yes,True,y\r\n"
        let options = LoadOptions(schema: SchemaDeclarations(customerColumns: ["code": .text, "missing_one": .number],
                                                             source: "schema.txt"))
        let expected = general(csv, options: options)
        XCTAssertEqual(expected.0?.columns.map(\.type),
                       [.text, .enumeration(EnumType.defaultTier), .date, .datetime, .number, .bool, .bool, .text])
        XCTAssertEqual(expected.1.diagnostics.count, 1, "the absent declared column is warned about")
        var loaded = 0
        for pieces in 1...6 {
            // A cut that falls inside the quoted line break is read again from the row's end.
            guard let fast = parallel(csv, pieces: pieces, options: options) else { continue }
            assertSame(fast, expected, "\(pieces) pieces")
            loaded += 1
        }
        XCTAssertNotNil(parallel(csv, pieces: 1, options: options))
        XCTAssertEqual(loaded, 6)
    }

    func testStepsAsideForWhatOnlyTheGeneralLoaderReports() {
        let header = "customer_id,name,tier,sms_opt_in,points\n"
        let cases: [(String, String)] = [
            ("a repeated id", "C1,Ann,GOLD,true,1\nC2,Bo,VIP,false,2\nC1,Cy,VIP,true,3\n"),
            ("an empty id", ",Ann,GOLD,true,1\n"),
            ("an id of spaces", "  ,Ann,GOLD,true,1\n"),
            ("a tier with no known order", "C1,Ann,PLATINUM,true,1\n"),
            ("an opt-in that is not yes or no", "C1,Ann,GOLD,maybe,1\n"),
            ("too few fields", "C1,Ann,GOLD,true\n"),
            ("too many fields", "C1,Ann,GOLD,true,1,2\n"),
            ("a stray quote", "C1,A\"nn,GOLD,true,1\n"),
            ("an unclosed quote", "C1,\"Ann,GOLD,true,1\n"),
            ("a lone carriage return", "C1,Ann,GOLD,true,1\rC2,Bo,VIP,false,2\n"),
            ("only a header", ""),
        ]
        for (what, rows) in cases {
            for pieces in [1, 2] {
                XCTAssertNil(parallel(header + rows, pieces: pieces), "\(what), \(pieces) pieces")
            }
        }
        // A declared type that a cell does not fit.
        let declared = LoadOptions(schema: SchemaDeclarations(customerColumns: ["points": .number], source: "schema.txt"))
        XCTAssertNil(parallel(header + "C1,Ann,GOLD,true,lots\n", pieces: 1, options: declared))
        // Bytes that are not UTF-8 cannot be written in a Swift string literal.
        var bad = Array((header + "C1,Ann,GOLD,true,1\n").utf8)
        bad.insert(0xFF, at: header.utf8.count + 4)
        let loaded = bad.withUnsafeBufferPointer { file in
            ParallelCustomerLoader(file: file, path: "customers.csv", options: LoadOptions()).load()
        }
        XCTAssertNil(loaded, "invalid UTF-8")
    }

    func testDataLoaderReportsWhatStoppedTheParallelLoader() {
        let csv = "customer_id,name\nC1,Ann\nC2,Bo\nC1,Cy\n"
        let viaDataLoader = DataLoader.loadCustomers(bytes: Array(csv.utf8), path: "customers.csv")
        let expected = general(csv)
        XCTAssertNil(viaDataLoader.0)
        let rendered = DiagnosticRenderer().render(viaDataLoader.1.diagnostics)
        XCTAssertEqual(rendered, DiagnosticRenderer().render(expected.1.diagnostics))
        XCTAssertTrue(rendered.contains("D015"), rendered)
    }
}
