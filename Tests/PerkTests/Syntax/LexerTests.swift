import XCTest
@testable import Perk

final class LexerTests: XCTestCase {
    private func kinds(_ source: String) -> [String] {
        kinds(SourceFile(path: "t.perk", text: source))
    }

    private func kinds(_ file: SourceFile) -> [String] {
        Lexer.tokenize(file).dropLast().map { t in
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

    /// Comments are trivia: the tokens are the same either way, and only the
    /// formatter, which asks, gets their ranges (from `#` to the line's end).
    func testCommentsAreKeptOnlyWhenAsked() {
        let file = SourceFile(path: "t.perk", text: "# top\r\nwhen a # 茶 \n  # own\nthen b #")
        let kept = Lexer.scanKeepingComments(file)
        XCTAssertEqual(kept.comments.map(file.slice), ["# top\r", "# 茶 ", "# own", "#"])
        let plain = Lexer.scan(file).tokens
        XCTAssertEqual(kept.tokens.map(\.text), plain.map(\.text))
        XCTAssertEqual(kept.tokens.map(\.range), plain.map(\.range))
        XCTAssertEqual(kept.tokens.map(\.startsLine), plain.map(\.startsLine))
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
        XCTAssertEqual(kinds(file), ["w:a", "error:a byte that is not valid UTF-8 (0xFF); save the file as UTF-8", "w:b"])
        // A U+FFFD written in valid UTF-8 is a character like any other.
        XCTAssertEqual(kinds(SourceFile(path: "t.perk", text: "a \u{FFFD} b")), ["w:a", "error:unexpected `\u{FFFD}`", "w:b"])
    }

    /// What is not UTF-8 is found wherever it is, each maximal invalid run once,
    /// at the U+FFFD that stands in for it; inside text or a comment it leaves the
    /// tokens whole and becomes a problem, so nothing after it is misread.
    func testBytesThatAreNotUTF8AndNULs() {
        let cases: [(bytes: [UInt8], tokens: [String], problems: [String])] = [
            (Array("x # caf".utf8) + [0xE9] + Array("\ny".utf8), ["w:x", "w:y"],
             ["7..<10 a comment with a byte that is not valid UTF-8 (0xE9); save the file as UTF-8"]),
            (Array("tag \"caf".utf8) + [0xE9] + Array("\" x".utf8), ["w:tag", "s:caf\u{FFFD}", "w:x"],
             ["8..<11 text with a byte that is not valid UTF-8 (0xE9); save the file as UTF-8"]),
            // A cut 3-byte character is one run; a stray continuation byte another.
            (Array("\"".utf8) + [0xE6, 0x9D, 0x41, 0x80] + Array("\"".utf8), ["s:\u{FFFD}A\u{FFFD}"],
             ["1..<4 text with bytes that are not valid UTF-8 (0xE6 0x9D); save the file as UTF-8",
              "5..<8 text with a byte that is not valid UTF-8 (0x80); save the file as UTF-8"]),
            // Overlong forms and surrogates are not UTF-8 either.
            ([0xC0, 0xAF], ["error:a byte that is not valid UTF-8 (0xC0); save the file as UTF-8",
                            "error:a byte that is not valid UTF-8 (0xAF); save the file as UTF-8"], []),
            ([0xED, 0xA0, 0x80], ["error:a byte that is not valid UTF-8 (0xED); save the file as UTF-8",
                                  "error:a byte that is not valid UTF-8 (0xA0); save the file as UTF-8",
                                  "error:a byte that is not valid UTF-8 (0x80); save the file as UTF-8"], []),
            (Array("a # x".utf8) + [0] + Array("y\nb".utf8), ["w:a", "w:b"], ["5..<6 a comment contains a NUL character"]),
            (Array("\"a".utf8) + [0] + Array("b\" c".utf8), ["s:a\u{0}b", "w:c"], ["2..<3 text contains a NUL character"]),
            // Valid UTF-8, Chinese and a byte-order mark included, has no problems.
            ([0xEF, 0xBB, 0xBF] + Array("\"杨枝甘露\" # 茶".utf8), ["s:杨枝甘露"], []),
        ]
        for (bytes, tokens, problems) in cases {
            let file = SourceFile(path: "t.perk", data: bytes)
            XCTAssertEqual(kinds(file), tokens, "\(bytes)")
            XCTAssertEqual(Lexer.scan(file).problems.map { "\($0.range.start)..<\($0.range.end) \($0.message)" }, problems, "\(bytes)")
        }
    }
}
