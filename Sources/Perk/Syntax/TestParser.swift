/// The parser's half for `test` declarations (grammar section "Tests"). Tables
/// are read by lines: a row is the `|`-separated cells of one line, so a cell
/// may hold any text (`Jasmine Green Tea; Oolong Milk Tea`) without quotes.
extension Parser {
    static let testClauseWords: Set<String> = ["customers", "orders", "journal", "on", "expect"]
    /// The words that may start an outcome after `:` besides the action verbs.
    static let outcomeExample = "an action like `send coupon 20 via sms`, or a word like `sent`, `skipped_consent` or `no match`"

    mutating func test() throws -> TestDecl {
        let keyword = advance()
        guard peek.kind == .string else {
            error(SyntaxError.expected("the test's name in quotes, like test \"A lapsed VIP gets a coupon\"", found: peek), at: peek.range)
            throw Recover()
        }
        let name = advance()
        var t = TestDecl(name: Located(name.text, name.range), customers: nil, orders: nil, journal: nil, day: nil,
                         expectations: [], range: keyword.range, hasErrors: false)
        let errorsBefore = diagnostics.count
        while peek.kind != .end {
            let clause = peek
            if peek.kind == .word, Parser.testClauseWords.contains(peek.text) {
                do {
                    try testClause(&t)
                } catch {
                    synchronize(to: Parser.testClauseWords, orDeclaration: true)
                }
            } else if peek.startsLine {
                // A line that is no clause of a test ends it; the file goes on from there.
                break
            } else {
                error(SyntaxError.expected("`customers`, `orders`, `journal`, `on` or `expect` in a test", found: peek), at: peek.range)
                advance()
                synchronize(to: Parser.testClauseWords, orDeclaration: true)
            }
            if clause.range == peek.range { break }
        }
        t.range = keyword.range.to(previous.range)
        t.hasErrors = diagnostics.count > errorsBefore
        return t
    }

    private mutating func testClause(_ t: inout TestDecl) throws {
        let keyword = advance()
        switch keyword.text {
        case "customers", "orders", "journal":
            let table = try self.table(keyword)
            switch keyword.text {
            case "customers":
                if t.customers != nil { error(SyntaxError.duplicateClause("customers"), at: keyword.range) }
                t.customers = table
            case "orders":
                if t.orders != nil { error(SyntaxError.duplicateClause("orders"), at: keyword.range) }
                t.orders = table
            default:
                if t.journal != nil { error(SyntaxError.duplicateClause("journal"), at: keyword.range) }
                t.journal = table
            }
        case "on":
            if t.day != nil { error(SyntaxError.duplicateClause("on"), at: keyword.range) }
            t.day = try dateLiteral(after: "`on`")
        default: // expect
            t.expectations.append(try expectation(keyword))
        }
    }

    // MARK: Tables

    private func isBar(_ t: Token) -> Bool { t.isSymbol("|") || t.isDoubleBar }

    private mutating func table(_ keyword: Token) throws -> TestTable {
        if peek.isSymbol(":") { advance() }
        guard isBar(peek), peek.startsLine else {
            error(SyntaxError.expected("a table on the next lines, each row between bars like `| customer_id | tier |`", found: peek),
                  at: peek.range)
            throw Recover()
        }
        var rows: [[TestCell]] = []
        var rowRanges: [SourceRange] = []
        while isBar(peek), peek.startsLine {
            let start = peek.range
            rows.append(try row())
            rowRanges.append(start.to(previous.range))
        }
        let header = rows.removeFirst()
        var names: [Located<String>] = []
        for cell in header {
            guard !cell.text.isEmpty else {
                error(SyntaxError.expected("a column name in each cell of the table's first row", found: peek), at: cell.range)
                throw Recover()
            }
            names.append(Located(cell.text, cell.range))
        }
        for cells in rows where cells.count != names.count {
            let at = cells.last?.range ?? keyword.range
            error(SyntaxError.expected("\(names.count) cells, one per column of the first row, but this row has \(cells.count)",
                                       found: peek), at: at)
            throw Recover()
        }
        return TestTable(keyword: Located(keyword.text, keyword.range), header: names, rows: rows, range: keyword.range.to(previous.range),
                         rowRanges: rowRanges)
    }

    /// One line `| a | b |`: the cells between its bars.
    private mutating func row() throws -> [TestCell] {
        let open = advance()
        var cells: [TestCell] = []
        // `||` is two bars with an empty cell between.
        if open.isDoubleBar { cells.append(TestCell(text: "", quoted: false, range: SourceRange(open.range.start + 1, open.range.start + 1))) }
        var start = open.range.end
        var inCell: [Token] = []
        while peek.kind != .end, !peek.startsLine {
            guard isBar(peek) else {
                inCell.append(advance())
                continue
            }
            let bar = advance()
            cells.append(cell(inCell, from: start, to: bar.range.start))
            if bar.isDoubleBar { cells.append(TestCell(text: "", quoted: false, range: SourceRange(bar.range.start + 1, bar.range.start + 1))) }
            start = bar.range.end
            inCell = []
        }
        if let first = inCell.first, let last = inCell.last {
            error(SyntaxError.expected("`|` at the end of the row", found: first), at: first.range.to(last.range))
            throw Recover()
        }
        return cells
    }

    private func cell(_ tokens: [Token], from start: Int, to end: Int) -> TestCell {
        guard let first = tokens.first, let last = tokens.last else {
            return TestCell(text: "", quoted: false, range: SourceRange(start, start))
        }
        if tokens.count == 1, first.kind == .string { return TestCell(text: first.text, quoted: true, range: first.range) }
        let range = first.range.to(last.range)
        return TestCell(text: file.slice(range), quoted: false, range: range)
    }

    // MARK: Expectations

    /// `expect "RULE" for C1, C2 [on DATE]: OUTCOME` or `expect nothing for C1 [on DATE]`.
    private mutating func expectation(_ keyword: Token) throws -> Expectation {
        var rule: Located<String>?
        if peek.kind == .string {
            let t = advance()
            rule = Located(t.text, t.range)
        } else if !peek.isWord("nothing") {
            error(SyntaxError.expected("a rule's name in quotes or `nothing` after `expect`, like expect \"VIP win-back\" for C1: sent",
                                       found: peek), at: peek.range)
            throw Recover()
        }
        let nothing = rule == nil ? advance().range : nil
        try expectWord("for", after: rule == nil ? "`expect nothing`" : "the rule's name, like `for C1`")
        var customers = [try customerID()]
        while peek.isSymbol(",") {
            advance()
            customers.append(try customerID())
        }
        var day: Located<LocalDate>?
        var lastDay: Located<LocalDate>?
        if peek.isWord("on"), !peek.startsLine {
            advance()
            day = try dateLiteral(after: "`on`")
        } else if peek.isWord("from"), !peek.startsLine {
            advance()
            day = try dateLiteral(after: "`from`")
            try expectWord("to", after: "the first day, like `from 2025-12-01 to 2025-12-03`")
            lastDay = try dateLiteral(after: "`to`")
        }
        if let nothing {
            return Expectation(rule: nil, customers: customers, day: day, lastDay: lastDay, outcome: Located(.nothing, nothing),
                               range: keyword.range.to(previous.range))
        }
        guard peek.isSymbol(":") else {
            error(SyntaxError.expected("`:` and what should happen, like `: send coupon 20` or `: skipped_consent`", found: peek), at: peek.range)
            throw Recover()
        }
        advance()
        let outcome = lastDay == nil ? try self.outcome() : try sequence()
        return Expectation(rule: rule, customers: customers, day: day, lastDay: lastDay, outcome: outcome, range: keyword.range.to(previous.range))
    }

    /// `sent, skipped_cooldown, no match`: the outcome of each day in turn.
    private mutating func sequence() throws -> Located<ExpectedOutcome> {
        let first = peek
        var steps: [Located<String>] = []
        repeat {
            if peek.isSymbol(",") { advance() }
            guard peek.kind == .word, !peek.startsLine else {
                error(SyntaxError.expected("an outcome for each day, like `sent, skipped_cooldown, skipped_cooldown`", found: peek), at: peek.range)
                throw Recover()
            }
            let start = advance()
            var words = [start.text]
            while peek.kind == .word, !peek.startsLine { words.append(advance().text) }
            steps.append(Located(words.joined(separator: " "), start.range.to(previous.range)))
        } while peek.isSymbol(",") && !peek.startsLine
        return Located(.sequence(steps), first.range.to(previous.range))
    }

    /// A customer id as written in the customers table: a word, a number or text.
    private mutating func customerID() throws -> Located<String> {
        guard [.word, .number, .string].contains(peek.kind), !peek.startsLine else {
            error(SyntaxError.expected("a customer id from the test's customers table, like `for C1`", found: peek), at: peek.range)
            throw Recover()
        }
        let t = advance()
        return Located(t.text, t.range)
    }

    private mutating func outcome() throws -> Located<ExpectedOutcome> {
        let first = peek
        guard first.kind == .word, !first.startsLine else {
            error(SyntaxError.expected(Parser.outcomeExample, found: peek), at: peek.range)
            throw Recover()
        }
        if Parser.actionWords.contains(first.text) {
            let list = try actions()
            return Located(.sent(list), first.range.to(previous.range))
        }
        // A word or two to the end of the line: `skipped_consent`, `no match`.
        var words = [advance().text]
        while peek.kind == .word, !peek.startsLine { words.append(advance().text) }
        return Located(.word(words.joined(separator: " ")), first.range.to(previous.range))
    }
}

extension Token {
    /// `||`, which the lexer reads as one (mistaken) `or`: between a test
    /// table's cells it is two bars around an empty cell.
    var isDoubleBar: Bool {
        if case .error = kind, text == "||" { return true }
        return false
    }
}
