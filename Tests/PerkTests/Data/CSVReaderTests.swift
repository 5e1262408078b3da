import XCTest
@testable import Perk

final class CSVReaderTests: XCTestCase {
    // MARK: Helpers

    /// Every record after the header, as decoded fields.
    private func rows(_ bytes: [UInt8]) -> (reader: CSVReader, rows: [[String]], records: [CSVRecord]) {
        var reader = CSVReader(bytes: bytes)
        var record = CSVRecord()
        var rows: [[String]] = []
        var records: [CSVRecord] = []
        while reader.readRecord(into: &record) {
            rows.append(record.fields.map { reader.text(of: $0) })
            records.append(record)
        }
        return (reader, rows, records)
    }

    private func rows(_ text: String) -> (reader: CSVReader, rows: [[String]], records: [CSVRecord]) {
        rows(Array(text.utf8))
    }

    private func position(_ reader: CSVReader, _ record: CSVRecord, field: Int) -> (Int, Int) {
        let p = reader.position(of: record.location(of: record.fields[field]))
        return (p.line, p.column)
    }

    // MARK: Splitting

    func testSplitsFieldsTableDriven() {
        let cases: [(name: String, input: String, header: [String], rows: [[String]])] = [
            ("plain", "a,b\n1,2\n", ["a", "b"], [["1", "2"]]),
            ("no final newline", "a,b\n1,2", ["a", "b"], [["1", "2"]]),
            ("quoted comma", "a,b\n\"x, y\",2\n", ["a", "b"], [["x, y", "2"]]),
            ("escaped quotes", "a,b\n\"say \"\"hi\"\"\",2\n", ["a", "b"], [["say \"hi\"", "2"]]),
            ("empty quoted", "a,b\n\"\",2\n", ["a", "b"], [["", "2"]]),
            ("empty fields", "a,b,c\n,,\n", ["a", "b", "c"], [["", "", ""]]),
            ("CRLF", "a,b\r\n1,2\r\n3,4\r\n", ["a", "b"], [["1", "2"], ["3", "4"]]),
            ("lone CR", "a,b\r1,2\r", ["a", "b"], [["1", "2"]]),
            ("blank lines skipped", "a,b\n\n1,2\n\r\n3,4\n\n", ["a", "b"], [["1", "2"], ["3", "4"]]),
            ("embedded newline", "a,b\n\"line1\nline2\",2\n", ["a", "b"], [["line1\nline2", "2"]]),
            ("embedded CRLF", "a,b\r\n\"x\r\ny\",2\r\n", ["a", "b"], [["x\r\ny", "2"]]),
            ("chinese", "名字,城市\n王小明,上海\n", ["名字", "城市"], [["王小明", "上海"]]),
            ("spaces after closing quote", "a,b\n\"x, y\"  ,2\n", ["a", "b"], [["x, y", "2"]]),
        ]
        for c in cases {
            let (reader, rows, records) = rows(c.input)
            XCTAssertEqual(reader.header, c.header, c.name)
            XCTAssertEqual(rows, c.rows, c.name)
            XCTAssertTrue(records.allSatisfy { $0.problems.isEmpty }, "\(c.name): \(records.map(\.problems))")
        }
    }

    func testByteOrderMarkIsSkipped() {
        let (reader, rows, records) = rows([0xEF, 0xBB, 0xBF] + Array("customer_id,name\nC1,Ann\n".utf8))
        XCTAssertEqual(reader.header, ["customer_id", "name"])
        XCTAssertEqual(rows, [["C1", "Ann"]])
        // The header's first column starts at column 1, not after three invisible bytes.
        let header = reader.headerRecord
        XCTAssertEqual(reader.position(of: header.location(of: header.fields[0])).column, 1)
        XCTAssertEqual(position(reader, records[0], field: 1).0, 2)
    }

    func testLineNumbersStayRightAfterEmbeddedNewlines() {
        let text = "id,note\n1,\"two\nlines\"\n2,\"three\nmore\nlines\"\n3,last\n"
        let (_, rows, records) = rows(text)
        XCTAssertEqual(rows.map { $0[0] }, ["1", "2", "3"])
        XCTAssertEqual(records.map(\.line), [2, 4, 7])
    }

    func testFieldPositionsCountCharactersNotBytes() {
        let (reader, _, records) = rows("名字,城市,积分\n王小明,\"上海\",12\n")
        XCTAssertEqual(position(reader, records[0], field: 0).1, 1)
        XCTAssertEqual(position(reader, records[0], field: 1).1, 5)
        XCTAssertEqual(position(reader, records[0], field: 2).1, 10)
        XCTAssertEqual(reader.position(of: records[0].location(of: records[0].fields[2])).lineText, "王小明,\"上海\",12")
    }

    func testFieldAfterEmbeddedNewlineIsOnItsPhysicalLine() {
        let (reader, _, records) = rows("a,b,c\n\"x\ny\",z,w\n")
        let p = reader.position(of: records[0].location(of: records[0].fields[1]))
        XCTAssertEqual(p.line, 3)
        XCTAssertEqual(p.column, 4)
        XCTAssertEqual(p.lineText, "y\",z,w")
    }

    func testLineTextIsCutTo300Characters() {
        let long = String(repeating: "茶", count: 500)
        let (reader, _, records) = rows("a,b\n\(long),x\n")
        let text = reader.position(of: records[0].location(of: records[0].fields[1])).lineText
        XCTAssertEqual(text.count, 300)
        XCTAssertEqual(text.last, "…")
        XCTAssertEqual(reader.position(of: records[0].location(of: records[0].fields[1])).column, 502)
        let exact = String(repeating: "a", count: 300)
        let (reader2, _, records2) = rows("a\n\(exact)\n")
        XCTAssertEqual(reader2.position(of: records2[0].location(of: records2[0].fields[0])).lineText, exact)
    }

    // MARK: Problems

    func testUnterminatedQuoteIsReportedAtTheOpeningQuote() {
        let (reader, _, records) = rows("a,b\n1,2\n3,\"never closed\n4,5\n")
        XCTAssertEqual(records.count, 2)
        XCTAssertTrue(records[0].problems.isEmpty)
        let problem = records[1].problems.first
        XCTAssertEqual(problem?.kind, .unterminatedQuote)
        let p = reader.position(of: records[1].location(ofOffset: problem?.offset ?? -1))
        XCTAssertEqual(p.line, 3)
        XCTAssertEqual(p.column, 3)
        XCTAssertTrue(reader.reachedEnd)
    }

    func testStrayQuoteInUnquotedField() {
        let (reader, rows, records) = rows("a,b\n5\" pot,2\n")
        XCTAssertEqual(rows, [["5\" pot", "2"]])
        XCTAssertEqual(records[0].problems.map(\.kind), [.strayQuote])
        let p = reader.position(of: records[0].location(ofOffset: records[0].problems[0].offset))
        XCTAssertEqual(p.column, 2)
    }

    func testTextAfterClosingQuote() {
        let (_, _, records) = rows("a,b\n\"abc\"def,2\n")
        XCTAssertEqual(records[0].problems.map(\.kind), [.textAfterClosingQuote])
        XCTAssertEqual(records[0].fields.count, 2)
    }

    func testWrongFieldCountNamesExpectedAndFound() {
        let (reader, _, records) = rows("a,b,c\n1,2\n1,2,3,4\n1,2,3\n")
        XCTAssertEqual(records[0].problems.map(\.kind), [.wrongFieldCount(expected: 3, found: 2)])
        XCTAssertEqual(records[1].problems.map(\.kind), [.wrongFieldCount(expected: 3, found: 4)])
        XCTAssertTrue(records[2].problems.isEmpty)
        // Too many fields: pointed at the first extra one.
        let p = reader.position(of: records[1].location(ofOffset: records[1].problems[0].offset))
        XCTAssertEqual(p.line, 3)
        XCTAssertEqual(p.column, 7)
    }

    func testInvalidUTF8IsReportedWithLineAndColumn() {
        let bytes = Array("a,b\n王,x".utf8) + [0xFF] + Array("y\n".utf8)
        let (reader, _, records) = rows(bytes)
        XCTAssertEqual(records[0].problems.map(\.kind), [.invalidUTF8])
        let p = reader.position(of: records[0].location(ofOffset: records[0].problems[0].offset))
        XCTAssertEqual(p.line, 2)
        XCTAssertEqual(p.column, 4)
    }

    func testTruncatedAndOverlongUTF8AreInvalid() {
        let cases: [[UInt8]] = [[0xE4, 0xB8], [0xC0, 0xAF], [0xED, 0xA0, 0x80], [0xF5, 0x80, 0x80, 0x80], [0x80]]
        for bad in cases {
            let (_, _, records) = rows(Array("a\n".utf8) + bad + Array("\n".utf8))
            XCTAssertEqual(records.first?.problems.first?.kind, .invalidUTF8, "\(bad)")
        }
    }

    func testNulByte() {
        let (reader, _, records) = rows(Array("a,b\n1,".utf8) + [0] + Array("2\n".utf8))
        XCTAssertEqual(records[0].problems.map(\.kind), [.nulByte])
        XCTAssertEqual(reader.position(of: records[0].location(ofOffset: records[0].problems[0].offset)).column, 3)
    }

    func testEmptyFileAndHeaderOnly() {
        let empty = rows("")
        XCTAssertFalse(empty.reader.hasHeader)
        XCTAssertEqual(empty.rows.count, 0)
        let bomOnly = rows([0xEF, 0xBB, 0xBF])
        XCTAssertFalse(bomOnly.reader.hasHeader)
        let headerOnly = rows("a,b\n")
        XCTAssertTrue(headerOnly.reader.hasHeader)
        XCTAssertEqual(headerOnly.reader.header, ["a", "b"])
        XCTAssertEqual(headerOnly.rows.count, 0)
    }

    func testRewindReadsTheSameRecordsAgain() {
        var reader = CSVReader(bytes: Array("a\n1\n\"2\n3\"\n4\n".utf8))
        var record = CSVRecord()
        var first: [Int] = []
        while reader.readRecord(into: &record) { first.append(record.line) }
        reader.rewind()
        var second: [Int] = []
        while reader.readRecord(into: &record) { second.append(record.line) }
        XCTAssertEqual(first, [2, 3, 5])
        XCTAssertEqual(second, first)
    }

    /// Random bytes, weighted towards CSV's special characters: the reader must
    /// always finish, and every offset it reports must be inside the file.
    func testNeverTrapsOrHangsOnArbitraryBytes() {
        var rng = SplitMix64(seed: 42)
        let alphabet: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: "\""), UInt8(ascii: "\n"), UInt8(ascii: "\r"),
                                 UInt8(ascii: "a"), 0, 0xE4, 0xB8, 0xAD, 0xFF, 0xEF, 0xBB, 0xBF]
        for _ in 0..<2000 {
            let length = Int(rng.next() % 40)
            let bytes = (0..<length).map { _ in
                rng.next() % 3 == 0 ? UInt8(truncatingIfNeeded: rng.next()) : alphabet[Int(rng.next() % UInt64(alphabet.count))]
            }
            var reader = CSVReader(bytes: bytes)
            var record = CSVRecord()
            var count = 0
            while reader.readRecord(into: &record) {
                count += 1
                XCTAssertLessThanOrEqual(count, bytes.count + 1)
                for field in record.fields {
                    XCTAssertTrue(field.start <= field.end && field.end <= bytes.count)
                    _ = reader.text(of: field)
                    _ = reader.position(of: record.location(of: field))
                }
                for problem in record.problems { XCTAssertTrue(problem.offset <= bytes.count) }
            }
        }
    }
}
