import Foundation
import XCTest
@testable import Perk

/// What `CSVWriter` writes reads back as the same values, in Perk's own reader
/// and in Python's `csv` module (a reader Perk did not write).
final class CSVWriterTests: XCTestCase {
    /// Values that have split rows or lost characters, each with a name for messages.
    private let values: [(name: String, value: String)] = [
        ("plain", "Oolong"),
        ("empty", ""),
        ("a comma", "Hangzhou, Xihu"),
        ("quotes", "say \"hi\""),
        ("only a quote", "\""),
        ("two quotes", "\"\""),
        ("LF", "line\nbreak"),
        ("CRLF", "line\r\nbreak"),
        ("lone CR", "line\rbreak"),
        ("only CRLF", "\r\n"),
        ("only CR", "\r"),
        ("CR then LF apart", "\r,\n"),
        ("leading space", " lead"),
        ("trailing space", "trail "),
        ("spaces both ends", "  both  "),
        ("leading tab", "\ttab"),
        ("only spaces", "   "),
        ("Chinese", "茉莉绿茶，少糖"),
        ("emoji with ZWJ", "👩‍👩‍👧‍👦 family, 👨🏽‍💻"),
        ("a quote with a combining mark", "\"\u{301}x"),
        ("a comma with a combining mark", "a,\u{301}b"),
        ("a byte order mark first", "\u{FEFF}bom"),
        ("everything", " \"Lee\",\r\nAnn 王 👩‍👩‍👧 "),
    ]

    private var rows: [[String]] {
        [["name", "value", "tail"]]
            + values.map { [$0.name, $0.value, "end"] }
            // Each value first and last in its row too, where a reader's row start and end are.
            + values.map { [$0.value, "middle", $0.value] }
    }

    private func written(_ rows: [[String]]) -> String {
        var writer = CSVWriter(header: rows[0])
        for row in rows.dropFirst() { writer.row(row) }
        return writer.text
    }

    func testEscapeQuotesWhatWouldSplitOrChangeAField() {
        let cases: [(String, String)] = [
            ("Oolong", "Oolong"),
            ("", ""),
            ("a,b", "\"a,b\""),
            ("say \"hi\"", "\"say \"\"hi\"\"\""),
            ("a\r\nb", "\"a\r\nb\""),
            ("a\rb", "\"a\rb\""),
            (" lead", "\" lead\""),
            ("trail\t", "\"trail\t\""),
            ("in side", "in side"),
            ("\"\u{301}", "\"\"\"\u{301}\""),
            ("茉莉绿茶", "茉莉绿茶"),
        ]
        for (value, expected) in cases {
            XCTAssertEqual(CSVWriter.escape(value), expected, value.debugDescription)
        }
        XCTAssertEqual(CSVWriter.line([""]), "\"\"\n", "a row of one empty field is not a blank line")
        XCTAssertEqual(CSVWriter.line(["", ""]), ",\n")
    }

    func testEveryValueRoundTripsThroughPerksReader() {
        let expected = rows
        let text = written(expected)
        var reader = CSVReader(bytes: Array(text.utf8))
        var read = [reader.header]
        var record = CSVRecord()
        while reader.readRecord(into: &record) {
            XCTAssertEqual(record.problems, [], "line \(record.line)")
            read.append(record.fields.map(reader.text(of:)))
        }
        XCTAssertEqual(read.count, expected.count, "no row split or lost")
        for (got, want) in zip(read, expected) {
            XCTAssertEqual(got, want, want[0].debugDescription)
        }
        // One column holding an empty value: a row, not a skipped blank line.
        var single = CSVReader(bytes: Array(written([["only"], [""], ["x"]]).utf8))
        var cells: [String] = []
        while single.readRecord(into: &record) { cells += record.fields.map(single.text(of:)) }
        XCTAssertEqual(cells, ["", "x"])
    }

    func testEveryValueRoundTripsThroughPythonsCSVModule() throws {
        let expected = rows + [["single column: next row is one empty field"]]
        let text = written(expected) + CSVWriter.line([""])
        let read = try Self.pythonCSV(text)
        XCTAssertEqual(read.count, expected.count + 1, "no row split or lost")
        for (got, want) in zip(read, expected + [[""]]) {
            XCTAssertEqual(got, want, want[0].debugDescription)
        }
    }

    // MARK: Python

    /// The rows Python's `csv.reader` reads from `text`, through JSON (ASCII
    /// escapes, so no byte is lost on the way back).
    static func pythonCSV(_ text: String) throws -> [[String]] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("perk-csv-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let file = dir.appendingPathComponent("written.csv"), output = dir.appendingPathComponent("rows.json")
        try Data(text.utf8).write(to: file)
        let script = """
        import csv, json, sys
        with open(sys.argv[1], newline="", encoding="utf-8") as f:
            rows = list(csv.reader(f))
        with open(sys.argv[2], "w", encoding="ascii") as out:
            json.dump(rows, out)
        """
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, file.path, output.path]
        let errors = dir.appendingPathComponent("stderr")
        _ = FileManager.default.createFile(atPath: errors.path, contents: nil)
        process.standardError = try FileHandle(forWritingTo: errors)
        do {
            try process.run()
        } catch {
            throw PythonMissing(detail: "\(error)")
        }
        process.waitUntilExit()
        let stderr = (try? String(contentsOf: errors, encoding: .utf8)) ?? ""
        if process.terminationStatus == 127 { throw PythonMissing(detail: stderr) }
        guard process.terminationStatus == 0 else {
            throw PythonFailed(status: process.terminationStatus, stderr: stderr)
        }
        return try JSONDecoder().decode([[String]].self, from: Data(contentsOf: output))
    }

    struct PythonMissing: Error, CustomStringConvertible {
        var detail: String
        var description: String {
            "python3 is needed to check CSV output against Python's csv module, and it could not be run "
                + "(install python3, or put it on PATH): \(detail)"
        }
    }

    struct PythonFailed: Error, CustomStringConvertible {
        var status: Int32
        var stderr: String
        var description: String { "python3 exited with status \(status): \(stderr)" }
    }
}

extension CSVWriterTests {
    /// The campaign journal writes customer ids through `CSVWriter.escape`; an
    /// id holding CRLF (a quoted field of the customers file) used to split
    /// its row in two, and the journal could not be read back.
    func testTheJournalReadsBackCustomerIdsWithLineBreaks() throws {
        let customersCSV = "customer_id,name,tier\n\"A\r\nB\",Lee,VIP\n\"C\rD\",Bo,VIP\n\" E \",Wu,VIP\nF,Fang,VIP\n"
        let customers = try XCTUnwrap(DataLoader.loadCustomers(bytes: Array(customersCSV.utf8), path: "customers.csv").0)
        let orders = try XCTUnwrap(DataLoader.loadOrders(bytes: Array("order_id,customer_id,ordered_at,amount\n".utf8),
                                                         path: "orders.csv", customers: customers).0)
        let source = "rule \"Hi\" when member.tier == VIP then send coupon 5 via sms limit once per customer"
        let program = try XCTUnwrap(Compiler.compile([SourceFile(path: "t.perk", text: source)],
                                                     schema: Schema(customers: customers, orders: orders)).program)
        let scratch = try PerkProcess.folder([:])
        defer { try? FileManager.default.removeItem(at: scratch) }
        let folder = JournalFolder(path: scratch.appendingPathComponent("journal").path)
        let day = LocalDate(year: 2025, month: 3, day: 1)!
        let interpreter = Interpreter(customers: customers, orders: orders)
        let (empty, _) = JournalHistory.read(folder, customers: customers)
        let plan = try ActionPlan.make(program: program, interpreter: interpreter, day: day, journal: try XCTUnwrap(empty))
        try folder.commit(plan, program: program, customers: customers)

        let (history, diagnostics) = JournalHistory.read(folder, customers: customers)
        XCTAssertEqual(diagnostics.map(\.description), [])
        let read = try XCTUnwrap(history)
        XCTAssertEqual(read.decisions.all, 4)
        XCTAssertEqual(read.decisions.ofCustomersNotInData, 0)
        for customer in customers.ids.indices {
            XCTAssertEqual(read.countedDays(rule: "Hi", customer: customer, before: day.advanced(by: 1)).map(\.day), [day],
                           customers.ids[customer].debugDescription)
        }
    }
}
