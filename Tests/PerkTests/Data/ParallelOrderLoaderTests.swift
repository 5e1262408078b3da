import XCTest
@testable import Perk

/// The parallel loader must give exactly what the general loader gives, for
/// any number of pieces, or step aside (nil) so the general loader reports.
final class ParallelOrderLoaderTests: XCTestCase {
    private let customersCSV = """
    customer_id,name,tier
    C3,Chen,GOLD
    C1,Ann,MEMBER
    C2,王小明,VIP
    """

    private var customers: CustomerTable {
        DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0!
    }

    private func general(_ csv: String, customers: CustomerTable, options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport) {
        var loader = OrderLoader(source: CSVSource(bytes: Array(csv.utf8)), path: "orders.csv", customers: customers, options: options)
        return loader.load()
    }

    private func parallel(_ csv: String, customers: CustomerTable, pieces: Int,
                          options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport)? {
        Array(csv.utf8).withUnsafeBufferPointer { file in
            var loader = ParallelOrderLoader(file: file, path: "orders.csv", customers: customers, options: options)
            loader.pieces = pieces
            loader.minimumPieceBytes = 1
            return loader.load()
        }
    }

    /// Every column, row by row, and everything the report says.
    private func assertSame(_ a: (OrderTable?, LoadReport), _ b: (OrderTable?, LoadReport), _ context: String,
                            file: StaticString = #filePath, line: UInt = #line) {
        guard let x = a.0, let y = b.0 else { return XCTFail("no table: \(context)", file: file, line: line) }
        XCTAssertEqual(x.start, y.start, context, file: file, line: line)
        XCTAssertEqual(x.customer, y.customer, context, file: file, line: line)
        XCTAssertEqual(x.date, y.date, context, file: file, line: line)
        XCTAssertEqual(x.seconds, y.seconds, context, file: file, line: line)
        XCTAssertEqual(x.amount, y.amount, context, file: file, line: line)
        XCTAssertEqual(x.itemStart, y.itemStart, context, file: file, line: line)
        XCTAssertEqual(x.itemIDs, y.itemIDs, context, file: file, line: line)
        XCTAssertEqual(x.itemNames, y.itemNames, context, file: file, line: line)
        XCTAssertEqual(x.lines, y.lines, context, file: file, line: line)
        XCTAssertEqual(x.columns.map(\.name), y.columns.map(\.name), context, file: file, line: line)
        XCTAssertEqual(x.columns.map(\.type), y.columns.map(\.type), context, file: file, line: line)
        for (cx, cy) in zip(x.columns, y.columns) {
            XCTAssertEqual((0..<x.count).map(cx.value(at:)), (0..<y.count).map(cy.value(at:)), "\(cx.name): \(context)",
                           file: file, line: line)
        }
        XCTAssertEqual(a.1.ordersRead, b.1.ordersRead, context, file: file, line: line)
        XCTAssertEqual(a.1.guestOrders, b.1.guestOrders, context, file: file, line: line)
        XCTAssertEqual(a.1.unknownCustomerOrders, b.1.unknownCustomerOrders, context, file: file, line: line)
        XCTAssertEqual(a.1.latestOrderDate, b.1.latestOrderDate, context, file: file, line: line)
        XCTAssertEqual(DiagnosticRenderer().render(a.1.diagnostics), DiagnosticRenderer().render(b.1.diagnostics), context,
                       file: file, line: line)
    }

    func testTheSampleShopLoadsTheSameInAnyNumberOfPieces() throws {
        let (customersCSV, ordersCSV) = SampleShop.generate(SampleShopConfig(customers: 300, orders: 6_000))
        let customers = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0)
        let expected = general(ordersCSV, customers: customers)
        XCTAssertGreaterThan(expected.1.guestOrders, 0, "the sample has guest orders to carry across pieces")
        for pieces in [1, 2, 3, 8] {
            let fast = try XCTUnwrap(parallel(ordersCSV, customers: customers, pieces: pieces), "\(pieces) pieces")
            assertSame(fast, expected, "\(pieces) pieces")
        }
    }

    func testFieldsLeftOutAreNotKeptInAnyNumberOfPieces() throws {
        let (customersCSV, ordersCSV) = SampleShop.generate(SampleShopConfig(customers: 300, orders: 6_000))
        let customers = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0)
        let full = try XCTUnwrap(general(ordersCSV, customers: customers).0)
        for kept in [["store", "discount"], ["items"], ["amount", "channel"]] {
            for pieces in [1, 2, 3, 8] {
                let context = "\(kept), \(pieces) pieces"
                let options = LoadOptions(orderFields: .only(Set(kept)))
                let table = try XCTUnwrap(parallel(ordersCSV, customers: customers, pieces: pieces, options: options)?.0, context)
                XCTAssertEqual(table.start, full.start, context)
                XCTAssertEqual(table.date, full.date, context)
                XCTAssertEqual(table.seconds, full.seconds, context)
                XCTAssertEqual(table.lines, full.lines, context)
                XCTAssertEqual(table.amount, kept.contains("amount") ? full.amount : [], context)
                XCTAssertEqual(table.itemStart, kept.contains("items") ? full.itemStart : [], context)
                XCTAssertEqual(table.itemIDs, kept.contains("items") ? full.itemIDs : [], context)
                XCTAssertEqual(table.itemNames, kept.contains("items") ? full.itemNames : [], context)
                XCTAssertEqual(table.columns.map(\.name), full.columns.map(\.name), context)
                for (column, expected) in zip(table.columns, full.columns) {
                    XCTAssertEqual(column.isLoaded, kept.contains(column.name), "\(column.name): \(context)")
                    guard column.isLoaded else { continue }
                    XCTAssertEqual((0..<table.count).map(column.value(at:)), (0..<full.count).map(expected.value(at:)), context)
                }
            }
        }
        // Left out is still checked: a bad discount makes the loader step aside.
        let bad = "order_id,customer_id,ordered_at,amount,discount\nO1,C1,2025-03-01,5,lots\n"
        XCTAssertNil(parallel(bad, customers: self.customers, pieces: 1, options: LoadOptions(orderFields: .only([]))))
    }

    func testAwkwardButCleanFilesLoadTheSame() throws {
        // CRLF endings, blank lines, quoted fields (one spanning two lines),
        // spaces, guests, unknown customers, ids out of order, a declared column.
        let csv = "order_id,customer_id,ordered_at,amount,items,store,tip\r\n"
            + "O9,C2,2025-03-01 10:00,12.50,Oolong; Jasmine,\"BJ, Sanlitun\",1.5\r\n"
            + "\r\n"
            + "O10, C1 ,2025-03-01,8,\"Taro\nMilk\",SZ,\r\n"
            + "O2,,2025-03-02T09:30:00,5,,SZ,0\r\n"
            + "O11,C9,2025-03-03,7,Oolong,BJ,\r\n"
            + "O12,C3,2025-03-01,3.25,Oolong;;Grape,,2\r\n"
            + "O13,C8,2025-03-04,1,,,\r\n"
            + "O14,C7,2025-03-04,1,,,\r\n"
            + "O15,C6,2025-03-05,1,,,\r\n"
            + "O16,C2,2025-03-01 09:59,0,Grape,BJ,2\r\n"
        let options = LoadOptions(schema: SchemaDeclarations(orderColumns: ["tip": .number], source: "schema.txt"))
        let expected = general(csv, customers: customers, options: options)
        XCTAssertEqual(expected.1.unknownCustomerOrders, 4)
        XCTAssertEqual(expected.1.guestOrders, 1)
        var loaded = 0
        for pieces in 1...6 {
            // A cut that falls inside the quoted line break is read again from the row's end.
            guard let fast = parallel(csv, customers: customers, pieces: pieces, options: options) else { continue }
            assertSame(fast, expected, "\(pieces) pieces")
            loaded += 1
        }
        XCTAssertNotNil(parallel(csv, customers: customers, pieces: 1, options: options))
        XCTAssertEqual(loaded, 6)
    }

    func testStepsAsideForWhatOnlyTheGeneralLoaderReports() throws {
        let header = "order_id,customer_id,ordered_at,amount\n"
        let cases: [(String, String)] = [
            ("a repeated order id", "O1,C1,2025-03-01,5\nO2,C2,2025-03-01,5\nO1,C3,2025-03-02,5\n"),
            ("a repeated id in order", "O1,C1,2025-03-01,5\nO1,C2,2025-03-01,5\n"),
            ("an impossible date", "O1,C1,2025-02-30,5\n"),
            ("a negative amount", "O1,C1,2025-03-01,-5\n"),
            ("an empty order id", ",C1,2025-03-01,5\n"),
            ("a quote written twice in an order id", "\"O\"\"1\",C1,2025-03-01,5\n"),
            ("a stray quote", "O1,C\"1,2025-03-01,5\n"),
            ("a lone carriage return", "O1,C1,2025-03-01,5\rO2,C2,2025-03-01,5\n"),
            ("too few fields", "O1,C1,2025-03-01\n"),
            ("too many fields", "O1,C1,2025-03-01,5,6\n"),
            ("an unclosed quote", "O1,\"C1,2025-03-01,5\n"),
            ("only a header", ""),
        ]
        for (what, rows) in cases {
            for pieces in [1, 2] {
                XCTAssertNil(parallel(header + rows, customers: customers, pieces: pieces), "\(what), \(pieces) pieces")
            }
        }
        // Bytes that are not UTF-8 cannot be written in a Swift string literal.
        var bad = Array((header + "O1,C1,2025-03-01,5\n").utf8)
        bad.insert(0xFF, at: header.utf8.count + 4)
        let loaded = bad.withUnsafeBufferPointer { file in
            ParallelOrderLoader(file: file, path: "orders.csv", customers: customers, options: LoadOptions()).load()
        }
        XCTAssertNil(loaded, "invalid UTF-8")
        // A cell that does not fit the type its column's first rows show is the general loader's to report.
        XCTAssertNil(parallel("order_id,customer_id,ordered_at,amount,note\nO1,C1,2025-03-01,5,1\nO2,C1,2025-03-01,5,2\n"
                                + "O3,C1,2025-03-01,5,3\nO4,C1,2025-03-01,5,N/A\n", customers: customers, pieces: 1))
        // A quote written twice elsewhere is read on the fast path, as the general loader reads it.
        let quoted = "order_id,customer_id,ordered_at,amount,note\nO1,\"C\"\"1\",2025-03-01,5,\"a \"\"b\"\", c\"\n"
        assertSame(try XCTUnwrap(parallel(quoted, customers: customers, pieces: 1)), general(quoted, customers: customers),
                   "a quote written twice")
        // Every column is typed before the rows are read, so one needing a type is no reason to step aside.
        XCTAssertNotNil(parallel("order_id,customer_id,ordered_at,amount,note\nO1,C1,2025-03-01,5,hi\n",
                                 customers: customers, pieces: 1))
    }

    func testDataLoaderReportsWhatStoppedTheParallelLoader() {
        let csv = "order_id,customer_id,ordered_at,amount\nO1,C1,2025-03-01,5\nO1,C2,2025-03-30,-1\n"
        let viaDataLoader = DataLoader.loadOrders(bytes: Array(csv.utf8), path: "orders.csv", customers: customers)
        let expected = general(csv, customers: customers)
        XCTAssertNil(viaDataLoader.0)
        XCTAssertEqual(DiagnosticRenderer().render(viaDataLoader.1.diagnostics), DiagnosticRenderer().render(expected.1.diagnostics))
        XCTAssertTrue(DiagnosticRenderer().render(viaDataLoader.1.diagnostics).contains("D016"))
    }

    func testShortlexOrderPutsShorterIdsFirst() {
        func precedes(_ a: String, _ b: String) -> Bool {
            Array(a.utf8).withUnsafeBufferPointer { x in Array(b.utf8).withUnsafeBufferPointer { y in OrderIDs.shortlexPrecedes(x, y) } }
        }
        XCTAssertTrue(precedes("O9", "O10"))
        XCTAssertFalse(precedes("O10", "O9"))
        XCTAssertTrue(precedes("O10", "O11"))
        XCTAssertFalse(precedes("O10", "O10"))
    }
}
