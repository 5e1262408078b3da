/// How one declaration is laid out: its clauses, as runs of tokens, and the
/// form that places them. Each kind of declaration has one small function
/// below that says where its clauses start; everything else (spacing,
/// comments, long conditions, the same-program check) is shared.
///
/// A new kind of declaration makes the switch in `init(_:tokens:)` fail to
/// compile until it has its line, such as
///
///     case .policy: self = .header(all, tokens, clauseWords: ["given", "on"])
///
/// for a header line and one clause a line, or `.asWritten(all)` to keep its
/// lines as they are until its layout is decided. A test (`test(_:_:_:)`)
/// is a header and clauses whose tables lay out their rows (`TestTableLayout`).
struct DeclarationLayout {
    enum Form {
        /// `rule "name"` / `campaign "name"` on the first line, then one clause a line, indented two.
        case header
        /// A one-line rule: on one line while its condition fits and it holds
        /// no comment, otherwise one clause a line, not indented.
        case flowing
        /// One line (a define, a contact policy); only a long condition breaks it.
        case line
        /// The declaration's lines as written, spaces at their ends dropped.
        case asWritten
    }

    struct Clause {
        var tokens: Range<Int>
        /// The part that is a condition, broken at `and`/`or` when long.
        var condition: Range<Int>?
        /// Written on the line of the clause before it: a named rule's `when`
        /// after its `then`, which at a line's start would begin a new rule.
        var staysOnLine = false
        /// A test's table: its rows follow the clause's word, one a line.
        var table: TestTableLayout?
    }

    var form: Form
    var clauses: [Clause]

    static let indent = 2

    init(_ declaration: Declaration, tokens: SourceTokens) {
        let all = tokens.indices(of: declaration.range)
        switch declaration {
        case .define: self = DeclarationLayout.define(all, tokens)
        case .rule(let rule): self = DeclarationLayout.rule(rule, all, tokens)
        case .campaign: self = DeclarationLayout.campaign(all, tokens)
        case .contactPolicy: self = DeclarationLayout(form: .line, clauses: [Clause(tokens: all)])
        case .test(let test): self = DeclarationLayout.test(test, all, tokens)
        }
    }

    init(form: Form, clauses: [Clause]) {
        self.form = form
        self.clauses = clauses
    }

    // MARK: - One function per kind

    /// `define name = condition`
    private static func define(_ all: Range<Int>, _ tokens: SourceTokens) -> DeclarationLayout {
        let equals = all.first { tokens.items[$0].isSymbol("=") } ?? all.lowerBound
        return DeclarationLayout(form: .line, clauses: [Clause(tokens: all, condition: (equals + 1)..<all.upperBound)])
    }

    /// A clause starts at each clause word the parser did not read as part of
    /// a condition, an action, the limit or the priority: the tree's ranges
    /// say which, so a define named like a clause word cannot confuse it.
    private static func rule(_ rule: RuleDecl, _ all: Range<Int>, _ tokens: SourceTokens) -> DeclarationLayout {
        let named = rule.name != nil
        // The limit's range starts at its own `limit`, which does start a clause.
        let limit = rule.limit.map { SourceRange($0.range.start + 1, $0.range.end) }
        let inside: [SourceRange] = [rule.condition?.range, limit, rule.priority?.range, rule.cooldown?.range]
            .compactMap { $0 } + rule.actions.map(\.range)
        let body = (named ? Swift.min(all.lowerBound + 2, all.upperBound) : all.lowerBound)..<all.upperBound
        let starts = body.filter { i in
            let t = tokens.items[i]
            return t.kind == .word && Parser.ruleClauseWords.contains(t.spelling)
                && !inside.contains { $0.start <= t.range.start && t.range.end <= $0.end }
        }
        var clauses = clauses(from: starts, in: body, conditionAfter: "when", tokens)
        var sawThen = false
        for k in clauses.indices {
            let word = tokens.items[clauses[k].tokens.lowerBound].spelling
            if word == "when", sawThen, named { clauses[k].staysOnLine = true }
            if word == "then" { sawThen = true }
        }
        if named { clauses.insert(Clause(tokens: all.lowerBound..<body.lowerBound), at: 0) }
        return DeclarationLayout(form: named ? .header : .flowing, clauses: clauses)
    }

    /// `campaign "name"` and its clauses; no expression can hold a clause word.
    private static func campaign(_ all: Range<Int>, _ tokens: SourceTokens) -> DeclarationLayout {
        .header(all, tokens, clauseWords: Parser.campaignClauseWords)
    }

    /// A keyword and a name on the first line, then a clause at each of
    /// `clauseWords`, one a line. Right for a kind whose clause words cannot
    /// stand inside its clauses; a rule's can (a define named `every`), so it
    /// asks the tree instead.
    static func header(_ all: Range<Int>, _ tokens: SourceTokens, clauseWords: Set<String>) -> DeclarationLayout {
        let body = Swift.min(all.lowerBound + 2, all.upperBound)..<all.upperBound
        let starts = body.filter { tokens.items[$0].kind == .word && clauseWords.contains(tokens.items[$0].spelling) }
        let clauses = [Clause(tokens: all.lowerBound..<body.lowerBound)] + DeclarationLayout.clauses(from: starts, in: body, conditionAfter: nil, tokens)
        return DeclarationLayout(form: .header, clauses: clauses)
    }

    /// The declaration as written.
    static func asWritten(_ all: Range<Int>) -> DeclarationLayout {
        DeclarationLayout(form: .asWritten, clauses: [Clause(tokens: all)])
    }

    /// `test "name"`, then a clause a line: each table (its rows below it),
    /// `on DATE`, each `expect`. The tree says where each starts, so a
    /// customer called `customers` cannot confuse it.
    private static func test(_ test: TestDecl, _ all: Range<Int>, _ tokens: SourceTokens) -> DeclarationLayout {
        var tables: [Int: TestTableLayout] = [:]
        for table in [test.customers, test.orders, test.journal].compactMap({ $0 }) {
            tables[tokens.index(atOrAfter: table.keyword.range.start)] = TestTableLayout(table, tokens: tokens)
        }
        var starts = Array(tables.keys) + test.expectations.map { tokens.index(atOrAfter: $0.range.start) }
        // `on` is the token before its date.
        if let day = test.day { starts.append(tokens.index(atOrAfter: day.range.start) - 1) }
        let body = Swift.min(all.lowerBound + 2, all.upperBound)..<all.upperBound
        var clauses = DeclarationLayout.clauses(from: starts.sorted(), in: body, conditionAfter: nil, tokens)
        for k in clauses.indices { clauses[k].table = tables[clauses[k].tokens.lowerBound] }
        return DeclarationLayout(form: .header, clauses: [Clause(tokens: all.lowerBound..<body.lowerBound)] + clauses)
    }

    // MARK: - Shared

    /// The clauses that start at `starts`, each running to the next; a clause
    /// led by `conditionAfter` holds a condition after that word.
    static func clauses(from starts: [Int], in body: Range<Int>, conditionAfter keyword: String?, _ tokens: SourceTokens) -> [Clause] {
        var out: [Clause] = []
        var bounds = starts
        if bounds.first != body.lowerBound { bounds.insert(body.lowerBound, at: 0) }
        for (k, start) in bounds.enumerated() where start < body.upperBound {
            let end = k + 1 < bounds.count ? bounds[k + 1] : body.upperBound
            var clause = Clause(tokens: start..<end)
            if let keyword, tokens.items[start].isWord(keyword) { clause.condition = (start + 1)..<end }
            out.append(clause)
        }
        return out
    }
}
