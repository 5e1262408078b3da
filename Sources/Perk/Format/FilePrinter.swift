/// Prints a parsed file in the canonical layout: declarations in their
/// order, each by its `DeclarationLayout`, with comments where they were.
///
/// Between declarations: one blank line around any that takes several lines
/// (a named rule, a campaign, a broken condition); one-line declarations (a
/// run of defines, of contact policies, of one-line rules) keep the author's
/// choice of one blank line or none. More blank lines become one.
struct FilePrinter {
    let tokens: SourceTokens
    let width: Int
    /// Each declaration's layout; a test may choose another.
    var layout: (Declaration, SourceTokens) -> DeclarationLayout = DeclarationLayout.init

    func print(_ declarations: [Declaration]) -> String {
        var out: [String] = []
        var previousHasClauses = false, previousTookLines = false
        for declaration in declarations {
            let first = tokens.index(atOrAfter: declaration.range.start)
            let layout = self.layout(declaration, tokens)
            let lines = print(layout, first: first)
            var comments = tokens.items[first].leading[...]
            if previousHasClauses { out += clauseComments(&comments) }
            let tookLines = lines.count > 1
            if !out.isEmpty, previousTookLines || tookLines || (comments.first?.blankLineBefore ?? tokens.items[first].blankLineBefore) {
                out.append("")
            }
            out += commentLines(comments)
            if !comments.isEmpty, tokens.items[first].blankLineBefore { out.append("") }
            out += lines
            previousHasClauses = layout.form == .header
            previousTookLines = tookLines
        }
        if var comments = tokens.items.last?.leading[...], !comments.isEmpty {
            if previousHasClauses { out += clauseComments(&comments) }
            if !out.isEmpty, comments.first?.blankLineBefore == true { out.append("") }
            out += commentLines(comments)
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    /// Indented comments right under a rule or campaign (no blank line
    /// between) belong to its clauses, such as a clause commented out: they
    /// stay with it, at its clauses' indentation, rather than moving down to
    /// the next declaration.
    private func clauseComments(_ comments: inout ArraySlice<SourceTokens.Comment>) -> [String] {
        var lines: [String] = []
        while let comment = comments.first, comment.indented, !comment.blankLineBefore {
            lines.append(String(repeating: " ", count: DeclarationLayout.indent) + comment.text)
            comments.removeFirst()
        }
        return lines
    }

    /// Comments above a declaration, at the margin, blank lines between them kept.
    private func commentLines(_ comments: ArraySlice<SourceTokens.Comment>) -> [String] {
        var lines: [String] = []
        for (k, comment) in comments.enumerated() {
            if k > 0, comment.blankLineBefore { lines.append("") }
            lines.append(comment.text)
        }
        return lines
    }

    private func print(_ layout: DeclarationLayout, first: Int) -> [String] {
        if layout.form == .asWritten, let last = layout.clauses.last?.tokens.last { return linesAsWritten(first, last) }
        var writer = LineWriter(tokens)
        let conditions = ConditionLayout(tokens: tokens, width: width)
        writer.startLine(indent: 0)
        switch layout.form {
        case .line:
            writer.continuationIndent = DeclarationLayout.indent
            for clause in layout.clauses { write(clause, first: first, into: &writer, conditions) }
        case .header:
            for (k, clause) in layout.clauses.enumerated() {
                if k > 0, !clause.staysOnLine { writer.startLine(indent: DeclarationLayout.indent) }
                writer.continuationIndent = k == 0 ? DeclarationLayout.indent : 2 * DeclarationLayout.indent
                write(clause, first: first, into: &writer, conditions)
            }
        case .asWritten:
            break
        case .flowing:
            let oneLine = fitsOnOneLine(layout, conditions)
            for (k, clause) in layout.clauses.enumerated() {
                if k > 0, !oneLine { writer.startLine(indent: 0) }
                writer.continuationIndent = DeclarationLayout.indent
                write(clause, first: first, into: &writer, conditions)
            }
        }
        return writer.finish()
    }

    /// The source lines from the first token to the last, the first from
    /// that token on, spaces at their ends dropped.
    private func linesAsWritten(_ first: Int, _ last: Int) -> [String] {
        let file = tokens.file
        let from = file.lineColumn(of: tokens.items[first].range.start).line
        let to = file.lineColumn(of: tokens.items[last].range.end).line
        return (from...to).map { line in
            let text = SourceTokens.trimmedEnd(file.lineText(line))
            return line == from ? String(text.drop { $0 == " " || $0 == "\t" }) : text
        }
    }

    /// A one-line rule stays on one line when no comment is inside it and its
    /// condition ends within the width (its actions may run on past it).
    private func fitsOnOneLine(_ layout: DeclarationLayout, _ conditions: ConditionLayout) -> Bool {
        guard let first = layout.clauses.first?.tokens.lowerBound, let last = layout.clauses.last?.tokens.upperBound else { return true }
        if conditions.holdsComments(first..<last) { return false }
        let conditionEnd = layout.clauses.compactMap { $0.condition?.upperBound }.max() ?? first
        return conditions.flatWidth(first..<conditionEnd) <= width
    }

    private func write(_ clause: DeclarationLayout.Clause, first: Int, into writer: inout LineWriter, _ conditions: ConditionLayout) {
        if let table = clause.table { return write(table, after: clause.tokens, into: &writer) }
        let condition = clause.condition ?? clause.tokens.upperBound..<clause.tokens.upperBound
        for i in clause.tokens.lowerBound..<condition.lowerBound { writer.write(i, skipLeading: i == first) }
        conditions.write(condition, into: &writer, suffix: 0)
        for i in condition.upperBound..<clause.tokens.upperBound { writer.write(i) }
    }

    /// A table's word (and colon), then its rows, each with the comments
    /// above it and after it on its line.
    private func write(_ table: TestTableLayout, after clause: Range<Int>, into writer: inout LineWriter) {
        let firstRow = table.rows.first?.tokens.lowerBound ?? clause.upperBound
        for i in clause.lowerBound..<firstRow { writer.write(i) }
        for (row, line) in zip(table.rows, table.lines()) {
            writer.startLine(indent: TestTableLayout.indent)
            writer.writeOwnLineComments(tokens.items[row.tokens.lowerBound].leading)
            writer.writeText(line)
            if let comment = tokens.items[row.tokens.upperBound - 1].trailing { writer.writeText("  " + comment.text) }
        }
    }
}
