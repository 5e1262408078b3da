/// A plain-text table with columns aligned by display width, so Chinese names
/// line up. Numeric columns are right-aligned. Cells come from data and rules,
/// so control characters in them are shown escaped (`DisplayText`).
public struct TextTable {
    public var headers: [String]
    public var rows: [[String]] = []
    public var rightAligned: Set<Int> = []

    public init(headers: [String], rightAligned: Set<Int> = []) {
        self.headers = headers
        self.rightAligned = rightAligned
    }

    public mutating func add(_ row: [String]) { rows.append(row) }

    public func rendered() -> String {
        let headers = self.headers.map { DisplayText.escaped($0) }
        let rows = self.rows.map { $0.map { DisplayText.escaped($0) } }
        var widths = headers.map(DisplayWidth.of)
        for row in rows {
            for (i, cell) in row.enumerated() where i < widths.count { widths[i] = max(widths[i], DisplayWidth.of(cell)) }
        }
        func line(_ cells: [String]) -> String {
            var parts: [String] = []
            for (i, cell) in cells.enumerated() where i < widths.count {
                let last = i == cells.count - 1
                if rightAligned.contains(i) {
                    parts.append(DisplayWidth.padLeft(cell, to: widths[i]))
                } else {
                    parts.append(last ? cell : DisplayWidth.padRight(cell, to: widths[i]))
                }
            }
            // An empty last cell must not leave the line padded with spaces.
            var line = parts.joined(separator: "  ")
            while line.last == " " { line.removeLast() }
            return line
        }
        var out = line(headers) + "\n"
        out += widths.map { String(repeating: "-", count: $0) }.joined(separator: "  ") + "\n"
        for row in rows { out += line(row) + "\n" }
        return out
    }
}
