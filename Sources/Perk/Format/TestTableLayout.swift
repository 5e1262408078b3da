/// How a test's table is laid out: each row on a line of its own, indented
/// under its word, `| a | b |` with one space inside each bar and every
/// column as wide as its widest cell (in display columns, so Chinese text
/// lines up). A cell is printed exactly as written between its bars; `||`,
/// an empty cell, gets its room like any other.
struct TestTableLayout {
    struct Row {
        /// The row's tokens, from its first bar to its last.
        var tokens: Range<Int>
        var cells: [String]
    }

    var rows: [Row]

    static let indent = 2 * DeclarationLayout.indent

    init(_ table: TestTable, tokens: SourceTokens) {
        let file = tokens.file
        let header = table.header.map { file.slice($0.range) }
        let body = table.rows.map { row in row.map { $0.isEmpty ? "" : file.slice($0.range) } }
        rows = zip(table.rowRanges, [header] + body).map { Row(tokens: tokens.indices(of: $0), cells: $1) }
    }

    /// The rows as lines, without their indentation.
    func lines() -> [String] {
        var widths: [Int] = []
        for row in rows {
            for (k, cell) in row.cells.enumerated() {
                if k == widths.count { widths.append(0) }
                widths[k] = Swift.max(widths[k], DisplayWidth.of(cell))
            }
        }
        return rows.map { row in
            "| " + row.cells.enumerated().map { DisplayWidth.padRight($1, to: widths[$0]) }.joined(separator: " | ") + " |"
        }
    }
}
