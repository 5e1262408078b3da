/// Decides whether what was typed so far is an unfinished entry, so the REPL
/// shows a continuation prompt instead of an error. The parsers decide: an
/// entry goes on only when reading it ran out of text where more was needed
/// (an open `(` or `[`, a line ending in an operator, `and`, `where`, `then`,
/// `via` or a comma, a `define` with no `=` yet). A mistake before that point
/// is reported at once, whatever brackets are still open after it, so a wrong
/// line in a script never swallows the lines after it. Besides, a named rule
/// with no `then` yet and a campaign with no `rules` yet go on: a rules file
/// may hold them, but typed in a session they are surely not done. An empty
/// line ends an entry anyway.
enum EntryCompleteness {
    static func isUnfinished(_ text: String) -> Bool {
        let file = SourceFile(path: "", text: text)
        switch ReplInputParser.parse(file) {
        case .failure(let problems):
            return problems.ranOutOfInput
        case .success(.blank), .success(.command), .success(.customer):
            return false
        case .success(.declarations):
            return declarationsUnfinished(file)
        case .success(.clause(let word)):
            return clauseUnfinished(text, word: word)
        case .success(.customers(let condition)), .success(.count(let condition)):
            return expressionsUnfinished([condition], in: file)
        case .success(.top(_, let by, let condition)), .success(.group(let by, let condition)):
            return expressionsUnfinished([by, condition], in: file)
        case .success(.expression(let range)):
            return expressionsUnfinished([range], in: file)
        }
    }

    /// The expressions of a query, in the order written: the first with an
    /// error decides, and only the last one ends where the text ends.
    private static func expressionsUnfinished(_ ranges: [SourceRange?], in file: SourceFile) -> Bool {
        let present = ranges.compactMap { $0 }
        for (i, range) in present.enumerated() {
            let parsed = Parser.parseExpressionNotingEnd(file, in: range)
            if parsed.diagnostics.hasErrors { return parsed.ranOutOfInput && i == present.count - 1 }
        }
        return false
    }

    private static func declarationsUnfinished(_ file: SourceFile) -> Bool {
        let (parsed, diagnostics) = Parser.parse(file)
        if diagnostics.hasErrors { return parsed.ranOutOfInput }
        switch parsed.declarations.last {
        case .rule(let rule)?: return rule.name != nil && rule.actions.isEmpty
        case .campaign(let campaign)?: return campaign.rules.isEmpty
        default: return false
        }
    }

    /// A clause on a line of its own (`limit once per customer`) is read as
    /// part of the rule or campaign it continues.
    private static func clauseUnfinished(_ text: String, word: String) -> Bool {
        let opening = Parser.campaignClauseWords.contains(word) ? "campaign \"\" " : "rule \"\" "
        let (parsed, diagnostics) = Parser.parse(SourceFile(path: "", text: opening + text))
        return diagnostics.hasErrors && parsed.ranOutOfInput
    }
}
