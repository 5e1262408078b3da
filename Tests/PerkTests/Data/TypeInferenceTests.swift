import XCTest
@testable import Perk

final class TypeInferenceTests: XCTestCase {
    func testInfersTypesTableDriven() {
        let cases: [(column: String, cells: [String], type: PerkType)] = [
            ("points", ["12", "-3", "12.50", "0", "+4", "0.5"], .number),
            ("points", ["12", "", "  7 "], .number),
            ("points", ["12", "abc"], .text),
            ("code", ["007", "012"], .text),
            ("points", ["1,200"], .text),
            ("price", ["¥12.50"], .text),
            ("big", ["1234567890123456789"], .text),
            ("birthday", ["1990-02-28", "2000-12-31", ""], .date),
            ("birthday", ["1990-02-28", "2025-02-30"], .date),
            ("birthday", ["1990-02-28", "someday"], .text),
            ("birthday", ["1990/02/28"], .text),
            ("seen_at", ["2025-03-01T14:30", "2025-03-01 09:05:59"], .datetime),
            // A plain date among date-times is midnight: the column stays date-times.
            ("seen_at", ["2025-03-01T14:30", "2025-03-01"], .datetime),
            ("seen_at", ["2025-03-01T14:30", "2025-03-01", "soon"], .text),
            ("seen_at", ["2025-03-01T14:30Z"], .text),
            ("vegan", ["true", "FALSE", "Yes", "no"], .bool),
            ("vegan", ["true", "1"], .text),
            ("name", ["王小明", "Ann"], .text),
            ("empty", ["", "", "  "], .text),
            ("empty", [], .text),
            ("tier", ["MEMBER", "SILVER", "GOLD", "VIP", ""], .enumeration(EnumType.defaultTier)),
            ("tier", ["gold", "Vip"], .enumeration(EnumType.defaultTier)),
            ("tier", ["", ""], .text),
            ("marketing_opt_in", ["yes", "no", ""], .bool),
            ("marketing_opt_in", [], .bool),
        ]
        for c in cases {
            let inferred = ColumnTypeInferrer.infer(columnName: c.column, cells: c.cells)
            XCTAssertEqual(inferred.type, c.type, "\(c.column) \(c.cells)")
            XCTAssertNil(inferred.problem, "\(c.column) \(c.cells)")
        }
    }

    func testAColumnMixingDatesAndDateTimesLoadsAsDateTimes() throws {
        let csv = "customer_id,last_login\nC1,2025-02-28 10:00\nC2,2025-02-20\nC3,2025-03-01T08:30:00\n"
        let (table, report) = DataLoader.loadCustomers(bytes: Array(csv.utf8), path: "c.csv")
        XCTAssertEqual(report.diagnostics.map(\.message), [])
        let customers = try XCTUnwrap(table)
        let column = try XCTUnwrap(customers.columnIndex(named: "last_login"))
        XCTAssertEqual(customers.columns[column].type, .datetime)
        func at(_ day: String, _ seconds: Int32) -> Value { .datetime(LocalDateTime(date: LocalDate(parsing: day)!, seconds: seconds)) }
        XCTAssertEqual(customers.columns[column].values, [at("2025-02-28", 36_000), at("2025-02-20", 0), at("2025-03-01", 30_600)])
    }

    func testTierOutsideTheDefaultOrderNamesTheFirstOffendingCell() {
        var inferrer = ColumnTypeInferrer(columnName: "tier")
        let cells = ["GOLD", "PLATINUM", "DIAMOND"]
        for (i, cell) in cells.enumerated() {
            inferrer.observe(cell, at: CellLocation(rowLine: 10 + i, rowOffset: 100 * i, offset: 100 * i + 5))
        }
        let result = inferrer.result
        XCTAssertEqual(result.problem?.kind, .tierOutsideDefaultOrder)
        XCTAssertEqual(result.problem?.text, "PLATINUM")
        XCTAssertEqual(result.problem?.location, CellLocation(rowLine: 11, rowOffset: 100, offset: 105))
        XCTAssertNotEqual(result.type, .enumeration(EnumType.defaultTier))
    }

    func testOptInColumnsMustBeBoolean() {
        let result = ColumnTypeInferrer.infer(columnName: "sms_opt_in", cells: ["yes", "maybe", "no", "later"])
        XCTAssertEqual(result.type, .bool)
        XCTAssertEqual(result.problem?.kind, .optInNotBoolean)
        XCTAssertEqual(result.problem?.text, "maybe")
        XCTAssertEqual(result.problem?.location.rowLine, 3)
    }

    func testOnlyTheExactNameTierIsSpecial() {
        XCTAssertEqual(ColumnTypeInferrer.infer(columnName: "tier_note", cells: ["PLATINUM"]).type, .text)
        XCTAssertNil(ColumnTypeInferrer.infer(columnName: "tier_note", cells: ["PLATINUM"]).problem)
        XCTAssertEqual(ColumnTypeInferrer.infer(columnName: "opt_in_note", cells: ["maybe"]).type, .text)
    }

    // MARK: Parsing cells

    private func parse<T>(_ text: String, _ parser: (UnsafeBufferPointer<UInt8>) -> T) -> T {
        var text = text
        return text.withUTF8 { parser($0) }
    }

    private static func reason(_ failure: CellParser.Failure) -> String? {
        if case .impossible(let impossibility) = failure { return DataProblem.why(impossibility) }
        return nil
    }

    func testImpossibleDatesSayWhy() {
        // The reason in words (`DataProblem.why`), or nil for a cell that does not look like a date.
        let cases: [(String, String?)] = [
            ("2025-02-30", "February 2025 has 28 days"),
            ("2024-02-30", "February 2024 has 29 days"),
            ("2025-04-31", "April 2025 has 30 days"),
            ("2025-13-01", "there is no month 13; months run from 01 to 12"),
            ("2025-00-10", "there is no month 0; months run from 01 to 12"),
            ("2025-01-00", "days of the month start at 01"),
            ("0000-01-01", "years start at 0001"),
            ("2025-1-01", nil),
        ]
        for (text, reason) in cases {
            switch parse(text, CellParser.date) {
            case .success(let date): XCTFail("\(text) parsed as \(date)")
            case .failure(let f): XCTAssertEqual(Self.reason(f), reason, text)
            }
        }
        XCTAssertEqual(try? parse("2024-02-29", CellParser.date).get(), LocalDate(year: 2024, month: 2, day: 29))
    }

    func testDateTimesAndTimesOfDay() {
        XCTAssertEqual(try? parse("2025-03-01 14:30", CellParser.dateTime).get().seconds, 14 * 3600 + 30 * 60)
        XCTAssertEqual(try? parse("2025-03-01T23:59:59", CellParser.dateTime).get().seconds, 86399)
        XCTAssertEqual(parse("2025-03-01T24:00", CellParser.dateTime).failure.flatMap(Self.reason), "hours run from 00 to 23")
        XCTAssertEqual(parse("2025-03-01T10:60", CellParser.dateTime).failure.flatMap(Self.reason), "minutes run from 00 to 59")
        XCTAssertEqual(parse("2025-02-29T10:00", CellParser.dateTime).failure.flatMap(Self.reason), "February 2025 has 28 days")
        let dateOnly = try? parse("2025-03-01", CellParser.dateOrDateTime).get()
        XCTAssertEqual(dateOnly?.seconds, -1)
        XCTAssertEqual(dateOnly?.day, LocalDate(year: 2025, month: 3, day: 1)?.day)
    }

    func testNumbersAreExactDecimals() {
        let cases: [(String, Number?)] = [
            ("12", Number(12)), ("-3", Number(-3)), ("+4", Number(4)), ("12.50", Number(units: 125, scale: 1)),
            ("0.1", Number(units: 1, scale: 1)), (".5", Number(units: 5, scale: 1)), ("0.000", Number(0)),
            ("1,200", nil), ("12.5.0", nil), ("", nil), ("-", nil), ("¥5", nil), ("1e3", nil),
        ]
        for (text, expected) in cases {
            XCTAssertEqual(try? parse(text, CellParser.number).get(), expected, text)
        }
        XCTAssertEqual(parse("123456789012345678901", CellParser.number).failure.flatMap(Self.reason), "it has too many digits to be exact")
        var cache = DecimalCache()
        for _ in 0..<3 {
            XCTAssertEqual(try? parse("19.90", { cache.number($0) }).get(), Number(units: 199, scale: 1))
            XCTAssertEqual(try? parse("0.90", { cache.number($0) }).get(), Number(units: 9, scale: 1))
        }
    }
}

extension Result {
    var failure: Failure? {
        if case .failure(let f) = self { return f }
        return nil
    }
}
