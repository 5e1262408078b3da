import XCTest
@testable import Perk

/// The parallel loaders take files with columns Perk does not know, of every
/// kind, and load exactly what the general loader loads: the table row by
/// row, the counts and the diagnostics. A cell that does not fit a column a
/// rule names is never passed over: the parallel loader steps aside and the
/// general loader reports it at its file, line and column.
final class UnknownColumnsFastPathTests: XCTestCase {
    // MARK: Files like a real export

    /// A cell as an export holds it: text (quoted in CSV when it must be, a
    /// string in JSON Lines), a number, nothing (an empty CSV cell, a JSON
    /// `null`), or a list of texts (JSON Lines' items; `;`-separated in CSV).
    private enum Cell {
        case text(String)
        case number(String)
        case empty
        case list([String])
    }

    /// Numbers, free text with commas, doubled quotes, Chinese and (with
    /// `lineBreaks`) line breaks in quotes, an empty column; columns shuffled,
    /// ids without zero padding, orders in time order; in CSV or JSON Lines.
    private static func files(lineBreaks: Bool, format: DataFormat = .csv) -> (customers: String, orders: String) {
        var rng = SplitMix64(seed: 16)
        func pick<T>(_ choices: [T]) -> T { choices[Int(rng.next() % UInt64(choices.count))] }
        let notes = ["", "vip \"gold\", see CRM", "café crème; 少糖", "n/a", "  spaced  ", "tab\there"]
            + (lineBreaks ? ["line one\nline two", "a, \"b\"\r\nc"] : [])
        func text(_ s: String) -> Cell { s.isEmpty ? .empty : .text(s) }
        var customers: [[(String, Cell)]] = []
        for c in 1...60 {
            customers.append([
                ("note", text(pick(notes))), ("customer_id", .text("C\(c)")),
                ("loyalty_card", .number(String(6_200_000_000_000_000 + rng.next() % 1_000_000))),
                ("tier", .text(pick(["MEMBER", "GOLD", "VIP"]))), ("empty", .empty),
                ("城市", .text(pick(["上海", "杭州", "Zürich"]))), ("sms_opt_in", pick([.number("true"), .number("false"), .empty])),
            ])
        }
        var orders: [[(String, Cell)]] = []
        var seconds = 36_000
        for o in 1...400 {
            seconds += Int(rng.next() % 900)
            let day = 1 + seconds / 86_400 % 28
            let time = String(format: "2025-03-%02dT%02d:%02d:%02d", day, seconds / 3600 % 24, seconds / 60 % 60, seconds % 60)
            orders.append([
                ("memo", text(pick(notes))), ("amount", .number("\(rng.next() % 5000 / 100).\(rng.next() % 100 / 10)0")),
                ("terminal", .number(String(1 + rng.next() % 8))),
                ("customer_id", text(pick(["C\(1 + rng.next() % 60)", "C\(1 + rng.next() % 60)", "", "C999", " C7 "]))),
                ("blank", .empty), ("ordered_at", .text(time)), ("cashier", .text(pick(["李娜", "José", "Anne, Marie"]))),
                ("order_id", .text("O\(o)")), ("items", pick([.list(["Oolong", "Taro Milk Tea"]), .list(["杨枝甘露"]), .list(["Matcha Latté"]), .empty])),
                ("external_no", .number(String(rng.next() % 1_000_000_000_000))),
            ])
        }
        return format == .csv ? (csv(customers), csv(orders)) : (jsonLines(customers), jsonLines(orders))
    }

    private static func csv(_ rows: [[(String, Cell)]]) -> String {
        func field(_ s: String) -> String {
            s.contains { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" } || s.hasPrefix(" ")
                ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
        }
        var out = rows[0].map(\.0).joined(separator: ",") + "\n"
        for row in rows {
            out += row.map { _, cell in
                switch cell {
                case .text(let s): return field(s)
                case .number(let n): return n
                case .empty: return ""
                case .list(let items): return field(items.joined(separator: ";"))
                }
            }.joined(separator: ",") + "\n"
        }
        return out
    }

    private static func jsonLines(_ rows: [[(String, Cell)]]) -> String {
        func string(_ s: String) -> String { JSON.string(s).rendered() }
        return rows.map { row in
            "{" + row.map { name, cell in
                let value: String
                switch cell {
                case .text(let s): value = string(s)
                case .number(let n): value = n
                case .empty: value = "null"
                case .list(let items): value = "[" + items.map(string).joined(separator: ", ") + "]"
                }
                return string(name) + ": " + value
            }.joined(separator: ", ") + "}\n"
        }.joined()
    }

    /// The option sets commands load with: everything (`perk simulate`, the
    /// REPL), the dates alone (`perk run` of a win-back rule), and unknown
    /// columns a rule names.
    private static let optionSets: [(String, LoadOptions)] = [
        ("every field", LoadOptions()),
        ("dates only", LoadOptions(orderFields: .only([]))),
        ("terminal and memo named", LoadOptions(orderFields: .only(["terminal", "memo", "amount"]),
                                                namedColumns: NamedColumns(customers: ["loyalty_card", "note"],
                                                                           orders: ["terminal", "memo"]))),
        ("external_no declared as text", LoadOptions(schema: SchemaDeclarations(orderColumns: ["external_no": .text],
                                                                                source: "schema.txt"))),
    ]

    private func rendered(_ report: LoadReport) -> String {
        "read \(report.customersRead) customers, \(report.ordersRead) orders, \(report.guestOrders) guests, "
            + "\(report.unknownCustomerOrders) unknown, latest \(report.latestOrderDate.map(String.init(describing:)) ?? "-")\n"
            + DiagnosticRenderer().render(report.diagnostics)
    }

    // MARK: Differential

    /// The general loader's tables and reports, in either format.
    private func general(_ files: (customers: String, orders: String), format: DataFormat, options: LoadOptions)
        -> (customers: (CustomerTable?, LoadReport), orders: (OrderTable?, LoadReport))? {
        let customerPath = format == .csv ? "customers.csv" : "customers.jsonl", orderPath = format == .csv ? "orders.csv" : "orders.jsonl"
        let customerLoad: (CustomerTable?, LoadReport)
        switch format {
        case .csv:
            var loader = CustomerLoader(source: CSVSource(bytes: Array(files.customers.utf8)), path: customerPath, options: options)
            customerLoad = loader.load()
        case .jsonLines:
            var loader = CustomerLoader(source: JSONLinesSource(bytes: Array(files.customers.utf8)), path: customerPath, options: options)
            customerLoad = loader.load()
        }
        guard let customers = customerLoad.0 else { return nil }
        switch format {
        case .csv:
            var loader = OrderLoader(source: CSVSource(bytes: Array(files.orders.utf8)), path: orderPath, customers: customers,
                                     options: options)
            return (customerLoad, loader.load())
        case .jsonLines:
            var loader = OrderLoader(source: JSONLinesSource(bytes: Array(files.orders.utf8)), path: orderPath, customers: customers,
                                     options: options)
            return (customerLoad, loader.load())
        }
    }

    func testUnknownColumnsOfEveryKindLoadAsTheGeneralLoaderLoadsThem() throws {
        for (format, lineBreaks) in [(DataFormat.csv, false), (.csv, true), (.jsonLines, false), (.jsonLines, true)] {
            let files = Self.files(lineBreaks: lineBreaks, format: format)
            let customerPath = format == .csv ? "customers.csv" : "customers.jsonl"
            let orderPath = format == .csv ? "orders.csv" : "orders.jsonl"
            for (what, options) in Self.optionSets {
                let loads = try XCTUnwrap(general(files, format: format, options: options), "\(format) \(what)")
                let (expectedCustomers, customerReport) = loads.customers
                let customers = try XCTUnwrap(expectedCustomers, rendered(customerReport))
                let (expectedOrders, orderReport) = loads.orders
                let orders = try XCTUnwrap(expectedOrders, rendered(orderReport))
                let terminal = try XCTUnwrap(orders.columns.first { $0.name == "terminal" })
                if terminal.isLoaded {
                    XCTAssertEqual(terminal.type, .number)
                    XCTAssertFalse((0..<orders.count).contains { terminal.value(at: $0).isMissing }, what)
                }
                XCTAssertGreaterThan(orderReport.guestOrders, 0)
                XCTAssertGreaterThan(orderReport.unknownCustomerOrders, 0)

                for pieces in 1...6 {
                    let context = "\(format), \(what), \(pieces) pieces\(lineBreaks ? ", line breaks in text" : "")"
                    let fastCustomers = Array(files.customers.utf8).withUnsafeBufferPointer { file in
                        var loader = ParallelCustomerLoader(file: file, path: customerPath, options: options, format: format)
                        loader.pieces = pieces
                        loader.minimumPieceBytes = 1
                        return loader.loadOrStepAside()
                    }
                    let fastOrders = Array(files.orders.utf8).withUnsafeBufferPointer { file in
                        var loader = ParallelOrderLoader(file: file, path: orderPath, customers: customers, options: options,
                                                         format: format)
                        loader.pieces = pieces
                        loader.minimumPieceBytes = 1
                        return loader.loadOrStepAside()
                    }
                    // Never aside, not even when a cut falls on a line break inside CSV
                    // quotes: the piece after it is then read again from the row's end.
                    for (loaded, kind) in [(fastCustomers.map { _ in () }, "customers"), (fastOrders.map { _ in () }, "orders")] {
                        if case .failure(let why) = loaded { XCTFail("\(kind) stepped aside (\(why)): \(context)") }
                    }
                    if case .success(let (table, report)) = fastCustomers {
                        XCTAssertEqual(table.map(TableRows.of), TableRows.of(customers), context)
                        XCTAssertEqual(rendered(report), rendered(customerReport), context)
                    }
                    if case .success(let (table, report)) = fastOrders {
                        XCTAssertEqual(table.map { TableRows.of($0, customers: customers) },
                                       TableRows.of(orders, customers: customers), context)
                        XCTAssertEqual(rendered(report), rendered(orderReport), context)
                    }
                }
            }
        }
    }

    func testTheDataLoaderSaysWhichLoaderReadEachFile() throws {
        let files = Self.files(lineBreaks: false)
        let (customers, customerReport) = DataLoader.loadCustomers(bytes: Array(files.customers.utf8), path: "customers.csv")
        XCTAssertEqual(customerReport.loads, [FileLoad(path: "customers.csv", loader: .parallel)])
        let (_, orderReport) = DataLoader.loadOrders(bytes: Array(files.orders.utf8), path: "orders.csv",
                                                     customers: try XCTUnwrap(customers))
        XCTAssertEqual(orderReport.loads, [FileLoad(path: "orders.csv", loader: .parallel)])
        // A file with a problem is the general loader's, and the report says why.
        let (_, repeated) = DataLoader.loadOrders(bytes: Array((files.orders + "x,1,1,C1,,2025-03-01,a,O1,,1\n").utf8),
                                                  path: "orders.csv", customers: try XCTUnwrap(customers))
        XCTAssertEqual(repeated.loads, [FileLoad(path: "orders.csv", loader: .general(.repeatedID))])
    }

    // MARK: A bad cell in a column a rule names

    private func write(_ files: [(String, String)]) throws -> String {
        let folder = NSTemporaryDirectory() + "perk-unknown-columns-\(UUID().uuidString)"
        try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
        addTeardownBlock { try? FileManager.default.removeItem(atPath: folder) }
        for (name, text) in files { try text.write(toFile: folder + "/" + name, atomically: true, encoding: .utf8) }
        return folder
    }

    /// Orders whose unknown `terminal` column holds numbers, but for one cell
    /// after the rows the schema step samples, in CSV or JSON Lines; and the
    /// column (in characters) where that cell starts.
    private func ordersWithAStray(_ stray: String, atRow strayRow: Int, format: DataFormat) -> (text: String, column: Int) {
        var text = format == .csv ? "memo,terminal,customer_id,ordered_at,order_id,amount\n" : ""
        var column = 0
        for i in 1...(ColumnSample.rows + 200) {
            let terminal = i == strayRow ? (format == .csv ? stray : "\"\(stray)\"") : String(i % 8 + 1)
            let row = format == .csv ? "\"a, \"\"b\"\"\",\(terminal),C\(i % 3 + 1),2025-03-01,O\(i),5\n"
                : "{\"memo\": \"a, \\\"b\\\"\", \"terminal\": \(terminal), \"customer_id\": \"C\(i % 3 + 1)\", "
                    + "\"ordered_at\": \"2025-03-01\", \"order_id\": \"O\(i)\", \"amount\": 5}\n"
            if i == strayRow, let at = row.range(of: terminal) { column = row.distance(from: row.startIndex, to: at.lowerBound) + 1 }
            text += row
        }
        return (text, column)
    }

    func testABadCellInAnUnknownColumnARuleNamesIsReportedAtItsCell() throws {
        let strayRow = ColumnSample.rows + 100
        for (format, ext) in [(DataFormat.csv, "csv"), (.jsonLines, "jsonl")] {
            let (orders, column) = ordersWithAStray("N/A", atRow: strayRow, format: format)
            let folder = try write([
                ("customers.csv", "customer_id,tier\nC1,VIP\nC2,GOLD\nC3,MEMBER\n"),
                ("orders.\(ext)", orders),
                ("named.perk", "when any(orders in last 30 days where terminal > 3) then tag \"t\"\n"),
                ("unnamed.perk", "when member.tier == VIP then tag \"t\"\n"),
            ])
            let ordersPath = folder + "/orders.\(ext)"
            let at = "orders.\(ext):\(format == .csv ? strayRow + 1 : strayRow):\(column)"
            for onlyNamed in [false, true] {
                let named = Workspace.open(Workspace.Options(rules: [folder + "/named.perk"], customers: folder + "/customers.csv",
                                                             orders: ordersPath, loadsOnlyNamedOrderFields: onlyNamed))
                XCTAssertNil(named.workspace, "never silent: the rule reads that column (\(ext))")
                let shown = DiagnosticRenderer().render(named.dataDiagnostics)
                XCTAssertTrue(shown.contains("\(at): error[D012]: terminal N/A is not a number"), shown)
            }
            // No rule names it: perk run does not read it at all, other commands read it as text and say so.
            let run = Workspace.open(Workspace.Options(rules: [folder + "/unnamed.perk"], customers: folder + "/customers.csv",
                                                       orders: ordersPath, loadsOnlyNamedOrderFields: true))
            let workspace = try XCTUnwrap(run.workspace, DiagnosticRenderer().render(run.diagnostics))
            XCTAssertEqual(run.dataDiagnostics.map(\.code), [], ext)
            XCTAssertEqual(workspace.data.report.loads.map(\.loader), [.parallel, .parallel], ext)
            let everyField = Workspace.open(Workspace.Options(rules: [folder + "/unnamed.perk"], customers: folder + "/customers.csv",
                                                              orders: ordersPath))
            XCTAssertNotNil(everyField.workspace)
            XCTAssertEqual(everyField.dataDiagnostics.map(\.code), ["D024"], ext)
            XCTAssertTrue(DiagnosticRenderer().render(everyField.dataDiagnostics).contains("\(at): warning[D024]"),
                          DiagnosticRenderer().render(everyField.dataDiagnostics))
        }
    }
}
