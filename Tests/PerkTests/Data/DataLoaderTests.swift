import XCTest
@testable import Perk

final class DataLoaderTests: XCTestCase {
    // MARK: Helpers

    private func loadCustomers(_ text: String, path: String = "customers.csv",
                               options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        DataLoader.loadCustomers(bytes: Array(text.utf8), path: path, options: options)
    }

    private func loadOrders(_ text: String, customers: CustomerTable, path: String = "orders.csv",
                            options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport) {
        DataLoader.loadOrders(bytes: Array(text.utf8), path: path, customers: customers, options: options)
    }

    private func render(_ diagnostics: [Diagnostic]) -> String {
        DiagnosticRenderer().render(diagnostics)
    }

    private var shopCustomers: CustomerTable {
        let (table, report) = loadCustomers("""
        customer_id,name,tier
        C3,Chen,GOLD
        C1,Ann,MEMBER
        C2,王小明,VIP
        """)
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        return table ?? CustomerTable(source: "customers.csv", ids: [], columns: [], lines: [])
    }

    private func column(_ table: CustomerTable?, _ name: String) -> CustomerColumn? {
        table.flatMap { t in t.columnIndex(named: name).map { t.columns[$0] } }
    }

    private func day(_ text: String) -> Int32 {
        LocalDate(parsing: text)?.day ?? -1
    }

    // MARK: Customers

    func testLoadsCustomersSortedByIDBytesKeepingLines() {
        let (table, report) = loadCustomers("""
        customer_id,name,tier,birthday,points,marketing_opt_in,last_seen
        c10,Lower,SILVER,1990-02-28,12,yes,2025-03-01 14:30
        C2,"Lee, Ann",GOLD,,-3.5,No,2025-03-01T09:00:00
        É1,Émile,VIP,2000-01-01,0,TRUE,
        C10,王小明,MEMBER,1985-12-31,,false,2025-01-01T00:00
        """)
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        guard let table else { return XCTFail("no table") }
        // Byte order: "C10" < "C2" < "c10" < "É1" (0xC3 0x89).
        XCTAssertEqual(table.ids, ["C10", "C2", "c10", "É1"])
        XCTAssertEqual(table.lines, [5, 3, 2, 4])
        XCTAssertEqual(report.customersRead, 4)
        XCTAssertEqual(table.columns.map(\.name), ["name", "tier", "birthday", "points", "marketing_opt_in", "last_seen"])
        XCTAssertEqual(table.columns.map(\.type), [.text, .enumeration(EnumType.defaultTier), .date, .number, .bool, .datetime])
        XCTAssertEqual(column(table, "name")?.values, [.text("王小明"), .text("Lee, Ann"), .text("Lower"), .text("Émile")])
        XCTAssertEqual(column(table, "tier")?.values, [.symbol(0), .symbol(2), .symbol(1), .symbol(3)])
        XCTAssertEqual(column(table, "birthday")?.values[1], .missing)
        XCTAssertEqual(column(table, "points")?.values, [.missing, .number(Number(units: -35, scale: 1) ?? .zero), .number(Number(12)), .number(.zero)])
        XCTAssertEqual(column(table, "marketing_opt_in")?.values, [.bool(false), .bool(false), .bool(true), .bool(true)])
        XCTAssertEqual(column(table, "last_seen")?.values[3], .missing)
        XCTAssertEqual(table.index(of: "c10"), 2)
    }

    func testSchemaDeclarationsOverrideInference() {
        let schema = SchemaFile.parse(SourceFile(path: "shop.schema", text: """
        tier: enum BRONZE < SILVER < PLATINUM
        points: text
        sugar_pref: enum less < normal < extra
        orders.store: enum north < south
        """)).0
        let (table, report) = loadCustomers("""
        customer_id,tier,points,sugar_pref
        C1,PLATINUM,007,Normal
        C2,BRONZE,12,
        """, options: LoadOptions(schema: schema))
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        XCTAssertEqual(column(table, "tier")?.type, .enumeration(EnumType(name: "tier", cases: ["BRONZE", "SILVER", "PLATINUM"])))
        XCTAssertEqual(column(table, "tier")?.values, [.symbol(2), .symbol(0)])
        XCTAssertEqual(column(table, "points")?.values, [.text("007"), .text("12")])
        XCTAssertEqual(column(table, "sugar_pref")?.values, [.symbol(1), .missing])

        let (_, bad) = loadCustomers("customer_id,sugar_pref\nC1,lots\n", options: LoadOptions(schema: schema))
        XCTAssertEqual(bad.diagnostics.first { $0.code == "D012" }?.description,
                       "customers.csv:2:4: error[D012]: sugar_pref lots is not one of less, normal, extra")
        XCTAssertTrue(bad.diagnostics.contains { $0.code == "D022" && $0.message.contains("`tier`") })
    }

    func testMissingCustomerIDColumnSuggestsTheClosestName() {
        let (table, report) = loadCustomers("customerid,name\nC1,Ann\n")
        XCTAssertNil(table)
        XCTAssertEqual(render(report.diagnostics), """
        customers.csv:1:1: error[D005]: customers.csv has no customer_id column
          |
        1 | customerid,name
          | ^
          = note: the columns are: customerid, name
          = help: did you mean `customerid`? rename it to customer_id

        """)
        let (_, other) = loadCustomers("name,email\nAnn,a@b.c\n")
        XCTAssertEqual(other.diagnostics.first?.help, "add a customer_id column holding one unique id per customer")
    }

    func testDuplicateCustomerIDPointsAtTheSecondWithTheFirstLine() {
        let (table, report) = loadCustomers("customer_id,name\nC1,Ann\nC2,Bo\nC1,Cy\n")
        XCTAssertNil(table)
        XCTAssertEqual(render(report.diagnostics), """
        customers.csv:4:1: error[D015]: customer C1 appears twice
          |
        4 | C1,Cy
          | ^
          = note: it first appears on line 2
          = help: each customer needs exactly one row; merge the rows or fix the id
        customers.csv:4:1: error[D021]: 1 bad row in customers.csv, so nothing was loaded
          |
        4 | C1,Cy
          | ^
          = help: fix the rows above, or load with --skip-bad-rows to leave bad rows out

        """)
    }

    func testImpossibleDateIsAnErrorAtItsCell() {
        let (table, report) = loadCustomers("customer_id,name,birthday\nC1,王小明,1990-01-31\nC2,李,2025-02-30\n")
        XCTAssertNil(table)
        XCTAssertEqual(render(Array(report.diagnostics.prefix(1))), """
        customers.csv:3:6: error[D013]: birthday 2025-02-30 is not a date: February 2025 has 28 days
          |
        3 | C2,李,2025-02-30
          |       ^

        """)
    }

    func testEmptyCustomerID() {
        let (_, report) = loadCustomers("customer_id,name\n  ,Ann\n")
        XCTAssertEqual(report.diagnostics.first?.description, "customers.csv:2:1: error[D014]: customer_id is empty: every customer needs an id")
        let (_, quoted) = loadCustomers("customer_id,name\nC1,Ann\n\"\",Bo\n")
        XCTAssertEqual(quoted.diagnostics.first?.description, "customers.csv:3:1: error[D014]: customer_id is empty: every customer needs an id")
    }

    func testTierOutsideTheDefaultOrderAsksForASchema() {
        let (table, report) = loadCustomers("customer_id,tier\nC1,GOLD\nC2,PLATINUM\nC3,DIAMOND\n")
        XCTAssertNil(table)
        guard report.diagnostics.count == 1 else { return XCTFail(render(report.diagnostics)) }
        XCTAssertEqual(report.diagnostics[0].description,
                       "customers.csv:3:4: error[D018]: tier PLATINUM is not one of MEMBER, SILVER, GOLD, VIP, so Perk does not know how it ranks")
        XCTAssertEqual(report.diagnostics[0].help,
                       "declare the tiers in order in a schema file, like `tier: enum MEMBER < SILVER < GOLD < VIP`, with PLATINUM where it belongs")
        // Still an error when skipping bad rows: skipping would silently drop a whole tier.
        let (skipped, _) = loadCustomers("customer_id,tier\nC1,GOLD\nC2,PLATINUM\n", options: LoadOptions(skipBadRows: true))
        XCTAssertNil(skipped)
    }

    func testOptInColumnReportsEveryNonBooleanCell() {
        let (_, report) = loadCustomers("customer_id,sms_opt_in\nC1,yes\nC2,maybe\nC3,later\n")
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "customers.csv:3:4: error[D012]: sms_opt_in maybe is not yes or no",
            "customers.csv:4:4: error[D012]: sms_opt_in later is not yes or no",
            "customers.csv:3:1: error[D021]: 2 bad rows in customers.csv, so nothing was loaded",
        ])
    }

    func testEmbeddedNewlineKeepsLaterLinesRight() {
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (table, report) = loadCustomers("customer_id,note,points\nC1,\"two\nlines\",1\nC2,x,oops1\n",
                                            options: LoadOptions(schema: schema))
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.first?.description, "customers.csv:4:6: error[D012]: points oops1 is not a number")
        let (good, _) = loadCustomers("customer_id,note\nC1,\"two\nlines\"\nC2,x\n")
        XCTAssertEqual(good?.lines, [2, 4])
        XCTAssertEqual(good?.columns[0].values[0], .text("two\nlines"))
    }

    func testColumnsCountCharactersAfterChineseText() {
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (_, report) = loadCustomers("customer_id,name,city,points\nC1,王小明,上海,十二\n", options: LoadOptions(schema: schema))
        XCTAssertEqual(render(Array(report.diagnostics.prefix(1))), """
        customers.csv:2:11: error[D012]: points 十二 is not a number
          |
        2 | C1,王小明,上海,十二
          |                ^^
          = help: write plain digits like 12 or 12.50, with no currency sign or thousands separator

        """)
    }

    func testFileLevelProblems() {
        let cases: [(text: String, path: String, expected: String)] = [
            ("", "customers.csv",
             "customers.csv:1:1: error[D003]: customers.csv is empty: there is no header row naming the columns"),
            ("customer_id,name,name\n", "customers.csv",
             "customers.csv:1:18: error[D004]: the header names column `name` twice"),
            ("customer_id,,x\n", "customers.csv", "customers.csv:1:13: error[D004]: column 2 has no name in the header"),
            ("customer_id\nC1\n", "customers.xlsx",
             "customers.xlsx: error[D002]: Perk cannot read customers.xlsx: data files must end in .csv, .jsonl or .ndjson"),
            ("customer_id,\"open\nC1\n", "customers.csv",
             "customers.csv:1:13: error[D006]: the header row: this quote is never closed, so the rest of the file reads as one field"),
        ]
        for c in cases {
            let (table, report) = loadCustomers(c.text, path: c.path)
            XCTAssertNil(table, c.text)
            XCTAssertEqual(report.diagnostics.first?.description, c.expected, c.text)
        }
    }

    func testHeaderOnlyGivesAnEmptyTableAndAWarning() {
        let (table, report) = loadCustomers("customer_id,name\n")
        XCTAssertEqual(table?.count, 0)
        XCTAssertEqual(table?.columns.map(\.name), ["name"])
        XCTAssertEqual(report.diagnostics.map(\.description), ["customers.csv:1:1: warning[D023]: customers.csv has no customers"])
    }

    /// No rows is the same in both formats: a CSV header alone, or a JSON Lines
    /// file with no objects, loads as an empty table with one warning. Only a
    /// CSV file without even a header is an error (D003, in
    /// `testFileLevelProblems`): nothing says what it holds.
    func testAFileWithNoRowsIsTheSameWarningInEitherFormat() throws {
        let files: [(text: String, format: String)] = [
            ("order_id,customer_id,ordered_at,amount\n", "csv"),
            ("order_id,customer_id,ordered_at,amount,items\r\n\r\n\n", "csv"),
            ("\u{FEFF}order_id,customer_id,ordered_at,amount", "csv"),
            ("", "jsonl"),
            ("\n\n", "jsonl"),
            ("\r\n \t\r", "jsonl"),
            ("\u{FEFF}", "ndjson"),
        ]
        let schema = SchemaDeclarations(customerColumns: ["points": .number], orderColumns: ["store": .text], source: "shop.schema")
        for (text, format) in files {
            let orders = "orders.\(format)", customers = "customers.\(format)"
            let (orderTable, orderReport) = loadOrders(text, customers: shopCustomers, path: orders)
            XCTAssertEqual(orderTable?.count, 0, text.debugDescription)
            XCTAssertEqual(orderReport.ordersRead, 0, text.debugDescription)
            XCTAssertEqual(orderReport.diagnostics.map(\.description), ["\(orders):1:1: warning[D023]: \(orders) has no orders"],
                           text.debugDescription)
            guard format != "csv" else { continue }
            let (customerTable, customerReport) = loadCustomers(text, path: customers, options: LoadOptions(schema: schema))
            XCTAssertEqual(customerTable?.count, 0, text.debugDescription)
            XCTAssertEqual(customerReport.diagnostics.map(\.description),
                           ["\(customers):1:1: warning[D023]: \(customers) has no customers"], text.debugDescription)
            // Columns come from the rows; with none, they are the ones the schema declares.
            XCTAssertEqual(customerTable?.columns.map(\.name), ["points"])
            let (declared, _) = loadOrders(text, customers: shopCustomers, path: orders, options: LoadOptions(schema: schema))
            XCTAssertEqual(declared?.columns.map(\.name), ["store"])
        }
        // A byte order mark is not part of the first line a warning shows (found by DataReaderFuzzTests).
        for path in ["orders.jsonl", "orders.csv"] {
            let text = path.hasSuffix("csv") ? "\u{FEFF}order_id,customer_id,ordered_at,amount\n" : "\u{FEFF}"
            let (_, report) = loadOrders(text, customers: shopCustomers, path: path)
            guard case .point(_, 1, 1, let lineText)? = report.diagnostics.first?.location else { return XCTFail(path) }
            XCTAssertEqual(lineText, path.hasSuffix("csv") ? "order_id,customer_id,ordered_at,amount" : "", path)
        }
    }

    func testStructuralProblemsThroughTheLoader() {
        let cases: [(bytes: [UInt8], expected: String)] = [
            (Array("customer_id,name\nC1,Ann,extra\n".utf8),
             "customers.csv:2:8: error[D008]: this row has 3 fields but the header has 2"),
            (Array("customer_id,name\nC1\n".utf8),
             "customers.csv:2:1: error[D008]: this row has 1 field but the header has 2"),
            (Array("customer_id,name\nC1,A".utf8) + [0xFE] + Array("n\n".utf8),
             "customers.csv:2:5: error[D009]: this text is not valid UTF-8"),
            (Array("customer_id,name\nC1,A".utf8) + [0] + Array("n\n".utf8),
             "customers.csv:2:5: error[D010]: this row holds a NUL byte (a binary zero)"),
            (Array("customer_id,name\nC1,5\" pot\n".utf8),
             "customers.csv:2:5: error[D007]: a `\"` in the middle of a field that does not start with one"),
            (Array("customer_id,name\nC1,\"Ann\nC2,Bo\n".utf8),
             "customers.csv:2:4: error[D006]: this quote is never closed, so the rest of the file reads as one field"),
        ]
        for c in cases {
            let (table, report) = DataLoader.loadCustomers(bytes: c.bytes, path: "customers.csv", options: LoadOptions())
            XCTAssertNil(table, c.expected)
            XCTAssertEqual(report.diagnostics.first?.description, c.expected)
        }
    }

    func testUnterminatedQuoteFailsEvenWhenSkippingBadRows() {
        let (table, report) = loadCustomers("customer_id,name\nC1,Ann\nC2,\"Bo\nC3,Cy\n", options: LoadOptions(skipBadRows: true))
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.code), ["D006"])
    }

    func testMissingFileIsADiagnostic() {
        let (table, report) = DataLoader.loadCustomers(path: "/nonexistent/perk/customers.csv")
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description), ["/nonexistent/perk/customers.csv: error[D001]: cannot find /nonexistent/perk/customers.csv"])
        let (_, folder) = DataLoader.loadCustomers(path: NSTemporaryDirectory() + "/.")
        XCTAssertEqual(folder.diagnostics.first?.code, "D002")
    }

    func testLoadsFromAFile() throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("perk-\(UUID().uuidString).csv")
        try Data("customer_id,points\nC1,5\n".utf8).write(to: url)
        defer { try? FileManager.default.removeItem(at: url) }
        let (table, report) = DataLoader.loadCustomers(path: url.path)
        XCTAssertTrue(report.diagnostics.isEmpty)
        XCTAssertEqual(table?.columns.first?.values, [.number(Number(5))])
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("perk-\(UUID().uuidString).csv")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        XCTAssertEqual(DataLoader.loadCustomers(path: folder.path).1.diagnostics.first?.message, "\(folder.path) is a folder, not a data file")
    }

    // MARK: Bad rows

    func testAllBadRowsAreCollectedBeforeFailing() {
        var text = "customer_id,points\n"
        for i in 1...25 { text += "C\(i),x\(i)\n" }
        text += "C99,7\n"
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (table, report) = loadCustomers(text, options: LoadOptions(schema: schema))
        XCTAssertNil(table)
        guard report.diagnostics.count == 21 else { return XCTFail(render(report.diagnostics)) }
        XCTAssertEqual(report.diagnostics[19].description, "customers.csv:21:5: error[D012]: points x20 is not a number")
        XCTAssertEqual(report.diagnostics[20].description, "customers.csv:2:1: error[D021]: 25 bad rows in customers.csv, so nothing was loaded")
        // 25 of 26 rows: the file is wrong, so skipping is not suggested.
        XCTAssertEqual(report.diagnostics[20].notes, ["that is 25 of 26 rows, so customers.csv is not the customers file Perk expects",
                                                      "showing the first 20 problems; 5 more are not shown"])
        XCTAssertEqual(report.diagnostics[20].help, "fix the problems above; leaving the bad rows out would leave out most of the file")
        XCTAssertEqual(report.customersRead, 26)
    }

    func testSkipBadRowsCountsAndWarns() {
        var text = "customer_id,points\nC0,1\n"
        for i in 1...7 { text += "C\(i),bad\n" }
        text += "C0,2\nC8,3\n"
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (table, report) = loadCustomers(text, options: LoadOptions(skipBadRows: true, schema: schema))
        XCTAssertEqual(table?.ids, ["C0", "C8"])
        XCTAssertEqual(table?.lines, [2, 11])
        XCTAssertEqual(report.skippedRows, 8)
        XCTAssertEqual(report.customersRead, 10)
        guard report.diagnostics.count == 6 else { return XCTFail(render(report.diagnostics)) }
        XCTAssertTrue(report.diagnostics.allSatisfy { $0.severity == .warning })
        XCTAssertEqual(report.diagnostics[5].description, "customers.csv:3:1: warning[D021]: skipped 8 bad rows in customers.csv")
        XCTAssertEqual(report.diagnostics[5].notes, ["showing the first 5 problems; 3 more are not shown",
                                                     "that is 8 of 10 rows: check that this is the customers file Perk expects"])
    }

    // MARK: Orders

    func testOrdersAreGroupedByCustomerAndSortedByTime() {
        let customers = shopCustomers  // rows: C1, C2, C3
        let (table, report) = loadOrders("""
        order_id,customer_id,ordered_at,amount,items,store,channel,discount,note
        O1,C3,2025-03-05,10.00,Oolong; Jasmine Tea,Shanghai,online,1.50,a
        O2,C1,2025-03-02 12:00,20,Pu'er,Beijing,shop,,b
        O3,C3,2025-03-01T09:30:00,5.25,,Shanghai,,,c
        O4,C1,2025-03-02,7,Jasmine Tea;;Oolong ;,,shop,0,d
        O5,C3,2025-03-05,1,Oolong,Hangzhou,online,,e
        O6,C1,2025-03-02 08:00,3,Oolong,Beijing,shop,,f
        """, customers: customers)
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        guard let table else { return XCTFail("no table") }
        XCTAssertEqual(report.ordersRead, 6)
        XCTAssertEqual(table.start, [0, 3, 3, 6])
        XCTAssertEqual(table.customer, [0, 0, 0, 2, 2, 2])
        // C1: the date-only order first (seconds -1), then by time; C3: by date, ties in file order.
        XCTAssertEqual(table.lines, [5, 7, 3, 4, 2, 6])
        let seconds: [Int32] = [-1, 28_800, 43_200, 34_200, -1, -1]
        XCTAssertEqual(table.seconds, seconds)
        XCTAssertEqual(table.date, [day("2025-03-02"), day("2025-03-02"), day("2025-03-02"),
                                    day("2025-03-01"), day("2025-03-05"), day("2025-03-05")])
        XCTAssertEqual(table.amount, [Number(7), Number(3), Number(20), Number(units: 525, scale: 2), Number(10), Number(1)].compactMap { $0 })
        XCTAssertEqual(table.itemNames, ["Jasmine Tea", "Oolong", "Pu'er"])
        let items = (0..<table.count).map { i in
            table.itemIDs[Int(table.itemStart[i])..<Int(table.itemStart[i + 1])].map { table.itemNames[Int($0)] }
        }
        XCTAssertEqual(items, [["Jasmine Tea", "Oolong"], ["Oolong"], ["Pu'er"], [], ["Oolong", "Jasmine Tea"], ["Oolong"]])
        XCTAssertEqual(table.columns.map(\.name), ["store", "channel", "discount", "note"])
        XCTAssertEqual(table.columns.map(\.type), [.text, .text, .number, .text])
        guard case .text(let storeIDs, let storeNames) = table.columns[0].storage else { return XCTFail("store not interned") }
        XCTAssertEqual(storeNames, ["Beijing", "Hangzhou", "Shanghai"])
        XCTAssertEqual(storeIDs, [-1, 0, 0, 2, 2, 1])
        XCTAssertEqual(table.columns[0].value(at: 0), .missing)
        XCTAssertEqual(table.columns[0].value(at: 5), .text("Hangzhou"))
        // Which loader read the file decides how values are stored, not what they are.
        let discounts = (0..<table.count).map { table.columns[2].value(at: $0) }
        XCTAssertEqual(discounts, [.number(.zero), .missing, .missing, .missing, .number(Number(units: 15, scale: 1) ?? .zero), .missing])
        XCTAssertEqual(table.earliestDate, LocalDate(parsing: "2025-03-01"))
        XCTAssertEqual(table.latestDate, LocalDate(parsing: "2025-03-05"))

        // Windows are binary searches within a customer.
        XCTAssertEqual(table.rows(of: 0, from: day("2025-03-01"), to: day("2025-03-03")), 0..<3)
        XCTAssertEqual(table.rows(of: 0, from: day("2025-03-03"), to: day("2025-04-01")), 3..<3)
        XCTAssertEqual(table.rows(of: 1, from: day("2025-01-01"), to: day("2026-01-01")), 3..<3)
        XCTAssertEqual(table.rows(of: 2, from: day("2025-03-02"), to: day("2025-03-06")), 4..<6)
        XCTAssertEqual(table.rows(of: 2, from: day("2025-03-01"), to: day("2025-03-05")), 3..<4)
    }

    func testMissingRequiredOrderColumnsAreListed() {
        let (table, report) = loadOrders("order_id,customerid,amount\nO1,C1,5\n", customers: shopCustomers)
        XCTAssertNil(table)
        XCTAssertEqual(render(report.diagnostics), """
        orders.csv:1:1: error[D005]: orders.csv is missing the required columns customer_id, ordered_at
          |
        1 | order_id,customerid,amount
          | ^
          = note: the columns are: order_id, customerid, amount
          = note: orders need order_id, customer_id, ordered_at and amount
          = help: did you mean `customerid` for customer_id? rename them to the required names

        """)
    }

    func testGuestOrdersAreCountedAndLeftOut() {
        let (table, report) = loadOrders("""
        order_id,customer_id,ordered_at,amount
        O1,C1,2025-03-01,5
        O2,,2025-03-01,6
        O3, ,2025-03-02,7
        """, customers: shopCustomers)
        XCTAssertEqual(table?.count, 1)
        XCTAssertEqual(report.guestOrders, 2)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "orders.csv:3:4: warning[D019]: 2 orders have no customer_id (guest orders); they are counted but left out of customer profiles",
        ])
    }

    func testOrdersOfUnknownCustomersAreCountedWithThreeExamples() {
        var text = "order_id,customer_id,ordered_at,amount\nO000001,C1,2025-03-01,5\n"
        for i in 2...6 { text += "O00000\(i),C9999\(i),2025-03-01,5\n" }
        let (table, report) = loadOrders(text, customers: shopCustomers)
        XCTAssertEqual(table?.count, 1)
        XCTAssertEqual(report.unknownCustomerOrders, 5)
        XCTAssertEqual(render(report.diagnostics), """
        orders.csv:3:9: warning[D020]: 5 orders name customers who are not in customers.csv; these orders are left out
          |
        3 | O000002,C99992,2025-03-01,5
          |         ^
          = note: orders.csv:3: order O000002 names customer C99992, who is not in customers.csv
          = note: orders.csv:4: order O000003 names customer C99993, who is not in customers.csv
          = note: orders.csv:5: order O000004 names customer C99994, who is not in customers.csv
          = note: and 2 more
          = help: add the customers to customers.csv, or check the ids in orders.csv for typos

        """)
    }

    func testNegativeAmountIsAnErrorAtItsCell() {
        let (table, report) = loadOrders("order_id,customer_id,ordered_at,amount\nO1,C1,2025-03-01,-5.00\n", customers: shopCustomers)
        XCTAssertNil(table)
        XCTAssertEqual(render(Array(report.diagnostics.prefix(1))), """
        orders.csv:2:18: error[D017]: amount -5.00 is negative: an order amount cannot be below zero
          |
        2 | O1,C1,2025-03-01,-5.00
          |                  ^
          = help: for a refund, lower or remove the original order instead

        """)
    }

    func testRowLevelOrderProblemsTableDriven() {
        let header = "order_id,customer_id,ordered_at,amount,discount\n"
        let cases: [(row: String, expected: String)] = [
            ("O1,C1,2025-02-30,5,", "orders.csv:2:7: error[D013]: ordered_at 2025-02-30 is not a date: February 2025 has 28 days"),
            ("O1,C1,2025-03-01 25:00,5,", "orders.csv:2:7: error[D013]: ordered_at `2025-03-01 25:00` is not a date and time: hours run from 00 to 23"),
            ("O1,C1,01/03/2025,5,", "orders.csv:2:7: error[D012]: ordered_at 01/03/2025 is not a date or a date and time"),
            ("O1,C1,,5,", "orders.csv:2:7: error[D014]: ordered_at is empty: every order needs a date"),
            ("O1,C1,2025-03-01,,", "orders.csv:2:18: error[D014]: amount is empty: every order needs an amount"),
            ("O1,C1,2025-03-01,¥12.50,", "orders.csv:2:18: error[D012]: amount ¥12.50 is not a number"),
            ("O1,C1,2025-03-01,\"1,200\",", "orders.csv:2:18: error[D012]: amount 1,200 is not a number"),
            ("O1,C1,2025-03-01,5,ten", "orders.csv:2:20: error[D012]: discount ten is not a number"),
            (",C1,2025-03-01,5,", "orders.csv:2:1: error[D014]: order_id is empty: every order needs an id"),
        ]
        for c in cases {
            let (table, report) = loadOrders(header + c.row + "\n", customers: shopCustomers)
            XCTAssertNil(table, c.row)
            XCTAssertEqual(report.diagnostics.first?.description, c.expected, c.row)
            XCTAssertEqual(report.diagnostics.last?.code, "D021", c.row)
        }
    }

    func testDuplicateOrderIDNamesTheFirstLine() {
        var text = "order_id,customer_id,ordered_at,amount\n"
        // More rows than one lookup batch, so the first and second are far apart.
        for i in 1...40 { text += "O\(i),C1,2025-03-01,1\n" }
        text += "O7,C2,2025-03-02,2\nO41,C2,2025-03-02,2\nO41,C3,2025-03-02,2\n"
        let (table, report) = loadOrders(text, customers: shopCustomers)
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "orders.csv:42:1: error[D016]: order O7 appears twice",
            "orders.csv:44:1: error[D016]: order O41 appears twice",
            "orders.csv:42:1: error[D021]: 2 bad rows in orders.csv, so nothing was loaded",
        ])
        guard report.diagnostics.count == 3 else { return XCTFail(render(report.diagnostics)) }
        XCTAssertEqual(report.diagnostics[0].notes, ["it first appears on line 8"])
        XCTAssertEqual(report.diagnostics[1].notes, ["it first appears on line 43"])

        let (skipped, skipReport) = loadOrders(text, customers: shopCustomers, options: LoadOptions(skipBadRows: true))
        XCTAssertEqual(skipped?.count, 41)
        XCTAssertEqual(skipReport.skippedRows, 2)
    }

    func testEveryOrderIsAccountedFor() {
        let text = """
        order_id,customer_id,ordered_at,amount
        O1,C1,2025-03-01,1
        O2,,2025-03-01,1
        O3,C404,2025-03-01,1
        O4,C2,2025-03-01,-1
        O5,C2,2025-03-01
        O6,C3,2025-03-01,2
        """
        let (table, report) = loadOrders(text, customers: shopCustomers, options: LoadOptions(skipBadRows: true))
        XCTAssertEqual(report.ordersRead, 6)
        XCTAssertEqual(table?.count, 2)
        XCTAssertEqual(report.guestOrders, 1)
        XCTAssertEqual(report.unknownCustomerOrders, 1)
        XCTAssertEqual(report.skippedRows, 2)
        XCTAssertEqual(report.ordersRead, (table?.count ?? 0) + report.guestOrders + report.unknownCustomerOrders + report.skippedRows)
    }

    func testOtherOrderColumnsAreInferred() {
        let (table, report) = loadOrders("""
        order_id,customer_id,ordered_at,amount,cups,gift,pickup_on
        O1,C1,2025-03-01,5,2,yes,2025-03-02
        O2,C2,2025-03-01,5,,no,
        """, customers: shopCustomers)
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        XCTAssertEqual(table?.columns.map(\.type), [.number, .bool, .date])
        XCTAssertEqual(table?.columns[1].value(at: 1), .bool(false))
        XCTAssertEqual(table?.columns[2].value(at: 1), .missing)
    }

    // MARK: JSON Lines

    func testCustomersFromJSONLines() {
        let (table, report) = loadCustomers("""
        {"customer_id": "C2", "name": "王小明", "points": 12, "vip_since": "2024-01-31", "sms_opt_in": true}

        {"customer_id": "C1", "name": "Ann \\"A\\"", "points": null, "sms_opt_in": false, "extra": "x"}
        """, path: "customers.jsonl")
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        XCTAssertEqual(table?.ids, ["C1", "C2"])
        XCTAssertEqual(table?.lines, [3, 1])
        XCTAssertEqual(table?.columns.map(\.name), ["name", "points", "vip_since", "sms_opt_in", "extra"])
        XCTAssertEqual(table?.columns.map(\.type), [.text, .number, .date, .bool, .text])
        XCTAssertEqual(column(table, "name")?.values, [.text("Ann \"A\""), .text("王小明")])
        XCTAssertEqual(column(table, "points")?.values, [.missing, .number(Number(12))])
        XCTAssertEqual(column(table, "vip_since")?.values[0], .missing)
        XCTAssertEqual(column(table, "extra")?.values, [.text("x"), .missing])

        let (_, list) = loadCustomers("{\"customer_id\": [\"C1\", \"C2\"]}\n", path: "customers.jsonl")
        XCTAssertEqual(list.diagnostics.first?.description,
                       "customers.jsonl:1:17: error[D012]: customer_id holds a list; it must be one id")
    }

    func testJSONLinesFieldsMayComeInAnyOrder() {
        let (table, report) = loadCustomers("""
        {"customer_id": "C1", "name": "Ann", "points": 1}
        {"points": 2, "customer_id": "C2", "name": "Bo"}
        {"name": "Cy", "customer_id": "C3"}
        {"customer_id": "C4", "city": "杭州", "na\\u006de": "Di"}
        """, path: "customers.jsonl")
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        XCTAssertEqual(table?.ids, ["C1", "C2", "C3", "C4"])
        XCTAssertEqual(table?.columns.map(\.name), ["name", "points", "city"])
        XCTAssertEqual(column(table, "name")?.values, [.text("Ann"), .text("Bo"), .text("Cy"), .text("Di")])
        XCTAssertEqual(column(table, "points")?.values, [.number(Number(1)), .number(Number(2)), .missing, .missing])
        XCTAssertEqual(column(table, "city")?.values, [.missing, .missing, .missing, .text("杭州")])
    }

    func testLineBreaksInsideACellAreEscapedInMessages() {
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (_, report) = loadCustomers("customer_id,points\nC1,\"1\n2\"\n", options: LoadOptions(schema: schema))
        XCTAssertEqual(report.diagnostics.first?.message, "points `1\\n2` is not a number")
    }

    func testOrdersFromJSONLinesKeepDecimalsExact() {
        let (table, report) = loadOrders("""
        {"order_id": "O1", "customer_id": "C1", "ordered_at": "2025-03-01T10:00", "amount": 0.1, "items": ["Oolong", " Jasmine Tea "]}
        {"order_id": "O2", "customer_id": "C1", "ordered_at": "2025-03-01T11:00", "amount": 0.2, "items": "Pu'er; Oolong"}
        {"order_id": "O3", "customer_id": null, "ordered_at": "2025-03-01", "amount": "3"}
        """, customers: shopCustomers, path: "orders.ndjson")
        XCTAssertEqual(report.diagnostics.map(\.code), ["D019"])
        guard let table else { return XCTFail("no table") }
        XCTAssertEqual(table.amount, [Number(units: 1, scale: 1), Number(units: 2, scale: 1)].compactMap { $0 })
        let sum = table.amount[0].adding(table.amount[1])
        XCTAssertEqual(sum, Number(units: 3, scale: 1))
        XCTAssertEqual(sum?.description, "0.3")
        // The strings of a JSON list are kept as written; `;`-separated names are trimmed.
        XCTAssertEqual(table.itemNames, [" Jasmine Tea ", "Oolong", "Pu'er"])
        XCTAssertEqual(table.itemIDs, [1, 0, 2, 1])
        XCTAssertEqual(report.guestOrders, 1)
    }

    func testJSONLinesProblemsNameLineAndColumn() {
        let cases: [(text: String, expected: String)] = [
            ("{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": {\"value\": 5}}",
             "orders.jsonl:1:79: error[D011]: nested objects are not supported: each line must be a flat object of fields"),
            ("{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 5, \"tags\": [\"a\"]}",
             "orders.jsonl:1:90: error[D012]: tags holds a list, but only items may"),
            ("{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": -5.5}",
             "orders.jsonl:1:79: error[D017]: amount -5.5 is negative: an order amount cannot be below zero"),
            ("{\"order_id\": [\"O1\"], \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 1}",
             "orders.jsonl:1:14: error[D012]: order_id holds a list, but only items may"),
            ("{\"order_id\": \"O1\", \"order_id\": \"O2\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 1}",
             "orders.jsonl:1:20: error[D011]: field `order_id` appears twice on this line"),
            ("{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 1e2}",
             "orders.jsonl:1:79: error[D011]: numbers with an exponent (like 1e3) are not accepted; write the number out in full"),
            ("{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 1}\n[1]",
             "orders.jsonl:2:1: error[D011]: this line is not a JSON object: each line must start with `{`"),
        ]
        for c in cases {
            let (table, report) = loadOrders(c.text, customers: shopCustomers, path: "orders.jsonl")
            XCTAssertNil(table, c.text)
            XCTAssertEqual(report.diagnostics.first?.description, c.expected, c.text)
        }
        // A line cut short by a syntax error hides the fields after it: say so first.
        let (_, cut) = loadOrders("{\"order_id\": \"O1\", \"amount\": {\"v\": 1}, \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\"}",
                                  customers: shopCustomers, path: "orders.jsonl")
        XCTAssertEqual(cut.diagnostics.map(\.code), ["D011", "D005"])
        let (_, missing) = loadOrders("{\"order_id\": \"O1\", \"amount\": 1}\n", customers: shopCustomers, path: "orders.jsonl")
        XCTAssertEqual(missing.diagnostics.first?.message, "orders.jsonl is missing the required columns customer_id, ordered_at")
        let (emptyTable, empty) = loadOrders("\n\n", customers: shopCustomers, path: "orders.jsonl")
        XCTAssertEqual(emptyTable?.count, 0)
        XCTAssertEqual(empty.diagnostics.map(\.code), ["D023"])
    }
}
