import XCTest
@testable import Perk

/// Text written in quotes (a CSV field or a JSON string) is kept exactly as
/// written, spaces included; spaces around a bare CSV cell are not part of
/// it. Numbers, dates, booleans and tiers ignore spaces wherever they are.
/// Every loader agrees: the general ones and the parallel ones.
final class QuotedSpacesTests: XCTestCase {
    /// One value of a text column: as a CSV cell, as a JSON value, and what it reads as.
    private let names: [(csv: String, json: String, expected: String)] = [
        (#"" lead""#, #"" lead""#, #"" lead""#),
        (#""trail ""#, #""trail ""#, #""trail ""#),
        (#""  both  ""#, #""  both  ""#, #""  both  ""#),
        ("\"\tTab\"", #""\tTab""#, #""\tTab""#),
        (#"" 王 小明 ""#, #"" 王 小明 ""#, #"" 王 小明 ""#),
        (#"" 👩‍👩‍👧 ""#, #"" 👩‍👩‍👧 ""#, #"" 👩‍👩‍👧 ""#),
        (#""a ""b"" ""#, #""a \"b\" ""#, #""a \"b\" ""#),
        (#"" lead""#, #""\u0020lead""#, #"" lead""#),
        ("  bare  ", #""bare""#, #""bare""#),
        (#""  ""#, #""  ""#, "missing"),
        ("", "null", "missing"),
    ]

    private func render(_ diagnostics: [Diagnostic]) -> String { DiagnosticRenderer().render(diagnostics) }

    private func csvCustomers(withEscapes: Bool) -> String {
        "customer_id,name,tier,points\n" + names.enumerated().filter { withEscapes || !$0.element.csv.contains("\"\"b") }
            .map { k, c in "C\(k),\(c.csv),\(k % 2 == 0 ? "\" VIP \"" : "GOLD "),\(k % 3 == 0 ? "\" 12 \"" : " 3.5")" }
            .joined(separator: "\n") + "\n"
    }

    private var jsonCustomers: String {
        names.enumerated().map { k, c in
            #"{"customer_id": "C\#(k)", "name": \#(c.json), "tier": \#(k % 2 == 0 ? #"" VIP ""# : #""GOLD""#), "#
                + #""points": \#(k % 3 == 0 ? #"" 12 ""# : "3.5")}"#
        }.joined(separator: "\n") + "\n"
    }

    private func expectedCustomers(skippingEscapes: Bool = false) -> [String] {
        names.enumerated().filter { !skippingEscapes || !$0.element.csv.contains("\"\"b") }.map { k, c in
            "line 0: \"C\(k)\" name=\(c.expected) tier=\(k % 2 == 0 ? "VIP" : "GOLD") points=\(k % 3 == 0 ? "12" : "3.5")"
        }.sorted()
    }

    /// Rows without their line, sorted, to compare files whose lines differ.
    private func unlined(_ rows: [String]) -> [String] {
        rows.map { "line 0" + $0[$0.firstIndex(of: ":")!...] }.sorted()
    }

    func testCustomersTextKeepsQuotedSpacesInEveryLoader() throws {
        for (text, path) in [(csvCustomers(withEscapes: true), "customers.csv"), (jsonCustomers, "customers.jsonl")] {
            let (table, report) = DataLoader.loadCustomers(bytes: Array(text.utf8), path: path)
            XCTAssertEqual(render(report.diagnostics), "", path)
            XCTAssertEqual(table?.columns.map(\.type), [.text, .enumeration(.defaultTier), .number], path)
            XCTAssertEqual(unlined(table.map(TableRows.of) ?? []), expectedCustomers(), path)
        }
        // The parallel loader on its own, in one piece and in several.
        for withEscapes in [true, false] {
            let text = csvCustomers(withEscapes: withEscapes)
            for pieces in 1...3 {
                let loaded = try XCTUnwrap(Array(text.utf8).withUnsafeBufferPointer { file -> (CustomerTable?, LoadReport)? in
                    var loader = ParallelCustomerLoader(file: file, path: "customers.csv", options: LoadOptions())
                    loader.pieces = pieces
                    loader.minimumPieceBytes = 1
                    return loader.load()
                }, "\(pieces) pieces")
                XCTAssertEqual(unlined(loaded.0.map(TableRows.of) ?? []), expectedCustomers(skippingEscapes: !withEscapes),
                               "parallel loader, \(pieces) pieces")
            }
        }
    }

    func testADeclaredTextColumnKeepsQuotedSpacesToo() {
        let schema = SchemaDeclarations(customerColumns: ["code": .text, "points": .number], source: "shop.schema")
        let (table, report) = DataLoader.loadCustomers(bytes: Array("customer_id,code,points\nC1,\" 007 \",\" 7 \"\nC2, 8 ,8\n".utf8),
                                                       path: "customers.csv", options: LoadOptions(schema: schema))
        XCTAssertEqual(render(report.diagnostics), "")
        XCTAssertEqual(table.map(TableRows.of), [#"line 2: "C1" code=" 007 " points=7"#, #"line 3: "C2" code="8" points=8"#])
    }

    // MARK: Orders

    private let customersCSV = "customer_id,name\nC1,Ann\nC2,Bo\n"

    func testOrderItemsAndStoresKeepQuotedSpacesInEveryLoader() throws {
        let customers = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0)
        let csv = """
        order_id,customer_id,ordered_at,amount,items,store
        O1,C1," 2025-03-01 ", 12.50 ," Oolong ; Jasmine Green Tea ",\" Xihu\"
        O2,C2,2025-03-02," 8 ",Taro, Binjiang 
        O3,C1,2025-03-03 10:30,5,"  ","  "
        O4," C2",2025-03-04,1,Oolong,Xihu

        """
        let jsonl = """
        {"order_id": "O1", "customer_id": "C1", "ordered_at": " 2025-03-01 ", "amount": " 12.50 ", "items": " Oolong ; Jasmine Green Tea ", "store": " Xihu"}
        {"order_id": "O2", "customer_id": "C2", "ordered_at": "2025-03-02", "amount": " 8 ", "items": ["Taro"], "store": "Binjiang"}
        {"order_id": "O3", "customer_id": "C1", "ordered_at": "2025-03-03 10:30", "amount": 5, "items": [" Oolong ", "  "], "store": "  "}
        {"order_id": "O4", "customer_id": " C2", "ordered_at": "2025-03-04", "amount": 1, "items": "Oolong", "store": "Xihu"}

        """
        let expected = [
            #"line 2: "C1" day=20148 seconds=-1 amount=12.5 items=["Oolong", "Jasmine Green Tea"] store=" Xihu""#,
            #"line 4: "C1" day=20150 seconds=37800 amount=5 items=[] store=missing"#,
            #"line 3: "C2" day=20149 seconds=-1 amount=8 items=["Taro"] store="Binjiang""#,
        ]
        for (text, path, rows) in [(csv, "orders.csv", expected), (jsonl, "orders.jsonl", expected.map {
            // Lines count from 1 without a header, and a JSON list's strings are kept as written.
            $0.replacingOccurrences(of: "line 2:", with: "line 1:").replacingOccurrences(of: "line 3:", with: "line 2:")
                .replacingOccurrences(of: "line 4:", with: "line 3:")
                .replacingOccurrences(of: "items=[] store=missing", with: "items=[\" Oolong \"] store=missing")
        })] {
            let (table, report) = DataLoader.loadOrders(bytes: Array(text.utf8), path: path, customers: customers)
            XCTAssertEqual(table.map { TableRows.of($0, customers: customers) }, rows, path)
            // The quoted ` C2` is not customer C2, and the warning shows its spaces.
            XCTAssertEqual(report.unknownCustomerOrders, 1, path)
            XCTAssertEqual(report.diagnostics.map(\.code), ["D020"], path)
            XCTAssertTrue(report.diagnostics.first?.notes.first?.contains("names customer ` C2`") ?? false, render(report.diagnostics))
        }
        for pieces in 1...3 {
            let loaded = try XCTUnwrap(Array(csv.utf8).withUnsafeBufferPointer { file -> (OrderTable?, LoadReport)? in
                var loader = ParallelOrderLoader(file: file, path: "orders.csv", customers: customers, options: LoadOptions())
                loader.pieces = pieces
                loader.minimumPieceBytes = 1
                return loader.load()
            }, "\(pieces) pieces")
            XCTAssertEqual(loaded.0.map { TableRows.of($0, customers: customers) }, expected, "parallel loader, \(pieces) pieces")
        }
    }

    /// A CSV written by Perk reads back through Perk's loader as the same text.
    func testWhatTheCSVWriterWritesLoadsBackExactly() throws {
        let values = [" lead", "trail ", "  both  ", "Lee\r\nAnn", "a \"b\", c", "茉莉 ", "👩‍👩‍👧 ", "plain"]
        var writer = CSVWriter(header: ["customer_id", "name"])
        for (k, value) in values.enumerated() { writer.row(["C\(k)", value]) }
        let table = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(writer.text.utf8), path: "customers.csv").0)
        XCTAssertEqual(table.columns[0].values, values.map(Value.text))
    }
}
