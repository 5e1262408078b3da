import XCTest
@testable import Perk

/// Files exported the way spreadsheets do it wrong, and files whose rows are
/// mostly bad: one message for the file saying what happened and what to do.
final class ExportMistakesTests: XCTestCase {
    // MARK: Helpers

    private func loadCustomers(_ bytes: [UInt8], path: String = "customers.csv",
                               options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        DataLoader.loadCustomers(bytes: bytes, path: path, options: options)
    }

    private func loadCustomers(_ text: String, options: LoadOptions = LoadOptions()) -> (CustomerTable?, LoadReport) {
        loadCustomers(Array(text.utf8), options: options)
    }

    private func loadOrders(_ text: String, path: String = "orders.csv", options: LoadOptions = LoadOptions()) -> (OrderTable?, LoadReport) {
        DataLoader.loadOrders(bytes: Array(text.utf8), path: path, customers: customers, options: options)
    }

    private var customers: CustomerTable {
        let (table, report) = loadCustomers("customer_id,name\nC1,Ann\nC2,Bo\n")
        XCTAssertTrue(report.diagnostics.isEmpty, render(report.diagnostics))
        return table ?? CustomerTable(source: "customers.csv", ids: [], columns: [], lines: [])
    }

    private func render(_ diagnostics: [Diagnostic]) -> String {
        DiagnosticRenderer().render(diagnostics)
    }

    /// An orders file of `count` rows whose amount and date cells are `cell(i)`.
    private func orders(_ count: Int, date: (Int) -> String = { _ in "2025-03-01" },
                        amount: (Int) -> String = { _ in "20" }) -> String {
        var text = "order_id,customer_id,ordered_at,amount\n"
        for i in 1...count { text += "O\(i),C\(i % 2 + 1),\(date(i)),\(amount(i))\n" }
        return text
    }

    // MARK: Every row bad

    func testSkippingEveryOrderFailsAndSaysTheFileIsNotWhatPerkExpects() {
        let (table, report) = loadOrders(orders(50, amount: { "x\($0)" }), options: LoadOptions(skipBadRows: true))
        XCTAssertNil(table, "an empty plan must not follow from a file with no good row")
        XCTAssertEqual(report.skippedRows, 50)
        let last = report.diagnostics.last
        XCTAssertEqual(last?.description,
                       "orders.csv:2:1: error[D029]: every row of orders.csv is bad (50 of 50), so it is not the orders file Perk expects")
        XCTAssertEqual(last?.notes.first, "the first bad row, line 2: amount x1 is not a number")
        XCTAssertFalse(last?.help?.contains("--skip-bad-rows") ?? true)
        // Nothing loaded, so the examples are errors, not warnings about skipped rows.
        XCTAssertTrue(report.diagnostics.allSatisfy { $0.severity == .error }, render(report.diagnostics))
    }

    func testEveryRowBadAsksForTheFileInItsOwnFormat() throws {
        let csv = loadOrders(orders(3, amount: { "x\($0)" }), options: LoadOptions(skipBadRows: true)).1
        XCTAssertEqual(csv.diagnostics.last?.code, "D029")
        XCTAssertTrue(csv.diagnostics.last?.help?.contains("CSV UTF-8 with commas") ?? false, csv.diagnostics.last?.help ?? "")
        var lines = ""
        for i in 1...3 { lines += "{\"order_id\": \"O\(i)\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": \"x\"}\n" }
        let jsonl = loadOrders(lines, path: "orders.jsonl", options: LoadOptions(skipBadRows: true)).1
        let help = try XCTUnwrap(jsonl.diagnostics.last?.help, render(jsonl.diagnostics))
        XCTAssertEqual(jsonl.diagnostics.last?.code, "D029", render(jsonl.diagnostics))
        XCTAssertTrue(help.contains("one JSON object per line"), help)
        XCTAssertFalse(help.contains("CSV"), help)
    }

    func testSkippingEveryCustomerFails() {
        let schema = SchemaDeclarations(customerColumns: ["points": .number], source: "shop.schema")
        let (table, report) = loadCustomers("customer_id,points\nC1,a\nC2,b\n", options: LoadOptions(skipBadRows: true, schema: schema))
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.last?.code, "D029")
        XCTAssertEqual(report.diagnostics.last?.message,
                       "every row of customers.csv is bad (2 of 2), so it is not the customers file Perk expects")
    }

    func testMostRowsBadDoesNotSuggestSkipping() throws {
        let (table, report) = loadOrders(orders(10, amount: { $0 <= 6 ? "x\($0)" : "5" }))
        XCTAssertNil(table)
        let summary = try XCTUnwrap(report.diagnostics.last)
        XCTAssertEqual(summary.code, "D021")
        XCTAssertEqual(summary.notes, ["that is 6 of 10 rows, so orders.csv is not the orders file Perk expects"])
        XCTAssertFalse(summary.help?.contains("--skip-bad-rows") ?? true, summary.help ?? "")
        // Half or fewer: skipping is still the way to go on.
        let (_, few) = loadOrders(orders(10, amount: { $0 <= 5 ? "x\($0)" : "5" }))
        XCTAssertEqual(few.diagnostics.last?.help, "fix the rows above, or load with --skip-bad-rows to leave bad rows out")
        XCTAssertEqual(few.diagnostics.last?.notes, [])
    }

    func testSkippingMostButNotAllRowsLoadsTheRestAndWarns() {
        let (table, report) = loadOrders(orders(4, amount: { $0 <= 3 ? "x\($0)" : "5" }), options: LoadOptions(skipBadRows: true))
        XCTAssertEqual(table?.count, 1)
        XCTAssertEqual(report.diagnostics.last?.code, "D021")
        XCTAssertEqual(report.diagnostics.last?.notes, ["that is 3 of 4 rows: check that this is the orders file Perk expects"])
    }

    // MARK: Cells formatted by a spreadsheet

    func testSlashedDatesAreOneMessageWithACount() throws {
        let text = orders(20, date: { $0 == 1 ? "2025-03-01" : "2025/03/\($0 < 10 ? "0" : "")\($0)" })
        let (table, report) = loadOrders(text)
        XCTAssertNil(table)
        let dates = report.diagnostics.filter { $0.code == "D027" }
        XCTAssertEqual(dates.count, 1, render(report.diagnostics))
        let d = try XCTUnwrap(dates.first)
        XCTAssertEqual(d.description,
                       "orders.csv:3:7: error[D027]: ordered_at holds dates written like 2025/03/02 in 19 rows of orders.csv; "
                           + "Perk reads dates as YYYY-MM-DD")
        XCTAssertEqual(d.notes, ["2025/03/02 is 2025-03-02"])
        XCTAssertEqual(d.help, "format the column as yyyy-mm-dd in the spreadsheet (Format Cells > Custom > yyyy-mm-dd) and export again")
        XCTAssertFalse(report.diagnostics.contains { $0.code == "D012" }, "no row error stands for a date the file message covers")
        XCTAssertEqual(report.diagnostics.last?.message, "19 bad rows in orders.csv, so nothing was loaded")
    }

    func testDayFirstDatesSayPerkDoesNotGuess() {
        let (_, report) = loadOrders(orders(3, date: { "0\($0)/03/2025 10:00" }))
        let d = report.diagnostics.first { $0.code == "D027" }
        XCTAssertEqual(d?.message, "ordered_at holds dates written like `01/03/2025 10:00` in 3 rows of orders.csv; "
                           + "Perk reads dates as YYYY-MM-DD")
        XCTAssertEqual(d?.notes, ["a date like 01/03/2025 may be 1 March or 3 January, so Perk does not guess"])
    }

    func testCurrencySignsAndThousandsSeparatorsAreOneMessageEach() {
        let text = orders(6, amount: { i in ["¥20", "$20.50", "€ 7", "\"1,234.50\"", "\"12,000\"", "5"][i - 1] })
        let (_, report) = loadOrders(text)
        let formatted = report.diagnostics.filter { $0.code == "D028" }
        XCTAssertEqual(formatted.map(\.description), [
            "orders.csv:2:18: error[D028]: amount holds amounts with a currency sign, like ¥20, in 3 rows of orders.csv",
            "orders.csv:5:18: error[D028]: amount holds numbers with thousands separators, like 1,234.50, in 2 rows of orders.csv",
        ], render(report.diagnostics))
        XCTAssertEqual(formatted.first?.help, "format the column as a plain number in the spreadsheet (Format Cells > Number, "
                           + "no currency symbol) and export again: ¥20 is 20")
        XCTAssertEqual(report.diagnostics.filter { $0.code == "D012" }.count, 0)
    }

    func testOneFormattedCellIsATypoAndKeepsItsRowError() {
        let (_, report) = loadOrders(orders(4, amount: { $0 == 2 ? "¥20" : "5" }))
        XCTAssertEqual(report.diagnostics.map(\.code), ["D012", "D021"])
        XCTAssertEqual(report.diagnostics.first?.description, "orders.csv:3:18: error[D012]: amount ¥20 is not a number")
    }

    func testOtherRowProblemsStayAsTheyAre() {
        let text = orders(6, amount: { i in i <= 3 ? "¥\(i)" : (i == 4 ? "oops" : "5") })
        let (_, report) = loadOrders(text)
        XCTAssertEqual(report.diagnostics.map(\.code), ["D028", "D012", "D021"], render(report.diagnostics))
        XCTAssertEqual(report.diagnostics[1].message, "amount oops is not a number")
        XCTAssertEqual(report.diagnostics[2].message, "4 bad rows in orders.csv, so nothing was loaded")
    }

    func testCustomerColumnsOfDatesAndNumbers() {
        let text = "customer_id,birthday,points\nC1,1983/08/17,\"1,200\"\nC2,1990/01/02,\"3,400\"\nC3,1991-01-02,5\n"
        // Declared, as a column the sample sees mostly slashed is proposed as text.
        let schema = SchemaDeclarations(customerColumns: ["birthday": .date, "points": .number], source: "shop.schema")
        let (_, report) = loadCustomers(text, options: LoadOptions(schema: schema))
        XCTAssertEqual(report.diagnostics.map(\.code), ["D027", "D028", "D021"], render(report.diagnostics))
        XCTAssertEqual(report.diagnostics.first?.notes, ["1983/08/17 is 1983-08-17"])
    }

    func testAColumnExportedWithAFormatKeepsItsTypeFromTheSample() {
        // No schema: the first rows alone say birthday holds dates and points numbers.
        var text = "customer_id,birthday,points\n"
        for i in 1...12 { text += "C\(i),1990/01/\(i + 10),\"1,2\(i + 10)\"\n" }
        let (table, report) = loadCustomers(text)
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.code), ["D027", "D028", "D021"], render(report.diagnostics))
        XCTAssertEqual(report.diagnostics[1].message, "points holds numbers with thousands separators, like 1,211, in 12 rows of customers.csv")
    }

    func testAColumnNoRuleReadsIsReadAsTextWithTheFix() {
        var text = "customer_id,joined\n"
        for i in 1...5 { text += "C\(i),0\(i)/03/2024\n" }
        let (table, report) = loadCustomers(text)
        XCTAssertEqual(table?.count, 5)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "customers.csv:2:4: warning[D024]: column `joined` holds dates written like 01/03/2024, which Perk cannot read as dates; "
                + "no rule reads it, so it is read as text",
        ])
        XCTAssertEqual(report.diagnostics.first?.help,
                       "format the column as yyyy-mm-dd in the spreadsheet (Format Cells > Custom > yyyy-mm-dd) and export again")
    }

    func testTheMistakeIsClassifiedOnlyInItsColumnType() {
        let cases: [(text: String, type: PerkType, expected: CellMistake?)] = [
            ("¥20", .number, .currencySign), ("20 €", .number, .currencySign), ("-$1,200.00", .number, .currencySign),
            ("1,234.50", .number, .thousandsSeparator), ("1,23", .number, nil), ("¥", .number, nil), ("N/A", .number, nil),
            ("2025/3/1", .date, .yearFirstDate), ("2025.03.01", .date, .yearFirstDate), ("1/3/2025", .date, .yearLastDate),
            ("2025/03/01T10:00", .datetime, .yearFirstDate), ("2025/03/01", .text, nil), ("March 1", .date, nil),
        ]
        for c in cases {
            XCTAssertEqual(CellMistake.of(c.text, type: c.type), c.expected, c.text)
        }
    }

    // MARK: Files exported wrong

    func testSemicolonSeparatedCSVIsOneMessage() {
        var text = "customer_id;name;tier\n"
        for i in 1...30 { text += "C\(i);Ann;GOLD\n" }
        let (table, report) = loadCustomers(text)
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "customers.csv:1:12: error[D025]: customers.csv separates its columns with `;`, not `,`: the header and 30 rows are written this way",
        ])
        XCTAssertTrue(report.diagnostics.first?.help?.contains("CSV UTF-8 (Comma delimited)") ?? false)
        // Orders too, and a header with commas is never taken for one.
        XCTAssertEqual(loadOrders("order_id;customer_id;ordered_at;amount\nO1;C1;2025-03-01;20\n").1.diagnostics.map(\.code), ["D025"])
        XCTAssertEqual(loadCustomers("customer_id,note\nC1,a;b\n").1.diagnostics.map(\.description), [])
    }

    func testUTF16IsOneMessageWithHowToSaveAsUTF8() {
        let text = "customer_id,name\nC1,王小明\nC2,Bo\n"
        let littleEndian: [UInt8] = [0xFF, 0xFE] + text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        let (table, report) = loadCustomers(littleEndian)
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description),
                       ["customers.csv:1:1: error[D026]: customers.csv is UTF-16LE text, not UTF-8, so none of its 3 lines can be read"])
        XCTAssertTrue(report.diagnostics.first?.help?.hasPrefix("save it as UTF-8") ?? false)
        // Without a byte-order mark, by its NUL bytes; big-endian as well.
        let bigEndian: [UInt8] = text.utf16.flatMap { [UInt8($0 >> 8), UInt8($0 & 0xFF)] }
        XCTAssertEqual(loadCustomers(bigEndian).1.diagnostics.first?.message,
                       "customers.csv is UTF-16BE text, not UTF-8, so none of its 3 lines can be read")
        // JSON Lines files are checked the same way.
        let json: [UInt8] = [0xFF, 0xFE] + "{\"customer_id\":\"C1\"}\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        XCTAssertEqual(loadCustomers(json, path: "customers.jsonl").1.diagnostics.map(\.code), ["D026"])
    }

    func testGBKIsOneMessageNamingTheFirstLineOfChineseText() {
        // 王小明 and 李雷 in GBK.
        let wang: [UInt8] = [0xCD, 0xF5, 0xD0, 0xA1, 0xC3, 0xF7]
        let li: [UInt8] = [0xC0, 0xEE, 0xC0, 0xD7]
        let bytes = Array("customer_id,name\nC1,".utf8) + wang + Array("\nC2,Bo\nC3,".utf8) + li + [0x0A]
        let (table, report) = loadCustomers(bytes)
        XCTAssertNil(table)
        XCTAssertEqual(report.diagnostics.map(\.description), [
            "customers.csv:2:4: error[D026]: customers.csv is GBK (GB18030) text, not UTF-8: 2 lines hold Chinese text Perk cannot read",
        ])
        XCTAssertTrue(report.diagnostics.first?.help?.contains("iconv -f GB18030 -t UTF-8 customers.csv") ?? false)
        // Latin-1 text is not GBK: it keeps the row error of bytes that are not UTF-8.
        let latin1 = Array("customer_id,name\nC1,caf".utf8) + [0xE9] + Array(",x\n".utf8)
        XCTAssertEqual(loadCustomers(latin1).1.diagnostics.first?.code, "D009")
        // UTF-8 Chinese text with one damaged byte pairs up as GBK too, but is
        // mostly valid UTF-8: the damaged byte keeps its row error.
        let damaged = Array("customer_id,name\nC1,王小明\nC2,李雷\nC3,".utf8) + [0xE6, 0x41] + Array("\n".utf8)
        XCTAssertEqual(loadCustomers(damaged).1.diagnostics.first?.code, "D009")
    }

    func testACleanFileIsNotTakenForAnExportMistake() {
        let (table, report) = loadCustomers("customer_id,name,city\nC1,王小明,杭州\nC2,Bo,上海\n")
        XCTAssertEqual(table?.count, 2)
        XCTAssertEqual(report.diagnostics.map(\.description), [])
    }

    // MARK: Guest orders

    func testSampleShopGuestCountIsTheOneLoadingLeavesOut() {
        let config = SampleShopConfig(customers: 50, orders: 700, seed: 7)
        let shop = DataSet.sampleShop(config)
        XCTAssertEqual(shop.report.guestOrders, config.guestOrders)
        XCTAssertEqual(shop.orders.count, config.orders - config.guestOrders)
        XCTAssertTrue(shop.summary.hasSuffix("; 7 guest orders with no customer left out"), shop.summary)
        XCTAssertEqual(DataSet.guestOrdersLeftOut(1), "1 guest order with no customer left out")
    }
}
