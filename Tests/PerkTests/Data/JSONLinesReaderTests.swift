import XCTest
@testable import Perk

final class JSONLinesReaderTests: XCTestCase {
    // MARK: Helpers

    private func records(_ text: String) -> (reader: JSONLinesReader, records: [JSONLineRecord]) {
        records(Array(text.utf8))
    }

    private func records(_ bytes: [UInt8]) -> (reader: JSONLinesReader, records: [JSONLineRecord]) {
        var reader = JSONLinesReader(bytes: bytes)
        var record = JSONLineRecord()
        var out: [JSONLineRecord] = []
        while reader.readRecord(into: &record) { out.append(record) }
        return (reader, out)
    }

    /// The first line's members as `key=text`, or its problem.
    private func describe(_ line: String) -> String {
        let (reader, records) = records(line)
        guard let record = records.first else { return "(no record)" }
        if let problem = record.problem {
            let p = reader.position(of: record.location(ofOffset: problem.offset))
            return "\(problem.kind)@\(p.column)"
        }
        return record.members.map { member -> String in
            let value: String
            switch member.value.kind {
            case .string: value = "\"\(reader.text(of: member.value))\""
            case .number: value = "n:" + reader.text(of: member.value)
            case .bool(let b): value = "b:\(b)"
            case .null: value = "null"
            case .stringArray: value = "[" + reader.strings(in: member.value).joined(separator: "|") + "]"
            }
            return "\(reader.text(of: member.key))=\(value)"
        }.joined(separator: " ")
    }

    // MARK: Values

    func testValuesTableDriven() {
        let cases: [(String, String)] = [
            (#"{"a": "x", "b": 12.50, "c": -3}"#, #"a="x" b=n:12.50 c=n:-3"#),
            (#"{}"#, ""),
            (#"  { "a" : true , "b":false,"c":null }  "#, "a=b:true b=b:false c=null"),
            (#"{"items": ["Oolong", "Jasmine Tea"], "none": []}"#, "items=[Oolong|Jasmine Tea] none=[]"),
            (#"{"s": "say \"hi\"\n\t\\ \/"}"#, "s=\"say \"hi\"\n\t\\ /\""),
            (#"{"s": "caf\u00e9 \ud83c\udf75"}"#, "s=\"café 🍵\""),
            (#"{"名字": "王小明"}"#, "名字=\"王小明\""),
            (#"{"n": 0, "m": 0.1, "k": 123456789012345678901234567890}"#, "n=n:0 m=n:0.1 k=n:123456789012345678901234567890"),
            (#"{"a": {"b": 1}}"#, "nestedObject@7"),
            (#"{"a": [1, 2]}"#, "nonStringInArray@8"),
            (#"{"a": [["x"]]}"#, "nonStringInArray@8"),
            (#"{"a": 1e3}"#, "exponent@7"),
            (#"{"a": 012}"#, "invalidNumber@7"),
            (#"{"a": 1.}"#, "invalidNumber@7"),
            (#"{"a": -}"#, "invalidNumber@7"),
            (#"{"a": +1}"#, "unexpected(expected: \"a value: text in double quotes, a number, true, false, null or a list\")@7"),
            (#"{"a": tru}"#, "unexpected(expected: \"a value (text values need double quotes)\")@7"),
            (#"{"a": "x" "b": 1}"#, "unexpected(expected: \"a `,` or `}` after the value\")@11"),
            (#"{"a" 1}"#, "unexpected(expected: \"a `:` after the field name\")@6"),
            (#"{a: 1}"#, "unexpected(expected: \"a field name in double quotes\")@2"),
            (#"{"a": 1"#, "unexpected(expected: \"a `,` or `}` before the end of the line\")@8"),
            (#"{"a": "open}"#, "unterminatedString@7"),
            (#"{"a": "bad \q"}"#, "invalidEscape@12"),
            (#"{"a": "\ud800"}"#, "invalidEscape@8"),
            (#"{"a": 1} x"#, "textAfterObject@10"),
            (#"[1, 2]"#, "notAnObject@1"),
            ("{\"a\": \"tab\there\"}", "controlCharacterInString@11"),
        ]
        for (input, expected) in cases {
            XCTAssertEqual(describe(input), expected, input)
        }
    }

    func testNumbersKeepTheirLiteralText() {
        let (reader, records) = records(#"{"amount": 0.10}"#)
        let value = records[0].members[0].value
        XCTAssertEqual(value.kind, .number)
        XCTAssertEqual(reader.text(of: value), "0.10")
    }

    // MARK: Lines

    func testBlankLinesAreSkippedAndLinesCounted() {
        let text = "{\"a\": 1}\n\n   \n{\"a\": 2}\r\n\t\n{\"a\": 3}"
        let (reader, records) = records(text)
        XCTAssertEqual(records.map(\.line), [1, 4, 6])
        XCTAssertEqual(records.map { reader.text(of: $0.members[0].value) }, ["1", "2", "3"])
        XCTAssertTrue(records.allSatisfy { $0.problem == nil })
    }

    func testByteOrderMarkIsSkipped() {
        let (_, records) = records([0xEF, 0xBB, 0xBF] + Array(#"{"a": 1}"#.utf8))
        XCTAssertEqual(records.count, 1)
        XCTAssertNil(records[0].problem)
    }

    func testProblemPositionsNameLineAndCharacterColumn() {
        let (reader, records) = records("{\"a\": 1}\n{\"名字\": \"王\", \"b\": {}}\n")
        let record = records[1]
        XCTAssertEqual(record.problem?.kind, .nestedObject)
        let p = reader.position(of: record.location(ofOffset: record.problem?.offset ?? 0))
        XCTAssertEqual(p.line, 2)
        XCTAssertEqual(p.column, 18)
        XCTAssertEqual(p.lineText, "{\"名字\": \"王\", \"b\": {}}")
    }

    func testInvalidUTF8AndNulBytes() {
        let bad = records(Array(#"{"a": "x"#.utf8) + [0xC3, 0x28] + Array(#""}"#.utf8))
        XCTAssertEqual(bad.records[0].problem?.kind, .invalidUTF8)
        XCTAssertEqual(bad.reader.position(of: bad.records[0].location(ofOffset: bad.records[0].problem?.offset ?? 0)).column, 9)
        let nul = records(Array(#"{"a": "x"#.utf8) + [0] + Array(#""}"#.utf8))
        XCTAssertEqual(nul.records[0].problem?.kind, .nulByte)
        let nulOutside = records(Array(#"{"a": 1,"#.utf8) + [0] + Array("}".utf8))
        XCTAssertEqual(nulOutside.records[0].problem?.kind, .nulByte)
    }

    func testNeverTrapsOrHangsOnArbitraryBytes() {
        var rng = SplitMix64(seed: 7)
        let pieces = ["{", "}", "[", "]", "\"", ":", ",", "\\", "u", "1", "-", ".", "e", "true", "null", " ", "\n", "\u{0}", "é"]
        for _ in 0..<2000 {
            var bytes: [UInt8] = []
            for _ in 0..<Int(rng.next() % 30) {
                if rng.next() % 5 == 0 {
                    bytes.append(UInt8(truncatingIfNeeded: rng.next()))
                } else {
                    bytes += Array(pieces[Int(rng.next() % UInt64(pieces.count))].utf8)
                }
            }
            var reader = JSONLinesReader(bytes: bytes)
            var record = JSONLineRecord()
            var count = 0
            while reader.readRecord(into: &record) {
                count += 1
                XCTAssertLessThanOrEqual(count, bytes.count)
                for member in record.members {
                    _ = reader.text(of: member.key)
                    _ = reader.text(of: member.value)
                    _ = reader.strings(in: member.value)
                }
                if let problem = record.problem {
                    XCTAssertLessThanOrEqual(problem.offset, bytes.count)
                    _ = reader.position(of: record.location(ofOffset: problem.offset))
                }
            }
        }
    }
}
