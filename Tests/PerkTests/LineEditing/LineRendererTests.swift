import XCTest
@testable import Perk

/// Where the renderer puts text and cursor, counted in display columns.
final class LineRendererTests: XCTestCase {
    private func layout(_ prompt: String, _ text: String, cursor: Int? = nil, columns: Int) -> LineRenderer.Layout {
        let chars = Array(text)
        return LineRenderer.layout(promptWidth: DisplayWidth.of(prompt), buffer: chars, cursor: cursor ?? chars.count, columns: columns)
    }

    func testLayoutCountsDisplayColumns() {
        XCTAssertEqual(layout("perk> ", "abc", columns: 80),
                       .init(cursorRow: 0, cursorColumn: 9, endRow: 0, endColumn: 9, endsAtEdge: false))
        // Chinese characters take two columns each.
        XCTAssertEqual(layout("perk> ", "上海", columns: 80).cursorColumn, 10)
        XCTAssertEqual(layout("perk> ", "上海x", cursor: 1, columns: 80).cursorColumn, 8)
    }

    func testLongLinesWrap() {
        // 6 + 14 = 20 columns in a 10-column terminal: exactly two rows; the
        // cursor then stands at the start of a third.
        let full = layout("perk> ", "abcdefghijklmn", columns: 10)
        XCTAssertEqual(full, .init(cursorRow: 2, cursorColumn: 0, endRow: 2, endColumn: 0, endsAtEdge: true))
        XCTAssertEqual(layout("perk> ", "abcdefghijklmn", cursor: 4, columns: 10).cursorRow, 1)
        XCTAssertEqual(layout("perk> ", "abcdefghijklmn", cursor: 4, columns: 10).cursorColumn, 0)
        // A wide character that does not fit in the last column starts the next
        // row, leaving that column empty, as terminals do.
        let wide = layout("perk> ", "abc上", columns: 10)
        XCTAssertEqual(wide, .init(cursorRow: 1, cursorColumn: 2, endRow: 1, endColumn: 2, endsAtEdge: false))
        XCTAssertEqual(layout("perk> ", "abc上", cursor: 3, columns: 10).cursorRow, 1)
    }

    /// A control character in the line (completed from the data, or pasted)
    /// is drawn written out, and the cursor counts the columns it then takes.
    func testControlCharactersAreDrawnEscaped() {
        var renderer = LineRenderer(columns: 80)
        let prompt = LineRenderer.Prompt("perk> ")
        XCTAssertEqual(renderer.draw(prompt, buffer: Array("C\u{1B}1x"), cursor: 3), "\r\u{1B}[Jperk> C\\u{1B}1x\r\u{1B}[14C")
    }

    func testDrawGoesBackToThePromptRowAndPlacesTheCursor() {
        var renderer = LineRenderer(columns: 80)
        let prompt = LineRenderer.Prompt("perk> ")
        XCTAssertEqual(renderer.draw(prompt, buffer: Array("上海"), cursor: 1), "\r\u{1B}[Jperk> 上海\r\u{1B}[8C")
        XCTAssertEqual(renderer.finish(), "\r\n")

        var narrow = LineRenderer(columns: 10)
        // Cursor on the second row; the next drawing first goes up to the prompt.
        XCTAssertEqual(narrow.draw(prompt, buffer: Array("abcdefgh"), cursor: 8), "\r\u{1B}[Jperk> abcdefgh\r\u{1B}[4C")
        XCTAssertEqual(narrow.draw(prompt, buffer: Array("abcdefgh"), cursor: 0),
                       "\u{1B}[1A\r\u{1B}[Jperk> abcdefgh\u{1B}[1A\r\u{1B}[6C")
        // Leaving from the first row moves down past the second.
        XCTAssertEqual(narrow.finish(), "\u{1B}[1B\r\n")
    }

    func testStyledPromptsCountOnlyTheirVisibleWidth() {
        let prompt = LineRenderer.Prompt("perk> ", styled: "\u{1B}[1;36mperk> \u{1B}[0m")
        XCTAssertEqual(prompt.width, 6)
        var renderer = LineRenderer(columns: 80)
        XCTAssertTrue(renderer.draw(prompt, buffer: [], cursor: 0).hasSuffix("\r\u{1B}[6C"))
    }
}
