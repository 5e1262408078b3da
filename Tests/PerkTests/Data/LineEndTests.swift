import XCTest
@testable import Perk

/// Every line-end style reads every row, in CSV and JSON Lines, through
/// `DataLoader` and through each loader on its own: the general ones and the
/// parallel ones (which take the file on or step aside, never lose a row).
final class LineEndTests: XCTestCase {
    /// How a file's lines end: the header's, then the rows' in turn.
    private struct Style {
        var name: String
        var header: String
        var rows: [String]
        /// After the last row; nil for the next of `rows`.
        var last: String? = nil

        func joined(_ lines: [String]) -> String {
            var text = lines[0] + header
            for k in 1..<lines.count {
                text += lines[k] + (k == lines.count - 1 ? (last ?? rows[(k - 1) % rows.count]) : rows[(k - 1) % rows.count])
            }
            return text
        }

        /// The 1-based line each row (after the header) starts on.
        func rowLines(count: Int) -> [Int] {
            var line = 1 + breaks(header)
            return (0..<count).map { k in
                defer { line += breaks(rows[k % rows.count]) }
                return line
            }
        }

        /// Line breaks in a run of line-end characters: `\r\n` is one.
        private func breaks(_ ends: String) -> Int {
            ends.unicodeScalars.enumerated().filter { i, s in
                s == "\n" || (s == "\r" && !Array(ends.unicodeScalars).dropFirst(i + 1).starts(with: ["\n"]))
            }.count
        }
    }

    private let styles: [Style] = [
        Style(name: "LF", header: "\n", rows: ["\n"]),
        Style(name: "CRLF", header: "\r\n", rows: ["\r\n"]),
        Style(name: "lone CR (old Mac)", header: "\r", rows: ["\r"]),
        Style(name: "header CR, rows LF", header: "\r", rows: ["\n"]),
        Style(name: "header CR, rows CRLF", header: "\r", rows: ["\r\n"]),
        Style(name: "header CRLF, rows LF", header: "\r\n", rows: ["\n"]),
        Style(name: "header LF, rows CR", header: "\n", rows: ["\r"]),
        Style(name: "rows mixing CRLF and LF", header: "\r\n", rows: ["\r\n", "\n"]),
        Style(name: "rows mixing all three", header: "\n", rows: ["\r", "\r\n", "\n"]),
        Style(name: "blank lines of every style", header: "\n\n", rows: ["\n\r\n", "\r\r", "\r\n\n"]),
        Style(name: "no line end after the last row", header: "\n", rows: ["\n"], last: ""),
        Style(name: "CR, none after the last row", header: "\r", rows: ["\r"], last: ""),
    ]

    private let customersCSV = ["customer_id,name,tier,points", "C2,\"Lee, Ann\",GOLD,12", "C1,王小明,VIP,3.5", "C3,Bo,MEMBER,"]
    private let customersJSONL = [
        #"{"customer_id": "C2", "name": "Lee, Ann", "tier": "GOLD", "points": 12}"#,
        #"{"customer_id": "C1", "name": "王小明", "tier": "VIP", "points": 3.5}"#,
        #"{"customer_id": "C3", "name": "Bo", "tier": "MEMBER", "points": null}"#,
    ]
    private let ordersCSV = [
        "order_id,customer_id,ordered_at,amount,items,store",
        "O1,C1,2025-03-01,12.50,Oolong;Jasmine Green Tea,Xihu",
        "O2,C2,2025-03-02 10:30,8,\"Taro, large\",Binjiang",
        "O3,,2025-03-03,5,Oolong,Xihu",
        "O4,C3,2025-03-04,20,,Xihu",
    ]
    private let ordersJSONL = [
        #"{"order_id": "O1", "customer_id": "C1", "ordered_at": "2025-03-01", "amount": 12.50, "items": "Oolong;Jasmine Green Tea", "store": "Xihu"}"#,
        #"{"order_id": "O2", "customer_id": "C2", "ordered_at": "2025-03-02 10:30", "amount": 8, "items": ["Taro, large"], "store": "Binjiang"}"#,
        #"{"order_id": "O3", "customer_id": "", "ordered_at": "2025-03-03", "amount": 5, "items": "Oolong", "store": "Xihu"}"#,
        #"{"order_id": "O4", "customer_id": "C3", "ordered_at": "2025-03-04", "amount": 20, "items": [], "store": "Xihu"}"#,
    ]

    // MARK: Loading

    private func render(_ diagnostics: [Diagnostic]) -> String {
        DiagnosticRenderer().render(diagnostics)
    }

    /// Rows with their lines renumbered: line `2 + k` of the LF file becomes `lines[k]`.
    private func renumbered(_ rows: [String], _ lines: [Int], firstRowLine: Int) -> [String] {
        rows.map { row in
            guard row.hasPrefix("line "), let colon = row.firstIndex(of: ":"),
                  let old = Int(row[row.index(row.startIndex, offsetBy: 5)..<colon]) else { return row }
            return "line \(lines[old - firstRowLine])" + row[colon...]
        }
    }

    private func customers(_ text: String, path: String) -> (CustomerTable?, LoadReport) {
        DataLoader.loadCustomers(bytes: Array(text.utf8), path: path)
    }

    private var shopCustomers: CustomerTable {
        customers(customersCSV.joined(separator: "\n"), path: "customers.csv").0!
    }

    /// The general customers loader, and the parallel one in 1 to 3 pieces
    /// where it takes the file on: all must give `expected`.
    private func assertEveryCustomerLoaderGives(_ expected: [String], _ text: String, _ context: String) {
        var general = CustomerLoader(source: CSVSource(bytes: Array(text.utf8)), path: "customers.csv", options: LoadOptions())
        let (table, report) = general.load()
        XCTAssertEqual(table.map(TableRows.of) ?? [render(report.diagnostics)], expected, "general loader, \(context)")
        for pieces in 1...3 {
            let fast = Array(text.utf8).withUnsafeBufferPointer { file in
                var loader = ParallelCustomerLoader(file: file, path: "customers.csv", options: LoadOptions())
                loader.pieces = pieces
                loader.minimumPieceBytes = 1
                return loader.load()
            }
            guard let fast else { continue }
            XCTAssertEqual(fast.0.map(TableRows.of) ?? [render(fast.1.diagnostics)], expected, "parallel loader, \(pieces) pieces, \(context)")
        }
    }

    private func assertEveryOrderLoaderGives(_ expected: [String], _ text: String, _ context: String) {
        let shop = shopCustomers
        var general = OrderLoader(source: CSVSource(bytes: Array(text.utf8)), path: "orders.csv", customers: shop, options: LoadOptions())
        let (table, report) = general.load()
        XCTAssertEqual(table.map { TableRows.of($0, customers: shop) } ?? [render(report.diagnostics)], expected,
                       "general loader, \(context)")
        for pieces in 1...3 {
            let fast = Array(text.utf8).withUnsafeBufferPointer { file in
                var loader = ParallelOrderLoader(file: file, path: "orders.csv", customers: shop, options: LoadOptions())
                loader.pieces = pieces
                loader.minimumPieceBytes = 1
                return loader.load()
            }
            guard let fast else { continue }
            XCTAssertEqual(fast.0.map { TableRows.of($0, customers: shop) } ?? [render(fast.1.diagnostics)], expected,
                           "parallel loader, \(pieces) pieces, \(context)")
        }
    }

    // MARK: Every style

    func testEveryLineEndStyleLoadsEveryCustomer() throws {
        for (lines, path, firstRowLine) in [(customersCSV, "customers.csv", 2), (customersJSONL, "customers.jsonl", 1)] {
            let (baseline, _) = customers(lines.joined(separator: "\n") + "\n", path: path)
            let baselineRows = try XCTUnwrap(baseline.map(TableRows.of))
            XCTAssertEqual(baselineRows.count, 3)
            for style in styles {
                let context = "\(style.name), \(path)"
                // JSON Lines has no header: its "header" line end follows the first object.
                let text = style.joined(lines)
                let rowLines = path.hasSuffix(".csv") ? style.rowLines(count: lines.count - 1) : [1] + style.rowLines(count: lines.count - 1)
                let expected = renumbered(baselineRows, rowLines, firstRowLine: firstRowLine)
                let (table, report) = customers(text, path: path)
                XCTAssertEqual(table.map(TableRows.of) ?? [render(report.diagnostics)], expected, context)
                XCTAssertEqual(report.customersRead, 3, context)
                XCTAssertEqual(render(report.diagnostics), "", context)
                if path.hasSuffix(".csv") { assertEveryCustomerLoaderGives(expected, text, context) }
            }
        }
    }

    func testEveryLineEndStyleLoadsEveryOrder() throws {
        let shop = shopCustomers
        for (lines, path, firstRowLine) in [(ordersCSV, "orders.csv", 2), (ordersJSONL, "orders.jsonl", 1)] {
            let (baseline, _) = DataLoader.loadOrders(bytes: Array((lines.joined(separator: "\n") + "\n").utf8), path: path, customers: shop)
            let baselineRows = try XCTUnwrap(baseline.map { TableRows.of($0, customers: shop) })
            XCTAssertEqual(baselineRows.count, 3, "three orders of known customers and a guest order")
            for style in styles {
                let context = "\(style.name), \(path)"
                let text = style.joined(lines)
                let rowLines = path.hasSuffix(".csv") ? style.rowLines(count: lines.count - 1) : [1] + style.rowLines(count: lines.count - 1)
                let expected = renumbered(baselineRows, rowLines, firstRowLine: firstRowLine)
                let (table, report) = DataLoader.loadOrders(bytes: Array(text.utf8), path: path, customers: shop)
                XCTAssertEqual(table.map { TableRows.of($0, customers: shop) } ?? [render(report.diagnostics)], expected, context)
                XCTAssertEqual(report.ordersRead, 4, context)
                XCTAssertEqual(report.guestOrders, 1, context)
                XCTAssertEqual(report.diagnostics.map(\.code), ["D019"], context)
                if path.hasSuffix(".csv") { assertEveryOrderLoaderGives(expected, text, context) }
            }
        }
    }

    /// The bug this file began with: a header ended by a lone `\r` before rows
    /// ended by `\n` lost the first row in the parallel loaders.
    func testAHeaderEndedByALoneCRKeepsTheFirstRow() {
        let (table, _) = customers("customer_id,name\rC1,Ann\nC2,Bo\n", path: "customers.csv")
        XCTAssertEqual(table?.ids, ["C1", "C2"])
        XCTAssertEqual(table?.lines, [2, 3])
    }

    // MARK: Line breaks inside a row

    func testLineBreaksInsideQuotedFieldsAreKeptAndCounted() {
        let csv = "customer_id,name,tier\r\nC1,\"Lee\rAnn\",GOLD\r\nC2,\"Two\r\nLines\",VIP\nC3,\"Three\nLines\",MEMBER\rC4,Bo,VIP\n"
        let expected = [
            #"line 2: "C1" name="Lee\rAnn" tier=GOLD"#,
            #"line 4: "C2" name="Two\r\nLines" tier=VIP"#,
            #"line 6: "C3" name="Three\nLines" tier=MEMBER"#,
            #"line 8: "C4" name="Bo" tier=VIP"#,
        ]
        let (table, report) = customers(csv, path: "customers.csv")
        XCTAssertEqual(table.map(TableRows.of), expected, render(report.diagnostics))
        assertEveryCustomerLoaderGives(expected, csv, "quoted line breaks")

        let orders = "order_id,customer_id,ordered_at,amount,store\nO1,C1,2025-03-01,1,\"Xihu\rNorth\"\nO2,C1,2025-03-02,2,\"Binjiang\r\nGate\"\r\n"
        let expectedOrders = [
            #"line 2: "C1" day=20148 seconds=-1 amount=1 items=[] store="Xihu\rNorth""#,
            #"line 4: "C1" day=20149 seconds=-1 amount=2 items=[] store="Binjiang\r\nGate""#,
        ]
        let shop = shopCustomers
        let (orderTable, orderReport) = DataLoader.loadOrders(bytes: Array(orders.utf8), path: "orders.csv", customers: shop)
        XCTAssertEqual(orderTable.map { TableRows.of($0, customers: shop) }, expectedOrders, render(orderReport.diagnostics))
        assertEveryOrderLoaderGives(expectedOrders, orders, "quoted line breaks")
    }

    /// Outside quotes a lone `\r` ends the line, as in an old Mac file; a row
    /// it cuts in two is reported at both halves, never read short in silence.
    func testALoneCRInsideAnUnquotedFieldSaysWhy() {
        let csv = "customer_id,name,tier\nC1,Ann\rLee,GOLD\nC2,Bo,VIP\n"
        let (table, report) = customers(csv, path: "customers.csv")
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "customers.csv:2:1: error[D008]: this row has 2 fields but the header has 3",
            "customers.csv:3:1: error[D008]: this row has 2 fields but the header has 3",
            "customers.csv:2:1: error[D021]: 2 bad rows in customers.csv, so nothing was loaded",
        ])
        let (skipped, skipReport) = DataLoader.loadCustomers(bytes: Array(csv.utf8), path: "customers.csv",
                                                             options: LoadOptions(skipBadRows: true))
        XCTAssertEqual(skipped?.ids, ["C2"])
        XCTAssertEqual(skipReport.skippedRows, 2)
        XCTAssertEqual(skipReport.customersRead, 3)
    }
}
