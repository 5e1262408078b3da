import XCTest
@testable import Perk

/// The first step of a load: column names and types proposed from the first rows.
final class ColumnSampleTests: XCTestCase {
    private func proposal(_ cells: [String], column: String = "x") -> PerkType {
        var inferrer = ColumnTypeInferrer(columnName: column)
        for (i, cell) in cells.enumerated() { inferrer.observe(cell, at: CellLocation(rowLine: i + 2, rowOffset: 0, offset: 0)) }
        return inferrer.proposal.type
    }

    func testAFewStraysDoNotTurnAColumnIntoText() {
        XCTAssertEqual(proposal(["1", "2", "N/A"]), .number)
        XCTAssertEqual(proposal(["1990-01-01", "1983/08/17", "1990-02-01"]), .date)
        XCTAssertEqual(proposal(Array(repeating: "5", count: 40) + ["a", "b"]), .number, "two in 42 is one in twenty")
        XCTAssertEqual(proposal(Array(repeating: "5", count: 40) + ["a", "b", "c"]), .text)
        XCTAssertEqual(proposal(["1", "N/A"]), .text, "two values are too few to call one a stray")
        XCTAssertEqual(proposal(["12", "007", "13", "14"]), .text, "a leading zero marks codes")
        XCTAssertEqual(proposal(["", " ", ""]), .text)
    }

    func testTheSampleReadsTheFirstRowsOnly() {
        var csv = "customer_id,n\n"
        for i in 1...(ColumnSample.rows + 100) { csv += "C\(i),\(i <= ColumnSample.rows ? "\(i)" : "x")\n" }
        let sample = Array(csv.utf8).withUnsafeBufferPointer { ColumnSample.of(file: $0, format: .csv) }
        XCTAssertEqual(sample.rowsRead, ColumnSample.rows)
        XCTAssertEqual(sample.proposed["n"]?.type, .number)
        XCTAssertTrue(sample.headerIsUsable)
    }

    func testAColumnEmptyAtTheTopIsSampledFurther() {
        var csv = "customer_id,late\n"
        for i in 1...(ColumnSample.rows + 100) { csv += "C\(i),\(i > ColumnSample.rows ? "2025-01-01" : "")\n" }
        let sample = Array(csv.utf8).withUnsafeBufferPointer { ColumnSample.of(file: $0, format: .csv) }
        XCTAssertEqual(sample.proposed["late"]?.type, .date)
    }

    func testJSONLinesColumnsAreTheSampledKeys() {
        let jsonl = "{\"customer_id\": \"C1\", \"points\": 3}\n{\"customer_id\": \"C2\", \"city\": \"Hangzhou\"}\n"
        let sample = Array(jsonl.utf8).withUnsafeBufferPointer { ColumnSample.of(file: $0, format: .jsonLines) }
        XCTAssertEqual(sample.names, ["customer_id", "points", "city"])
        XCTAssertEqual(sample.proposed["points"]?.type, .number)
    }

    func testDateFixes() {
        XCTAssertEqual(DateFix.rewritten("1983/08/17"), "1983-08-17")
        XCTAssertEqual(DateFix.rewritten("1983.8.7"), "1983-08-07")
        XCTAssertNil(DateFix.rewritten("17/08/1983"))
        XCTAssertNil(DateFix.rewritten("1983/02/30"))
    }
}
