/// Decides whether what was typed so far is an unfinished entry, so the REPL
/// shows a continuation prompt instead of an error: an open `(` or `[`, a line
/// ending in an operator or a word that needs more (`and`, `where`, `then`,
/// `via`, a trailing comma), a rule with no `then` yet, a campaign with no
/// `rules` yet, a define with no `=` yet. An empty line ends an entry anyway.
enum EntryCompleteness {
    /// Symbols that cannot end an entry.
    static let openSymbols: Set<String> = ["+", "-", "*", "/", "==", "!=", "<", "<=", ">", ">=", "=", ",", "(", "[", "."]

    /// Words that cannot end an entry, wherever they stand.
    static let openWords: Set<String> = [
        "and", "or", "not", "in", "between", "contains", "starts", "with", "is", "where", "when", "then", "via",
        "next", "last", "within", "per", "every", "limit", "priority", "from", "to", "budget", "holdout", "rules",
        "worth", "max", "min", "spend", "valid", "for", "send", "award", "multiply", "set", "tag", "notify",
        "coupon", "message", "by", "define", "rule", "campaign",
    ]

    /// Words that cannot end an entry after a particular word (`award points`).
    static let openPairs: [String: Set<String>] = [
        "points": ["award", "multiply"], "staff": ["notify"], "tier": ["set"],
    ]

    static func isUnfinished(_ text: String) -> Bool {
        let trimmed = text.drop { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        if trimmed.isEmpty || trimmed.hasPrefix(":") { return false }
        var tokens = Lexer.tokenize(SourceFile(path: "", text: text))
        tokens.removeLast()
        guard let first = tokens.first, let last = tokens.last else { return false }

        var depth = 0
        for t in tokens where t.kind == .symbol {
            if t.text == "(" || t.text == "[" { depth += 1 }
            if t.text == ")" || t.text == "]" { depth -= 1 }
        }
        if depth > 0 { return true }

        if last.kind == .symbol, openSymbols.contains(last.text) { return true }
        if last.kind == .word {
            let before = tokens.count > 1 ? tokens[tokens.count - 2] : nil
            // `member.limit` or `orders.max` name a column, which can end an entry.
            let isFieldName = before?.isSymbol(".") ?? false
            if !isFieldName, openWords.contains(last.text) { return true }
            if let before, before.kind == .word, openPairs[last.text]?.contains(before.text) == true { return true }
            if last.text == "customers", first.isWord("top") || first.isWord("group") { return true }
        }

        guard first.kind == .word else { return false }
        let words = Set(tokens.filter { $0.kind == .word }.map(\.text))
        switch first.text {
        case "rule", "when": return !words.contains("then")
        case "campaign": return !words.contains("rules")
        case "define": return !tokens.contains { $0.isSymbol("=") }
        default: return false
        }
    }
}
