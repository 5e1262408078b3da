import XCTest
@testable import Perk

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) -> [String] {
        Lexer.tokenize(SourceFile(path: "t.perk", text: source)).dropLast().map { t in
            switch t.kind {
            case .word: return "w:\(t.text)"
            case .number: return "n:\(t.text)"
            case .percent: return "p:\(t.text)"
            case .string: return "s:\(t.text)"
            case .date: return "d:\(t.text)"
            case .symbol: return t.text
            case .error(let m): return "error:\(m)"
            case .end: return "end"
            }
        }
    }

    func testTokens() {
        let cases: [(String, [String])] = [
            ("member.tier == VIP", ["w:member", ".", "w:tier", "==", "w:VIP"]),
            ("days_since_visit > 30", ["w:days_since_visit", ">", "n:30"]),
            ("send coupon 15% max 10", ["w:send", "w:coupon", "p:15", "w:max", "n:10"]),
            ("12.50 + 0.5", ["n:12.50", "+", "n:0.5"]),
            ("from 2025-03-01 to 2025-03-31", ["w:from", "d:2025-03-01", "w:to", "d:2025-03-31"]),
            ("2025-02-30", ["d:2025-02-30"]),
            ("2025 - 3", ["n:2025", "-", "n:3"]),
            (#""Jasmine Green Tea""#, ["s:Jasmine Green Tea"]),
            (#""say \"hi\"""#, [#"s:say "hi""#]),
            ("\"杨枝甘露\"", ["s:杨枝甘露"]),
            ("a <= b >= c != d < e > f", ["w:a", "<=", "w:b", ">=", "w:c", "!=", "w:d", "<", "w:e", ">", "w:f"]),
            ("x # a comment\ny", ["w:x", "w:y"]),
            ("[GOLD, VIP]", ["[", "w:GOLD", ",", "w:VIP", "]"]),
            ("\"open", ["error:text is missing its closing quote `\"`"]),
            ("a && b", ["w:a", "error:`&&` is written `and` in Perk", "w:b"]),
            ("30days", ["error:`30days` is not a number; put a space between a number and a word"]),
            ("x @ y", ["w:x", "error:unexpected `@`", "w:y"]),
            ("a\u{0}b", ["w:a", "error:unexpected a NUL character", "w:b"]),
            ("“quoted”", ["error:curly quote; write text between straight quotes \"like this\"", "w:quoted",
                           "error:curly quote; write text between straight quotes \"like this\""]),
        ]
        for (source, expected) in cases {
            XCTAssertEqual(kinds(source), expected, "lexing \(source.debugDescription)")
        }
    }

    func testRangesAreByteOffsetsAndLineStartsAreMarked() {
        let tokens = Lexer.tokenize(SourceFile(path: "t.perk", text: "a \"茶\"\n  b"))
        XCTAssertEqual(tokens[0].range, SourceRange(0, 1))
        XCTAssertEqual(tokens[1].range, SourceRange(2, 7), "a 3-byte character inside quotes")
        XCTAssertFalse(tokens[1].startsLine)
        XCTAssertTrue(tokens[2].startsLine)
        XCTAssertEqual(tokens[3].kind, .end)
    }

    func testInvalidUTF8BecomesAnErrorToken() {
        let file = SourceFile(path: "t.perk", data: [0x61, 0x20, 0xFF, 0x20, 0x62])
        XCTAssertEqual(kinds(file.text), ["w:a", "error:unexpected a character that is not valid UTF-8", "w:b"])
    }
}
