/// Draws the line being edited as escape sequences for a terminal `columns`
/// wide: the prompt, the text (wrapping onto more rows when it is long), and
/// the cursor where it belongs. Positions are counted in display columns, so
/// a Chinese character takes two, and one that does not fit at the end of a
/// row starts the next, as terminals do.
public struct LineRenderer: Sendable {
    /// A prompt and its width on screen (it may hold colour codes, which take none).
    public struct Prompt: Sendable {
        public var text: String
        public var width: Int

        public init(_ plain: String, styled: String? = nil) {
            text = styled ?? plain
            width = DisplayWidth.of(plain)
        }
    }

    /// Where the cursor and the end of the text fall, in rows and columns from
    /// the prompt's first character.
    struct Layout: Equatable {
        var cursorRow: Int
        var cursorColumn: Int
        var endRow: Int
        var endColumn: Int
        /// The text ended exactly at the right edge: the terminal waits to wrap.
        var endsAtEdge: Bool
    }

    public var columns: Int
    /// The row of the cursor after the last drawing, counted from the prompt's row.
    private var cursorRow = 0
    private var endRow = 0

    public init(columns: Int) {
        self.columns = Swift.max(1, columns)
    }

    static func layout(promptWidth: Int, buffer: [Character], cursor: Int, columns: Int) -> Layout {
        var row = promptWidth / columns, column = promptWidth % columns
        var cursorAt = (row, column)
        for (i, ch) in buffer.enumerated() {
            let width = DisplayWidth.of(Self.shown(ch))
            if column + width > columns {
                row += 1
                column = 0
            }
            if i == cursor { cursorAt = (row, column) }
            column += width
        }
        let atEdge = column >= columns && !buffer.isEmpty
        if column >= columns {
            row += 1
            column = 0
        }
        if cursor >= buffer.count { cursorAt = (row, column) }
        return Layout(cursorRow: cursorAt.0, cursorColumn: cursorAt.1, endRow: row, endColumn: column, endsAtEdge: atEdge)
    }

    /// A character as drawn: a control character (pasted, or completed from
    /// the data) is written out, never sent to the terminal.
    static func shown(_ ch: Character) -> String {
        DisplayText.escaped(String(ch))
    }

    /// Redraws prompt and line from the prompt's first row.
    public mutating func draw(_ prompt: Prompt, buffer: [Character], cursor: Int) -> String {
        let layout = Self.layout(promptWidth: prompt.width, buffer: buffer, cursor: cursor, columns: columns)
        var out = up(cursorRow) + "\r\u{1B}[J" + prompt.text + buffer.map(Self.shown).joined()
        // Step past the edge so the terminal's cursor is where the layout says.
        if layout.endsAtEdge { out += "\r\n" }
        out += up(layout.endRow - layout.cursorRow) + "\r"
        if layout.cursorColumn > 0 { out += "\u{1B}[\(layout.cursorColumn)C" }
        cursorRow = layout.cursorRow
        endRow = layout.endRow
        return out
    }

    /// Leaves the line: moves below its last row, ready for output.
    public mutating func finish() -> String {
        let down = endRow - cursorRow
        cursorRow = 0
        endRow = 0
        return (down > 0 ? "\u{1B}[\(down)B" : "") + "\r\n"
    }

    /// After the screen was cleared: the next drawing starts at the top.
    public mutating func forget() {
        cursorRow = 0
        endRow = 0
    }

    private func up(_ rows: Int) -> String {
        rows > 0 ? "\u{1B}[\(rows)A" : ""
    }
}
