import XCTest
@testable import Perk

/// The line editor's key handling, as a state machine: key sequences → buffer,
/// cursor and actions, with no terminal involved.
final class LineEditorTests: XCTestCase {
    /// Types `text` one character at a time.
    private func typing(_ text: String) -> [Key] { text.map { Key.text($0) } }

    /// Runs keys and returns the editor and the last action.
    private func run(_ keys: [Key], history: [String] = [], completer: ((String, Int) -> Completion)? = nil) -> (LineEditor, LineEditor.Action) {
        var editor = LineEditor(history: History(history))
        var last = LineEditor.Action.none
        for key in keys { last = editor.handle(key, completer: completer) }
        return (editor, last)
    }

    /// The line with `|` at the cursor, as the tests below write expectations.
    private func shown(_ editor: LineEditor) -> String {
        var chars = editor.buffer.map(String.init)
        chars.insert("|", at: editor.cursor)
        return chars.joined()
    }

    func testMovingAndEditing() {
        let cases: [([Key], String)] = [
            (typing("abc"), "abc|"),
            (typing("abc") + [.left], "ab|c"),
            (typing("abc") + [.left, .left, .left, .left], "|abc"),
            (typing("abc") + [.right], "abc|"),
            (typing("abc") + [.home], "|abc"),
            (typing("abc") + [.home, .end], "abc|"),
            (typing("abc") + [.control("a")], "|abc"),
            (typing("abc") + [.control("a"), .control("e")], "abc|"),
            (typing("abc") + [.control("b"), .control("b"), .control("f")], "ab|c"),
            (typing("ac") + [.left] + typing("b"), "ab|c"),
            (typing("abc") + [.backspace], "ab|"),
            (typing("abc") + [.home, .backspace], "|abc"),
            (typing("abc") + [.home, .delete], "|bc"),
            (typing("abc") + [.left, .control("h")], "a|c"),
            (typing("abc") + [.left, .control("d")], "ab|"),
            // Ctrl-K cuts to the end, Ctrl-U to the start, Ctrl-W the word before.
            (typing("count customers") + [.left, .left, .left, .control("k")], "count custom|"),
            (typing("count customers") + [.left, .left, .left, .control("u")], "|ers"),
            (typing("top 10 customers") + [.control("w")], "top 10 |"),
            (typing("a.b  ") + [.control("w")], "a.|"),
            (typing("abc def") + [.control("w"), .control("a"), .control("y")], "def|abc "),
            (typing("member.tier ghi") + [.wordLeft], "member.tier |ghi"),
            (typing("member.tier ghi") + [.wordLeft, .wordLeft], "member.|tier ghi"),
            (typing("member.tier ghi") + [.home, .wordRight], "member|.tier ghi"),
        ]
        for (keys, expected) in cases {
            XCTAssertEqual(shown(run(keys).0), expected, "\(keys)")
        }
    }

    /// Chinese characters and accented letters are one cursor step each, however
    /// many bytes and columns they take; a combining mark joins its letter.
    func testWideAndCombiningCharactersMoveAsOne() {
        XCTAssertEqual(shown(run(typing("上海人") + [.left]).0), "上海|人")
        XCTAssertEqual(shown(run(typing("上海人") + [.left, .backspace]).0), "上|人")
        XCTAssertEqual(shown(run(typing("王芳") + [.home, .delete]).0), "|芳")
        let combining = run([.text("e"), .text("\u{301}"), .text("x"), .left, .left]).0
        XCTAssertEqual(combining.buffer, ["é", "x"])
        XCTAssertEqual(combining.cursor, 0)
    }

    func testEnterSubmitsAndStartsAFreshLine() {
        let (editor, action) = run(typing("2 + 3") + [.left, .enter])
        XCTAssertEqual(action, .submit("2 + 3"))
        XCTAssertEqual(editor.buffer, [])
        XCTAssertEqual(editor.cursor, 0)
    }

    func testControlKeysReportActions() {
        XCTAssertEqual(run(typing("abc") + [.control("c")]).1, .cancel)
        XCTAssertEqual(run(typing("abc") + [.control("c")]).0.buffer, [])
        XCTAssertEqual(run([.control("d")]).1, .endOfInput)
        XCTAssertEqual(run(typing("abc") + [.control("d")]).1, .bell, "Ctrl-D deletes, and at the end there is nothing to delete")
        XCTAssertEqual(run(typing("abc") + [.control("l")]).1, .clearScreen)
        XCTAssertEqual(run(typing("abc") + [.control("l")]).0.text, "abc")
        XCTAssertEqual(run([.backspace]).1, .bell)
        XCTAssertEqual(run(typing("a") + [.left, .left]).1, .none)
    }

    func testHistoryIsRecalledWithUpAndDown() {
        let history = ["customers where member.tier == VIP", "2 + 3"]
        XCTAssertEqual(shown(run([.up], history: history).0), "2 + 3|")
        XCTAssertEqual(shown(run([.up, .up], history: history).0), "customers where member.tier == VIP|")
        XCTAssertEqual(run([.up, .up, .up], history: history).1, .bell)
        XCTAssertEqual(shown(run([.up, .up, .down], history: history).0), "2 + 3|")
        // Down past the newest brings back what was being typed.
        XCTAssertEqual(shown(run(typing("cou") + [.up, .up, .down, .down], history: history).0), "cou|")
        XCTAssertEqual(shown(run([.control("p"), .control("p"), .control("n")], history: history).0), "2 + 3|")
        XCTAssertEqual(run([.up]).1, .bell)
        // A recalled line can be edited and submitted.
        XCTAssertEqual(run([.up, .backspace] + typing("4") + [.enter], history: history).1, .submit("2 + 4"))
    }

    func testRememberKeepsDistinctNonEmptyLines() {
        var editor = LineEditor(history: History(limit: 3))
        XCTAssertTrue(editor.remember("a"))
        XCTAssertFalse(editor.remember("a"), "the same line twice is kept once")
        XCTAssertFalse(editor.remember("  "))
        editor.remember("b")
        editor.remember("c")
        editor.remember("d")
        XCTAssertEqual(editor.history.entries, ["b", "c", "d"], "the oldest go when the limit is reached")
    }

    func testTabCompletes() {
        // A completer offering the names below that start with the word before the cursor.
        let names = ["days_since_first_visit", "days_since_visit", "member.", "visit_count", "VIP"]
        let completer: (String, Int) -> Completion = { text, cursor in
            let before = Array(text)[0..<cursor]
            var start = cursor
            while start > 0, before[start - 1] != " " { start -= 1 }
            let typed = String(before[start...])
            return Completion(start: start, candidates: names.filter { $0.hasPrefix(typed) })
        }
        // One candidate: completed, with a space after a whole word.
        XCTAssertEqual(shown(run(typing("count vis") + [.tab], completer: completer).0), "count visit_count |")
        XCTAssertEqual(shown(run(typing("tier == VI") + [.tab], completer: completer).0), "tier == VIP |")
        // No space after `member.`, so the column can follow.
        XCTAssertEqual(shown(run(typing("mem") + [.tab], completer: completer).0), "member.|")
        // Several: their common start, then the list.
        XCTAssertEqual(shown(run(typing("da") + [.tab], completer: completer).0), "days_since_|")
        XCTAssertEqual(run(typing("da") + [.tab, .tab], completer: completer).1,
                       .showCompletions(["days_since_first_visit", "days_since_visit"]))
        // Completing in the middle of a line keeps what follows.
        XCTAssertEqual(shown(run(typing("vis > 3") + [.left, .left, .left, .left, .tab], completer: completer).0), "visit_count | > 3")
        XCTAssertEqual(run(typing("xyz") + [.tab], completer: completer).1, .bell)
        XCTAssertEqual(run(typing("x") + [.tab]).1, .bell, "no completer")
    }
}
