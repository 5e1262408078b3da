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

    func print(_ declarations: [Declaration]) -> String {
        var out: [String] = []
        var previousTookLines = false
        for declaration in declarations {
            let first = tokens.index(atOrAfter: declaration.range.start)
            let lines = print(DeclarationLayout(declaration, tokens: tokens), first: first)
            let item = tokens.items[first]
            let tookLines = lines.count > 1
            if !out.isEmpty, previousTookLines || tookLines || (item.leading.first?.blankLineBefore ?? item.blankLineBefore) {
                out.append("")
            }
            out += commentLines(item.leading, after: out)
            if !item.leading.isEmpty, item.blankLineBefore { out.append("") }
            out += lines
            previousTookLines = tookLines
        }
        if let end = tokens.items.last, !end.leading.isEmpty {
            if !out.isEmpty, end.leading[0].blankLineBefore { out.append("") }
            out += commentLines(end.leading, after: out)
        }
        return out.isEmpty ? "" : out.joined(separator: "\n") + "\n"
    }

    /// Comments above a declaration, at the margin, blank lines between them kept.
    private func commentLines(_ comments: [SourceTokens.Comment], after out: [String]) -> [String] {
        var lines: [String] = []
        for (k, comment) in comments.enumerated() {
            if k > 0, comment.blankLineBefore { lines.append("") }
            lines.append(comment.text)
        }
        return lines
    }

    private func print(_ layout: DeclarationLayout, first: Int) -> [String] {
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

    /// A one-line rule stays on one line when no comment is inside it and its
    /// condition ends within the width (its actions may run on past it).
    private func fitsOnOneLine(_ layout: DeclarationLayout, _ conditions: ConditionLayout) -> Bool {
        guard let first = layout.clauses.first?.tokens.lowerBound, let last = layout.clauses.last?.tokens.upperBound else { return true }
        if conditions.holdsComments(first..<last) { return false }
        let conditionEnd = layout.clauses.compactMap { $0.condition?.upperBound }.max() ?? first
        return conditions.flatWidth(first..<conditionEnd) <= width
    }

    private func write(_ clause: DeclarationLayout.Clause, first: Int, into writer: inout LineWriter, _ conditions: ConditionLayout) {
        let condition = clause.condition ?? clause.tokens.upperBound..<clause.tokens.upperBound
        for i in clause.tokens.lowerBound..<condition.lowerBound { writer.write(i, skipLeading: i == first) }
        conditions.write(condition, into: &writer, suffix: 0)
        for i in condition.upperBound..<clause.tokens.upperBound { writer.write(i) }
    }
}
