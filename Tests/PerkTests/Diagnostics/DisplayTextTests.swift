import XCTest
@testable import Perk

/// Control characters from data and rules are shown escaped, in one form.
final class DisplayTextTests: XCTestCase {
    func testControlCharactersAreEscaped() {
        let cases: [(String, String)] = [
            ("王芳", "王芳"),
            ("Li, Na … ├─", "Li, Na … ├─"),
            ("\u{1B}[2J\u{1B}[31mRed", "\\u{1B}[2J\\u{1B}[31mRed"),
            ("bell\u{07}", "bell\\u{07}"),
            ("nul\u{0}tab\tline\nreturn\r", "nul\\u{00}tab\\u{09}line\\u{0A}return\\u{0D}"),
            ("del\u{7F} csi\u{9B}31m nel\u{85}", "del\\u{7F} csi\\u{9B}31m nel\\u{85}"),
            ("abc\u{202E}321", "abc\\u{202E}321"),
            ("\u{2066}x\u{2069}", "\\u{2066}x\\u{2069}"),
            // Printable characters near the escaped ranges stay.
            ("é\u{A0}\u{2026}\u{2070}", "é\u{A0}\u{2026}\u{2070}"),
        ]
        for (text, shown) in cases {
            XCTAssertEqual(DisplayText.escaped(text), shown, text.debugDescription)
            XCTAssertEqual(DisplayText.escaped(shown), shown, "escaping twice changes nothing")
        }
        XCTAssertEqual(DisplayText.escaped("a\u{1B}\nb\r\n", keepingLineBreaks: true), "a\\u{1B}\nb\\u{0D}\n")
    }

    /// Cells are escaped before they are measured, so columns stay aligned.
    func testTablesEscapeAndAlign() {
        var table = TextTable(headers: ["customer_id", "name"])
        table.add(["C001", "Eve\u{1B}[31m"])
        table.add(["C002", "王芳"])
        XCTAssertEqual(table.rendered(), """
        customer_id  name
        -----------  -------------
        C001         Eve\\u{1B}[31m
        C002         王芳

        """)
    }

    /// A diagnostic's source line, message and help show controls escaped,
    /// with the caret still under the mistake.
    func testDiagnosticsEscapeTheSourceLine() {
        let file = SourceFile(path: "t.perk", text: "when member.name == \"a\u{1B}[2Jb\" and visit_count >> 3 then tag \"x\"\n")
        let (_, diagnostics) = Parser.parse(file)
        XCTAssertEqual(DiagnosticRenderer().render(diagnostics), """
        t.perk:1:47: error[P004]: expected a value after `>`, found `>`
          |
        1 | when member.name == "a\\u{1B}[2Jb" and visit_count >> 3 then tag "x"
          |                                                    ^

        """)
        let message = Diagnostic.error("R003", "no customer `C\u{07}1`", in: file, SourceRange(0, 4), help: "did you mean `C\u{1B}2`?")
        let shown = DiagnosticRenderer().render([message])
        XCTAssertTrue(shown.contains("no customer `C\\u{07}1`") && shown.contains("did you mean `C\\u{1B}2`?"), shown)
    }
}
