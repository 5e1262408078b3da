import XCTest
@testable import Perk

/// Opening a workspace goes schema first: the files' headers and first rows
/// (or a schema file) type the columns, the rules are checked before any row
/// loads, and the rows are then loaded against those types.
final class WorkspaceSchemaFirstTests: XCTestCase {
    private var folders: [URL] = []

    override func tearDown() {
        for folder in folders { try? FileManager.default.removeItem(at: folder) }
        folders = []
    }

    /// Opens `rule` on the files given (names ending .csv or .jsonl); `schema` is a schema file's text.
    private func open(_ rule: String, customers: (name: String, text: String), orders: (name: String, text: String)? = nil,
                      schema: String? = nil, skipBadRows: Bool = false) throws -> Workspace.Opening {
        var files = ["rule.perk": rule, customers.name: customers.text]
        if let orders { files[orders.name] = orders.text }
        if let schema { files["shop.schema"] = schema }
        let folder = try PerkProcess.folder(files)
        folders.append(folder)
        let path = { (name: String) in folder.appendingPathComponent(name).path }
        return Workspace.open(Workspace.Options(rules: [path("rule.perk")], customers: path(customers.name),
                                                orders: orders.map { path($0.name) }, schema: schema.map { _ in path("shop.schema") },
                                                skipBadRows: skipBadRows))
    }

    /// A customers CSV of `rows` rows: C1..Cn, `visits` i, `note` i, with `cell`
    /// in place of row `strayRow`'s value of `column`.
    private func customers(rows: Int, stray cell: String? = nil, at strayRow: Int = 0, in column: String = "visits") -> String {
        var text = "customer_id,visits,note,birthday\n"
        for i in 1...rows {
            var cells = ["C\(i)", "\(i)", "\(i * 2)", "1990-01-\(i % 28 + 1 < 10 ? "0" : "")\(i % 28 + 1)"]
            if i == strayRow, let cell, let c = ["customer_id", "visits", "note", "birthday"].firstIndex(of: column) { cells[c] = cell }
            text += cells.joined(separator: ",") + "\n"
        }
        return text
    }

    private func rendered(_ diagnostics: [Diagnostic]) -> String {
        DiagnosticRenderer().render(diagnostics)
    }

    // MARK: Stray cells

    func testNotANumberInAColumnARuleNamesIsADataErrorAtItsCell() throws {
        let opening = try open("when member.visits > 3 then tag \"t\"\n",
                               customers: ("customers.csv", customers(rows: 10, stray: "N/A", at: 7)))
        XCTAssertNil(opening.workspace)
        XCTAssertEqual(opening.compilation?.errorCount ?? 0, 0, "the rule is fine: the column holds numbers")
        let shown = rendered(opening.dataDiagnostics)
        XCTAssertTrue(shown.contains("customers.csv:8:4: error[D012]: visits N/A is not a number"), shown)
        XCTAssertTrue(shown.contains("declare `visits: text` in a schema file"), shown)
    }

    func testNotANumberInAColumnNoRuleNamesDoesNotStopTheRun() throws {
        let opening = try open("when member.visits > 3 then tag \"t\"\n",
                               customers: ("customers.csv", customers(rows: 10, stray: "N/A", at: 7, in: "note")))
        let workspace = try XCTUnwrap(opening.workspace, rendered(opening.diagnostics))
        XCTAssertFalse(opening.diagnostics.hasErrors, rendered(opening.diagnostics))
        // Never silent: the column is read as text, and a warning names the cell.
        let shown = rendered(opening.dataDiagnostics)
        XCTAssertTrue(shown.contains("customers.csv:8:6: warning[D024]: column `note` holds numbers in its first rows, but this cell is N/A"), shown)
        let note = try XCTUnwrap(workspace.data.customers.columnIndex(named: "note"))
        XCTAssertEqual(workspace.data.customers.columns[note].type, .text)
        XCTAssertEqual(workspace.data.customers.columns[note].values.first, .text("2"))
        XCTAssertNotNil(workspace.program)
    }

    func testASlashedBirthdayIsADataErrorWithItsFixEvenWhenNoRuleNamesIt() throws {
        let opening = try open("when member.visits > 3 then tag \"t\"\n",
                               customers: ("customers.csv", customers(rows: 10, stray: "1983/08/17", at: 4, in: "birthday")))
        XCTAssertNil(opening.workspace)
        let shown = rendered(opening.dataDiagnostics)
        XCTAssertTrue(shown.contains("customers.csv:5:8: error[D012]: birthday 1983/08/17 is not a date"), shown)
        XCTAssertTrue(shown.contains("= help: write 1983-08-17"), shown)
        // --skip-bad-rows skips it and counts it.
        let skipped = try open("when member.visits > 3 then tag \"t\"\n",
                               customers: ("customers.csv", customers(rows: 10, stray: "1983/08/17", at: 4, in: "birthday")),
                               skipBadRows: true)
        let workspace = try XCTUnwrap(skipped.workspace, rendered(skipped.diagnostics))
        XCTAssertEqual(workspace.data.customers.count, 9)
        XCTAssertEqual(workspace.data.report.skippedRows, 1)
    }

    func testAStrayAfterTheSampleIsFoundByTheLoad() throws {
        let rows = ColumnSample.rows + 500
        let named = try open("when member.visits > 3 then tag \"t\"\n",
                             customers: ("customers.csv", customers(rows: rows, stray: "N/A", at: rows - 1)))
        XCTAssertTrue(rendered(named.dataDiagnostics).contains("customers.csv:\(rows):"), rendered(named.dataDiagnostics))
        XCTAssertTrue(named.dataDiagnostics.contains { $0.code == "D012" })
        let unnamed = try open("when member.visits > 3 then tag \"t\"\n",
                               customers: ("customers.csv", customers(rows: rows, stray: "N/A", at: rows - 1, in: "note")))
        XCTAssertNotNil(unnamed.workspace)
        XCTAssertEqual(unnamed.dataDiagnostics.map(\.code), ["D024"])
    }

    // MARK: Checked before loading

    func testAnUnknownFieldFailsWithoutLoadingAnyRow() throws {
        // Every row after the header is broken; only the rule's error is reported.
        let orders = "order_id,customer_id,ordered_at,amount\n" + String(repeating: "\"broken,,,\n", count: 50)
        let opening = try open("when member.visitz > 3 then tag \"t\"\n",
                               customers: ("customers.csv", "customer_id,visits\nC1,1\nC1,oops,extra\n"),
                               orders: ("orders.csv", orders))
        XCTAssertNil(opening.data)
        XCTAssertTrue(opening.rulesStoppedTheLoad)
        XCTAssertEqual(opening.dataDiagnostics.count, 0)
        XCTAssertEqual(opening.compilation?.diagnostics.map(\.code), ["P101"])
    }

    func testAnUnknownFieldInJSONLinesFailsWithoutLoadingAnyRow() throws {
        let opening = try open("when any(orders where stor == \"A\") then tag \"t\"\n",
                               customers: ("customers.jsonl", "{\"customer_id\": \"C1\"}\n{\"customer_id\": \"C1\"}\n"),
                               orders: ("orders.jsonl", "{\"order_id\": \"O1\", \"customer_id\": \"C1\", \"ordered_at\": \"2025-03-01\", \"amount\": 5, \"store\": \"A\"}\n{nope\n"))
        XCTAssertNil(opening.data)
        XCTAssertEqual(opening.compilation?.diagnostics.map(\.code), ["P101"])
    }

    func testJSONLinesStraysAreReportedLikeCSVOnes() throws {
        var lines = ""
        for i in 1...10 { lines += "{\"customer_id\": \"C\(i)\", \"visits\": \(i == 6 ? "\"N/A\"" : "\(i)")}\n" }
        let opening = try open("when member.visits > 3 then tag \"t\"\n", customers: ("customers.jsonl", lines))
        XCTAssertNil(opening.workspace)
        XCTAssertTrue(rendered(opening.dataDiagnostics).contains("customers.jsonl:6:"), rendered(opening.dataDiagnostics))
        XCTAssertTrue(opening.dataDiagnostics.contains { $0.code == "D012" })
    }

    // MARK: Schema from the sample, or a schema file

    func testASchemaFileWinsOverTheSample() throws {
        let text = customers(rows: 10, stray: "N/A", at: 7, in: "note")
        let sampled = try open("when member.note > 3 then tag \"t\"\n", customers: ("customers.csv", text))
        XCTAssertNil(sampled.workspace, "the sample proposes numbers, and a rule reads them")
        let declared = try open("when member.note > 3 then tag \"t\"\n", customers: ("customers.csv", text), schema: "note: text\n")
        XCTAssertEqual(declared.compilation?.diagnostics.map(\.code), ["P102"], "the rule is checked against the declared text")
        XCTAssertNil(declared.data)
        let readsText = try open("when member.note == \"N/A\" then tag \"t\"\n", customers: ("customers.csv", text), schema: "note: text\n")
        XCTAssertNotNil(readsText.workspace, rendered(readsText.diagnostics))
        XCTAssertEqual(readsText.dataDiagnostics.count, 0)
    }

    func testShuffledAndExtraColumnsGetTheSlotsOfTheLoadedTables() throws {
        let customersCSV = "points,extra,customer_id,tier,birthday\n10,x,C2,GOLD,1990-01-02\n5,y,C1,VIP,\n"
        let ordersCSV = "amount,weather,customer_id,store,order_id,ordered_at,items\n5,sunny,C1,A,O1,2025-03-01,Tea\n7,rain,C2,B,O2,2025-03-02,\n"
        let opening = try open("when member.points > 3 and any(orders where weather == \"rain\") then tag \"t\"\n",
                               customers: ("customers.csv", customersCSV), orders: ("orders.csv", ordersCSV))
        let workspace = try XCTUnwrap(opening.workspace, rendered(opening.diagnostics))
        let folder = try XCTUnwrap(folders.last)
        let before = try XCTUnwrap(Schema.ofFiles(customers: folder.appendingPathComponent("customers.csv").path,
                                                  orders: folder.appendingPathComponent("orders.csv").path, declarations: nil))
        let after = Schema(customers: workspace.data.customers, orders: workspace.data.orders)
        XCTAssertEqual(before.customerFields.map(\.name), ["points", "extra", "tier", "birthday"])
        XCTAssertEqual(before.customerFields.map(\.name), after.customerFields.map(\.name))
        XCTAssertEqual(before.customerFields.map(\.slot), after.customerFields.map(\.slot))
        XCTAssertEqual(before.customerFields.map(\.type), after.customerFields.map(\.type))
        XCTAssertEqual(before.orderFields.map(\.name), after.orderFields.map(\.name))
        XCTAssertEqual(before.orderFields.map(\.slot), after.orderFields.map(\.slot))
        XCTAssertEqual(before.orderFields.map(\.type), after.orderFields.map(\.type))
        XCTAssertNil(before.itemNames)
        XCTAssertEqual(after.itemNames, ["Tea"])
    }

    func testTheColumnsAProgramReadsComeFromItsCheckedConditions() throws {
        let source = SourceFile(path: "r.perk", text: """
            define big = sum(orders.discount in last 30 days where store == "A") > 3
            rule "r"
              when member.tier >= GOLD and big and total_spend > 10 and not (favorite_item == "Tea")
              then send coupon 5 via sms
            """)
        let compilation = Compiler.compile([source], schema: Repository.sampleSchema)
        let program = try XCTUnwrap(compilation.program, DiagnosticRenderer().render(compilation.diagnostics))
        let named = program.namedColumns
        XCTAssertEqual(named.customers, ["tier", "sms_opt_in"])
        XCTAssertEqual(named.orders, ["discount", "store", "amount", "items"])
    }
}
