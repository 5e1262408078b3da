/// A recursive-descent parser for `.perk` files (see `grammar/perk.ebnf`).
///
/// It never gives up on a file: after an error it skips to the next clause or
/// declaration keyword and carries on, so a file with three broken rules gets
/// three diagnostics. Only the first error of each broken clause is reported.
public struct Parser {
    /// Deeper nesting than this is reported, not recursed into, so no input can
    /// exhaust the stack.
    public static let maxNesting = 200

    let file: SourceFile
    private let tokens: [Token]
    private var index = 0
    private var nextID = 0
    private var depth = 0
    var diagnostics: [Diagnostic] = []
    private let lexicalProblems: [Lexer.Problem]
    /// Names of defines and rules whose declarations could not be parsed.
    private var brokenNames: Set<String> = []
    /// The first error was that the tokens ended where more was needed.
    private var ranOutOfInput = false

    /// Thrown to unwind to the nearest recovery point; the diagnostic is already recorded.
    struct Recover: Error {}

    public static func parse(_ file: SourceFile) -> (RulesFile, [Diagnostic]) {
        var parser = Parser(file: file)
        let declarations = parser.parseFile()
        parser.reportLexicalProblems()
        return (RulesFile(file: file, declarations: declarations, brokenNames: parser.brokenNames, ranOutOfInput: parser.ranOutOfInput),
                parser.diagnostics)
    }

    /// Parses a single expression (the REPL's input); errors if anything follows it.
    public static func parseExpression(_ file: SourceFile) -> (Expr?, [Diagnostic]) {
        parseExpression(file, in: SourceRange(0, file.bytes.count))
    }

    /// Parses the expression written in `range` of a longer line, such as the
    /// condition after `customers where`, so carets point into the line as typed.
    public static func parseExpression(_ file: SourceFile, in range: SourceRange) -> (Expr?, [Diagnostic]) {
        let parsed = parseExpressionNotingEnd(file, in: range)
        return (parsed.expr, parsed.diagnostics)
    }

    /// `parseExpression`, and whether its first error was that `range` ended
    /// where more was needed (`2 +`, `(visit_count > 3`).
    static func parseExpressionNotingEnd(_ file: SourceFile, in range: SourceRange) -> (expr: Expr?, diagnostics: [Diagnostic], ranOutOfInput: Bool) {
        var parser = Parser(file: file, range: range)
        let expr = try? parser.expression()
        if expr != nil, parser.peek.kind != .end {
            parser.error(SyntaxError.expected("the end of the expression", found: parser.peek), at: parser.peek.range)
        }
        parser.reportLexicalProblems()
        return (parser.diagnostics.isEmpty ? expr : nil, parser.diagnostics, parser.ranOutOfInput)
    }

    private init(file: SourceFile, range: SourceRange? = nil) {
        self.file = file
        var (tokens, problems) = Lexer.scan(file)
        if let range {
            tokens = tokens.filter { $0.kind != .end && $0.range.start >= range.start && $0.range.end <= range.end }
            tokens.append(Token(.end, "", SourceRange(range.end, range.end), startsLine: true))
            problems = problems.filter { $0.range.start >= range.start && $0.range.end <= range.end }
        }
        self.tokens = tokens
        self.lexicalProblems = problems
    }

    /// Bytes that are not UTF-8 and NULs inside text and comments: each is an
    /// error in place, whatever the parser made of the tokens around it.
    private mutating func reportLexicalProblems() {
        for p in lexicalProblems {
            let e = SyntaxError.lexical(p.message)
            diagnostics.append(.error(e.code, e.message, in: file, p.range))
        }
    }

    // MARK: - Declarations

    static let declarationWords: Set<String> = ["define", "rule", "campaign", "when", "contact", "test"]
    /// Currency signs people write before amounts (`¥20`); amounts are plain numbers.
    static let currencySigns: Set<String> = ["¥", "￥", "$", "€", "£", "元"]
    static let ruleClauseWords: Set<String> = ["priority", "when", "then", "limit", "every"]
    static let campaignClauseWords: Set<String> = ["from", "budget", "holdout", "exclusive", "rules"]

    private mutating func parseFile() -> [Declaration] {
        var declarations: [Declaration] = []
        while peek.kind != .end {
            let startIndex = index
            do {
                switch peek.kind == .word ? peek.text : "" {
                case "define": declarations.append(.define(try define()))
                case "rule": declarations.append(.rule(try rule(named: true)))
                case "when": declarations.append(.rule(try rule(named: false)))
                case "campaign": declarations.append(.campaign(try campaign()))
                case "contact": declarations.append(.contactPolicy(try contactPolicy()))
                case "test": declarations.append(.test(try test()))
                default:
                    error(SyntaxError.expectedDeclaration(peek), at: peek.range)
                    throw Recover()
                }
            } catch {
                if index == startIndex { advance() }
                synchronizeToDeclaration()
            }
        }
        return declarations
    }

    private mutating func define() throws -> DefineDecl {
        let keyword = advance()
        let name = try expectName(what: "a name after `define`")
        do {
            try expectSymbol("=", after: "the name `\(name.value)`")
            let value = try expression()
            return DefineDecl(name: name, value: value, range: keyword.range.to(value.range))
        } catch {
            brokenNames.insert(name.value)
            throw error
        }
    }

    /// A named rule (`rule "..."` and clauses) or a one-line rule (`when ... then ...`).
    private mutating func rule(named: Bool) throws -> RuleDecl {
        let first = peek
        var rule = RuleDecl(name: nil, priority: nil, condition: nil, actions: [], limit: nil, cooldown: nil, range: first.range, hasErrors: false)
        if named {
            advance()
            guard peek.kind == .string else {
                error(SyntaxError.expected("the rule's name in quotes, like rule \"VIP win-back\"", found: peek), at: peek.range)
                throw Recover()
            }
            let name = advance()
            rule.name = Located(name.text, name.range)
        }
        let errorsBefore = diagnostics.count
        var sawThen = false
        while peek.kind != .end {
            let clause = peek
            if peek.kind == .word, Parser.ruleClauseWords.contains(peek.text) {
                // A second `when` starts the next rule.
                if peek.text == "when", rule.condition != nil || (sawThen && (!named || peek.startsLine)) { break }
                do {
                    try ruleClause(&rule, sawThen: &sawThen)
                } catch {
                    synchronize(to: Parser.ruleClauseWords, orDeclaration: true)
                }
            } else if peek.kind == .word, peek.startsLine, Parser.declarationWords.contains(peek.text) {
                break
            } else {
                let what = rule.condition != nil && !sawThen ? "`then` after the condition"
                    : "`priority`, `when`, `then`, `limit` or `every`"
                error(SyntaxError.expected(what, found: peek), at: peek.range)
                advance()
                synchronize(to: Parser.ruleClauseWords, orDeclaration: true)
            }
            if clause.range == peek.range { break }
        }
        // A named rule without actions is legal (the linter warns); a one-line
        // rule without `then` is surely a mistake.
        if !sawThen, !named, !diagnostics.contains(where: { $0.isError && $0.sortKey.1 >= first.range.start }) {
            let at = rule.condition?.range ?? rule.name?.range ?? first.range
            error(SyntaxError.missingThen(named: rule.name?.value), at: at)
        }
        rule.range = first.range.to(previous.range)
        rule.hasErrors = diagnostics.count > errorsBefore
        if rule.hasErrors, let name = rule.name { brokenNames.insert(name.value) }
        return rule
    }

    private mutating func ruleClause(_ rule: inout RuleDecl, sawThen: inout Bool) throws {
        let keyword = advance()
        switch keyword.text {
        case "priority":
            if rule.priority != nil { error(SyntaxError.duplicateClause("priority"), at: keyword.range) }
            let n = try signedInteger(after: "`priority`")
            rule.priority = n
        case "when":
            rule.condition = try expression()
        case "then":
            if sawThen { error(SyntaxError.duplicateClause("then"), at: keyword.range) }
            sawThen = true
            rule.actions = try actions()
        case "limit":
            if rule.limit != nil { error(SyntaxError.duplicateClause("limit"), at: keyword.range) }
            rule.limit = try limitClause(keyword)
        case "every":
            if rule.cooldown != nil { error(SyntaxError.duplicateClause("every"), at: keyword.range) }
            rule.cooldown = try duration(after: "`every`")
        default:
            preconditionFailure("clause word list and switch disagree")
        }
    }

    /// `once` or `twice` as a count, read; nil (and nothing read) for anything else.
    private mutating func onceOrTwice() -> Located<Int>? {
        if peek.isWord("once") { return Located(1, advance().range) }
        if peek.isWord("twice") { return Located(2, advance().range) }
        return nil
    }

    private mutating func limitClause(_ keyword: Token) throws -> LimitClause {
        let count: Located<Int>
        if let word = onceOrTwice() {
            count = word
        } else if peek.kind == .number, let n = Int(peek.text) {
            count = Located(n, advance().range)
            if peek.isWord("times") || peek.isWord("time") { advance() }
        } else {
            error(SyntaxError.expected("how often, like `limit once per customer` or `limit 3 per customer`", found: peek), at: peek.range)
            throw Recover()
        }
        if peek.isWord("per") {
            advance()
            guard peek.isWord("customer") else {
                error(SyntaxError.expected("`customer` after `per` (limits count per customer)", found: peek), at: peek.range)
                throw Recover()
            }
            advance()
        }
        var period: Located<Duration>?
        if peek.isWord("every") {
            advance()
            period = try duration(after: "`every`")
        }
        return LimitClause(count: count, period: period, range: keyword.range.to(previous.range))
    }

    private mutating func campaign() throws -> CampaignDecl {
        let keyword = advance()
        guard peek.kind == .string else {
            error(SyntaxError.expected("the campaign's name in quotes, like campaign \"Spring win-back\"", found: peek), at: peek.range)
            throw Recover()
        }
        let nameToken = advance()
        var c = CampaignDecl(name: Located(nameToken.text, nameToken.range), from: nil, to: nil, budget: nil,
                             holdout: nil, exclusive: nil, rules: [], range: keyword.range)
        while peek.kind == .word, Parser.campaignClauseWords.contains(peek.text) {
            do {
                try campaignClause(&c)
            } catch {
                synchronize(to: Parser.campaignClauseWords, orDeclaration: true)
            }
        }
        c.range = keyword.range.to(previous.range)
        return c
    }

    private mutating func campaignClause(_ c: inout CampaignDecl) throws {
        let keyword = advance()
        switch keyword.text {
        case "from":
            if c.from != nil { error(SyntaxError.duplicateClause("from"), at: keyword.range) }
            c.from = try dateLiteral(after: "`from`")
            guard peek.isWord("to") else {
                error(SyntaxError.expected("`to` and the last day, like `from 2025-03-01 to 2025-03-31`", found: peek), at: peek.range)
                throw Recover()
            }
            advance()
            c.to = try dateLiteral(after: "`to`")
        case "budget":
            if c.budget != nil { error(SyntaxError.duplicateClause("budget"), at: keyword.range) }
            c.budget = try signedNumber(after: "`budget`")
        case "holdout":
            if c.holdout != nil { error(SyntaxError.duplicateClause("holdout"), at: keyword.range) }
            guard peek.kind == .percent, let n = Number(parsing: peek.text) else {
                error(SyntaxError.expected("a percentage after `holdout`, like `holdout 10%`", found: peek), at: peek.range)
                throw Recover()
            }
            c.holdout = Located(n, advance().range)
        case "exclusive":
            if c.exclusive != nil { error(SyntaxError.duplicateClause("exclusive"), at: keyword.range) }
            c.exclusive = keyword.range
        case "rules":
            repeat {
                if peek.isSymbol(",") { advance() }
                guard peek.kind == .string else {
                    error(SyntaxError.expected("a rule's name in quotes, like rules \"VIP win-back\", \"Birthday treat\"", found: peek), at: peek.range)
                    throw Recover()
                }
                let t = advance()
                c.rules.append(Located(t.text, t.range))
            } while peek.isSymbol(",")
        default:
            preconditionFailure("clause word list and switch disagree")
        }
    }

    /// `contact policy[:] at most N contacts per customer every P [via CHANNEL]`,
    /// all of it required but the colon and the channel.
    private mutating func contactPolicy() throws -> ContactPolicyDecl {
        let keyword = advance()
        try expectWord("policy", after: "`contact` (a rules file may hold `contact policy: at most 2 contacts per customer every 30 days`)")
        if peek.isSymbol(":") { advance() }
        let at = peek
        try expectWord("at", after: "`contact policy`, like `contact policy: at most 2 contacts per customer every 30 days`")
        try expectWord("most", after: "`at`")
        let count: Located<Int>
        if let word = onceOrTwice() {
            count = word
        } else if peek.kind == .number, let n = Int(peek.text) {
            let number = advance()
            guard peek.isWord("contacts") || peek.isWord("contact") else {
                error(SyntaxError.expected("`contacts` after `\(number.text)`, like `at most 2 contacts per customer`", found: peek), at: peek.range)
                throw Recover()
            }
            count = Located(n, number.range)
            advance()
        } else {
            error(SyntaxError.expected("how many contacts, like `at most 2 contacts` or `at most once`", found: peek), at: peek.range)
            throw Recover()
        }
        try expectWord("per", after: "the number of contacts, like `at most 2 contacts per customer`")
        try expectWord("customer", after: "`per` (a contact policy counts per customer)")
        try expectWord("every", after: "`per customer`: the policy needs a period, like `every 30 days`")
        let period = try duration(after: "`every`")
        let channel = try optionalChannel()
        // One policy per line: anything after it on the same line is a slip,
        // such as a second channel.
        if peek.kind != .end, !peek.startsLine {
            error(SyntaxError.expected("the end of the contact policy (one channel at most; write another policy for another channel)", found: peek), at: peek.range)
            throw Recover()
        }
        return ContactPolicyDecl(count: count, period: period, channel: channel, allowanceRange: at.range.to(previous.range),
                                 range: keyword.range.to(previous.range))
    }

    // MARK: - Actions

    static let actionWords = ["send", "award", "multiply", "set", "tag", "notify"]

    mutating func actions() throws -> [Action] {
        var list = [try action()]
        while peek.isSymbol(",") {
            advance()
            list.append(try action())
        }
        return list
    }

    private mutating func action() throws -> Action {
        let verb = peek
        guard verb.kind == .word, Parser.actionWords.contains(verb.text) else {
            error(SyntaxError.unknownAction(verb), at: verb.range)
            throw Recover()
        }
        advance()
        let kind: ActionKind
        switch verb.text {
        case "send":
            if peek.isWord("coupon") {
                advance()
                kind = .coupon(try coupon())
            } else if peek.isWord("message") {
                advance()
                let text = try stringLiteral(what: "the message's name in quotes, like send message \"birthday\"")
                kind = .message(text, channel: try optionalChannel())
            } else {
                error(SyntaxError.expected("`coupon` or `message` after `send`", found: peek), at: peek.range)
                throw Recover()
            }
        case "award":
            try expectWord("points", after: "`award`")
            kind = .awardPoints(try signedNumber(after: "`award points`"))
        case "multiply":
            try expectWord("points", after: "`multiply`")
            let factor = try signedNumber(after: "`multiply points`")
            try expectWord("for", after: "the factor, like `multiply points 2 for 7 days`")
            kind = .multiplyPoints(factor, for: try duration(after: "`for`"))
        case "set":
            try expectWord("tier", after: "`set` (only the tier can be set, like `set tier GOLD`)")
            kind = .setTier(try expectName(what: "a tier after `set tier`, like `set tier GOLD`"))
        case "tag":
            kind = .tag(try stringLiteral(what: "the tag in quotes, like tag \"recovery\""))
        default: // notify
            try expectWord("staff", after: "`notify`")
            kind = .notifyStaff(try stringLiteral(what: "the note for staff in quotes, like notify staff \"call within 24 hours\""))
        }
        return Action(kind: kind, range: verb.range.to(previous.range))
    }

    private mutating func coupon() throws -> CouponSpec {
        let valueToken = peek
        let value: CouponSpec.Value
        switch valueToken.kind {
        case _ where valueToken.kind == .number || valueToken.isSymbol("-"):
            value = .amount(try signedNumber(after: "`send coupon`").value)
        case .percent:
            advance()
            value = .percent(Number(parsing: valueToken.text) ?? .zero)
        case .string:
            advance()
            var worth: Number?
            if peek.isWord("worth") {
                advance()
                worth = try signedNumber(after: "`worth`").value
            }
            value = .named(valueToken.text, worth: worth)
        default:
            error(SyntaxError.expected("the coupon's value after `coupon`: an amount (`20`), a percentage (`15%`) or a name (\"FREE-TOPPING\" worth 6)", found: peek), at: peek.range)
            throw Recover()
        }
        var spec = CouponSpec(value: Located(value, valueToken.range.to(previous.range)), max: nil, validFor: nil, minSpend: nil, channel: nil)
        while peek.kind == .word {
            let option = peek
            switch option.text {
            case "max":
                advance()
                if spec.max != nil { error(SyntaxError.duplicateClause("max"), at: option.range) }
                spec.max = try signedNumber(after: "`max`")
            case "valid":
                advance()
                try expectWord("for", after: "`valid`, like `valid for 14 days`")
                if spec.validFor != nil { error(SyntaxError.duplicateClause("valid for"), at: option.range) }
                spec.validFor = try duration(after: "`valid for`")
            case "min":
                advance()
                try expectWord("spend", after: "`min`, like `min spend 30`")
                if spec.minSpend != nil { error(SyntaxError.duplicateClause("min spend"), at: option.range) }
                spec.minSpend = try signedNumber(after: "`min spend`")
            case "via":
                if spec.channel != nil { error(SyntaxError.duplicateClause("via"), at: option.range) }
                spec.channel = try optionalChannel()
            default:
                return spec
            }
        }
        return spec
    }

    private mutating func optionalChannel() throws -> Located<String>? {
        guard peek.isWord("via") else { return nil }
        advance()
        return try expectName(what: "a channel after `via`: sms, wechat, email or app")
    }

    // MARK: - Expressions (lowest precedence first)

    mutating func expression() throws -> Expr {
        depth += 1
        defer { depth -= 1 }
        if depth > Parser.maxNesting {
            error(SyntaxError.tooDeep, at: peek.range)
            throw Recover()
        }
        return try orExpr()
    }

    private mutating func orExpr() throws -> Expr {
        var terms = [try andExpr()]
        while peek.isWord("or") {
            advance()
            terms.append(try andExpr())
        }
        return balanced(.or, terms[...])
    }

    private mutating func andExpr() throws -> Expr {
        var terms = [try notExpr()]
        while peek.isWord("and") {
            advance()
            terms.append(try notExpr())
        }
        return balanced(.and, terms[...])
    }

    /// A chain of `and`s (or of `or`s) as a balanced tree: they join in any
    /// grouping alike (missing values included) and are still evaluated left
    /// to right, and a generated chain of ten thousand terms is fourteen
    /// levels deep rather than ten thousand, which no later phase's
    /// recursion could take.
    private mutating func balanced(_ op: BinaryOp, _ terms: ArraySlice<Expr>) -> Expr {
        guard terms.count > 1, let first = terms.first, let last = terms.last else { return terms[terms.startIndex] }
        let middle = terms.startIndex + (terms.count + 1) / 2
        return make(.binary(op, balanced(op, terms[..<middle]), balanced(op, terms[middle...])), first.range.to(last.range))
    }

    private mutating func notExpr() throws -> Expr {
        if peek.isWord("not") {
            let keyword = advance()
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxNesting {
                error(SyntaxError.tooDeep, at: keyword.range)
                throw Recover()
            }
            let operand = try notExpr()
            return make(.unary(.not, operand), keyword.range.to(operand.range))
        }
        return try predicate()
    }

    private static let comparisonOps: [String: BinaryOp] = ["==": .eq, "!=": .ne, "<": .lt, "<=": .le, ">": .gt, ">=": .ge]

    /// One comparison or test after a value: `x > 3`, `x in [..]`, `x between a and b`, ...
    private mutating func predicate() throws -> Expr {
        let left = try additive()
        var result: Expr
        let t = peek
        if t.kind == .symbol, let op = Parser.comparisonOps[t.text] {
            advance()
            let right = try additive()
            result = make(.binary(op, left, right), left.range.to(right.range))
        } else if t.kind == .symbol, t.text == "=" {
            error(SyntaxError.singleEquals, at: t.range, fixIt: Diagnostic.FixIt(range: t.range, replacement: "=="))
            throw Recover()
        } else if t.kind == .word {
            switch t.text {
            case "in":
                advance()
                result = try inTail(left)
            case "not" where peekAhead(1).isWord("in"):
                advance(); advance()
                let list = try additive()
                result = make(.inList(left, list, negated: true), left.range.to(list.range))
            case "between":
                advance()
                let low = try additive()
                try expectWord("and", after: "the lower bound, like `between 10 and 20`")
                let high = try additive()
                result = make(.between(left, low, high), left.range.to(high.range))
            case "contains":
                advance()
                let right = try additive()
                result = make(.contains(left, right), left.range.to(right.range))
            case "starts":
                advance()
                try expectWord("with", after: "`starts`, like `starts with \"C0\"`")
                let right = try additive()
                result = make(.startsWith(left, right), left.range.to(right.range))
            case "is":
                let isWord = advance()
                var negated = false
                if peek.isWord("not") { advance(); negated = true }
                if peek.isWord("missing") {
                    advance()
                } else if peek.isWord("present") {
                    advance()
                    negated.toggle()
                } else if !peek.startsLine, [.word, .number, .string, .percent, .date].contains(peek.kind) {
                    // `member.tier is VIP`: English for `==`, a common first guess.
                    error(SyntaxError.isForEquality(negated: negated, found: peek), at: peek.range,
                          fixIt: Diagnostic.FixIt(range: isWord.range.to(previous.range), replacement: negated ? "!=" : "=="))
                    throw Recover()
                } else {
                    error(SyntaxError.expected("`missing` or `present` after `is`", found: peek), at: peek.range)
                    throw Recover()
                }
                result = make(.isMissing(left, negated: negated), left.range.to(previous.range))
            case "within":
                advance()
                let span = try additive()
                result = make(.dateNear(left, .within, span), left.range.to(span.range))
            default:
                return left
            }
        } else {
            return left
        }
        if peek.kind == .symbol, Parser.comparisonOps[peek.text] != nil {
            error(SyntaxError.chainedComparison, at: peek.range)
            throw Recover()
        }
        return result
    }

    /// After `in`: `next N days`, `last N days`, or a list.
    private mutating func inTail(_ left: Expr) throws -> Expr {
        if peek.isWord("next") {
            advance()
            let span = try additive()
            return make(.dateNear(left, .next, span), left.range.to(span.range))
        }
        if peek.isWord("last") {
            advance()
            let span = try additive()
            return make(.dateInLast(left, span), left.range.to(span.range))
        }
        if peek.isSymbol("("), let close = closingParenthesisOfList() {
            // `in (GOLD, VIP)`: parentheses around a list, as in SQL; only `[` `]` make one.
            let range = peek.range.to(close.range)
            let text = file.slice(range)
            error(SyntaxError.parenthesizedList(text), at: range,
                  fixIt: Diagnostic.FixIt(range: range, replacement: "[" + text.dropFirst().dropLast() + "]"))
            throw Recover()
        }
        let list = try additive()
        return make(.inList(left, list, negated: false), left.range.to(list.range))
    }

    /// At a `(`: its matching `)` when a comma stands directly inside, as in
    /// `(GOLD, VIP)` (which can only have been meant as a list); nil otherwise.
    private func closingParenthesisOfList() -> Token? {
        var depth = 0, sawComma = false
        for t in tokens[index...] {
            if t.kind == .end { return nil }
            if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("]") {
                depth -= 1
                if depth == 0 { return sawComma && t.isSymbol(")") ? t : nil }
            }
            if depth == 1, t.isSymbol(",") { sawComma = true }
        }
        return nil
    }

    private mutating func additive() throws -> Expr {
        var left = try multiplicative()
        var terms = 1
        while peek.isSymbol("+") || peek.isSymbol("-") {
            let operator_ = advance()
            try countTerm(&terms, at: operator_)
            let right = try multiplicative()
            left = make(.binary(operator_.text == "+" ? .add : .sub, left, right), left.range.to(right.range))
        }
        return left
    }

    private mutating func multiplicative() throws -> Expr {
        var left = try unary()
        var terms = 1
        while peek.isSymbol("*") || peek.isSymbol("/") {
            let operator_ = advance()
            try countTerm(&terms, at: operator_)
            let right = try unary()
            left = make(.binary(operator_.text == "*" ? .mul : .div, left, right), left.range.to(right.range))
        }
        return left
    }

    /// Arithmetic leans left (`a - b - c` is `(a - b) - c`), one level deeper
    /// per term, so a chain has the same limit as brackets nested in each other.
    private mutating func countTerm(_ terms: inout Int, at operator_: Token) throws {
        terms += 1
        if terms > Parser.maxNesting {
            error(SyntaxError.tooManyTerms(Parser.maxNesting), at: operator_.range)
            throw Recover()
        }
    }

    private mutating func unary() throws -> Expr {
        if peek.isSymbol("-") {
            let minus = advance()
            depth += 1
            defer { depth -= 1 }
            if depth > Parser.maxNesting {
                error(SyntaxError.tooDeep, at: minus.range)
                throw Recover()
            }
            let operand = try unary()
            return make(.unary(.negate, operand), minus.range.to(operand.range))
        }
        return try primary()
    }

    static let durationUnits: [String: Duration.Unit] = [
        "day": .days, "days": .days, "week": .weeks, "weeks": .weeks,
        "month": .months, "months": .months, "year": .years, "years": .years,
    ]

    private mutating func primary() throws -> Expr {
        let t = peek
        switch t.kind {
        case .number:
            advance()
            guard let n = Number(parsing: t.text) else {
                error(SyntaxError.numberTooLarge(t.text), at: t.range)
                throw Recover()
            }
            if peek.kind == .word, let unit = Parser.durationUnits[peek.text] {
                let unitToken = advance()
                guard n.isInteger, let amount = Int(exactly: n.truncated), amount <= 100_000 else {
                    error(SyntaxError.badDurationAmount(t.text), at: t.range)
                    throw Recover()
                }
                return make(.duration(Duration(amount, unit)), t.range.to(unitToken.range))
            }
            return make(.number(n), t.range)
        case .percent:
            advance()
            guard let n = Number(parsing: t.text) else {
                error(SyntaxError.numberTooLarge(t.text), at: t.range)
                throw Recover()
            }
            return make(.percent(n), t.range)
        case .string:
            advance()
            return make(.text(t.text), t.range)
        case .date:
            let d = try dateLiteral(after: "")
            return make(.date(d.value), d.range)
        case .symbol where t.text == "(":
            advance()
            let inner = try expression()
            try expectClosing(")", opener: t)
            // Keep the parentheses in the range so carets cover what was written.
            return Expr(id: inner.id, range: t.range.to(previous.range), kind: inner.kind)
        case .symbol where t.text == "[":
            return try listLiteral()
        case .word:
            return try wordPrimary()
        case .error(let message):
            advance()
            error(SyntaxError.lexical(message), at: t.range)
            throw Recover()
        default:
            error(SyntaxError.expectedValue(found: t, after: index > 0 ? previous : nil), at: t.range)
            throw Recover()
        }
    }

    private static let reservedWords: Set<String> = [
        "and", "or", "not", "in", "between", "contains", "starts", "is", "then", "when", "rule", "define",
        "campaign", "priority", "limit", "where",
    ]

    private mutating func wordPrimary() throws -> Expr {
        let t = peek
        switch t.text {
        case "true", "false":
            advance()
            return make(.bool(t.text == "true"), t.range)
        case "today":
            advance()
            return make(.today, t.range)
        case "member":
            advance()
            guard peek.isSymbol(".") else {
                error(SyntaxError.expected("`.` and a column after `member`, like `member.tier`", found: peek), at: peek.range)
                throw Recover()
            }
            advance()
            // A column whose name is not a word (`store name`) is written in quotes.
            if peek.kind == .string {
                let quoted = advance()
                return make(.member(Located(quoted.text, quoted.range)), t.range.to(quoted.range))
            }
            let field = try expectName(what: "a column name after `member.`, like `member.tier` or `member.\"store name\"`")
            return make(.member(field), t.range.to(field.range))
        case "orders":
            return try orderQuery()
        default:
            if Parser.reservedWords.contains(t.text) {
                error(SyntaxError.expectedValue(found: t, after: index > 0 ? previous : nil), at: t.range)
                throw Recover()
            }
            advance()
            if peek.isSymbol("(") {
                return try call(Located(t.text, t.range))
            }
            return make(.name(t.text), t.range)
        }
    }

    private mutating func call(_ name: Located<String>) throws -> Expr {
        let open = advance()
        var args: [Expr] = []
        if !peek.isSymbol(")") {
            args.append(try expression())
            while peek.isSymbol(",") {
                advance()
                args.append(try expression())
            }
        }
        try expectClosing(")", opener: open)
        return make(.call(name, args), name.range.to(previous.range))
    }

    /// `orders[.field] [in last DURATION] [where CONDITION]`
    private mutating func orderQuery() throws -> Expr {
        let keyword = advance()
        var query = OrderQuery(field: nil, window: nil, filter: nil)
        if peek.isSymbol(".") {
            advance()
            query.field = try expectName(what: "an order column after `orders.`, like `orders.amount`")
        }
        if peek.isWord("in") {
            advance()
            guard peek.isWord("last") else {
                error(SyntaxError.expected("`last` after `orders in`, like `orders in last 30 days`", found: peek), at: peek.range)
                throw Recover()
            }
            advance()
            query.window = try additive()
        }
        if peek.isWord("where") {
            advance()
            query.filter = try expression()
        }
        return make(.orders(query), keyword.range.to(previous.range))
    }

    private mutating func listLiteral() throws -> Expr {
        let open = advance()
        var items: [Expr] = []
        if !peek.isSymbol("]") {
            items.append(try additive())
            while peek.isSymbol(",") {
                advance()
                items.append(try additive())
            }
        }
        try expectClosing("]", opener: open)
        return make(.list(items), open.range.to(previous.range))
    }

    // MARK: - Literals

    mutating func dateLiteral(after what: String) throws -> Located<LocalDate> {
        let t = peek
        guard t.kind == .date else {
            error(SyntaxError.expected("a date like 2025-03-01\(what.isEmpty ? "" : " after \(what)")", found: t), at: t.range)
            throw Recover()
        }
        advance()
        guard let d = LocalDate(parsing: t.text) else {
            error(SyntaxError.invalidDate(t.text), at: t.range)
            throw Recover()
        }
        return Located(d, t.range)
    }

    private mutating func signedNumber(after what: String) throws -> Located<Number> {
        let start = peek.range
        var negative = false
        if peek.isSymbol("-") { advance(); negative = true }
        let t = peek
        guard t.kind == .number, let n = Number(parsing: t.text) else {
            error(SyntaxError.expected("a number after \(what)", found: t), at: t.range)
            throw Recover()
        }
        advance()
        return Located(negative ? n.negated : n, start.to(t.range))
    }

    private mutating func signedInteger(after what: String) throws -> Located<Int> {
        let n = try signedNumber(after: what)
        guard n.value.isInteger, let i = Int(exactly: n.value.truncated), abs(i) <= 1_000_000 else {
            error(SyntaxError.expected("a whole number after \(what)", found: previous), at: n.range)
            throw Recover()
        }
        return Located(i, n.range)
    }

    private mutating func duration(after what: String) throws -> Located<Duration> {
        let t = peek
        guard t.kind == .number, let n = Int(t.text), n <= 100_000 else {
            error(SyntaxError.expected("a duration after \(what), like `30 days`", found: t), at: t.range)
            throw Recover()
        }
        advance()
        guard peek.kind == .word, let unit = Parser.durationUnits[peek.text] else {
            error(SyntaxError.missingUnit(t.text), at: peek.kind == .end ? t.range : peek.range)
            throw Recover()
        }
        advance()
        return Located(Duration(n, unit), t.range.to(previous.range))
    }

    mutating func stringLiteral(what: String) throws -> Located<String> {
        guard peek.kind == .string else {
            if case .error(let message) = peek.kind {
                error(SyntaxError.lexical(message), at: peek.range)
            } else {
                error(SyntaxError.expected(what, found: peek), at: peek.range)
            }
            throw Recover()
        }
        let t = advance()
        return Located(t.text, t.range)
    }

    // MARK: - Token helpers

    var peek: Token { tokens[index] }
    var previous: Token { tokens[Swift.max(0, index - 1)] }
    func peekAhead(_ n: Int) -> Token { tokens[Swift.min(index + n, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[index]
        if index < tokens.count - 1 { index += 1 }
        return t
    }

    mutating func expectWord(_ word: String, after what: String) throws {
        guard peek.isWord(word) else {
            error(SyntaxError.expected("`\(word)` after \(what)", found: peek), at: peek.range)
            throw Recover()
        }
        advance()
    }

    private mutating func expectSymbol(_ s: String, after what: String) throws {
        guard peek.isSymbol(s) else {
            error(SyntaxError.expected("`\(s)` after \(what)", found: peek), at: peek.range)
            throw Recover()
        }
        advance()
    }

    private mutating func expectClosing(_ s: String, opener: Token) throws {
        guard peek.isSymbol(s) else {
            error(SyntaxError.unclosed(opener.text, closing: s, found: peek), at: peek.range,
                  notes: ["the `\(opener.text)` opened at \(file.lineColumn(of: opener.range.start))"])
            throw Recover()
        }
        advance()
    }

    private mutating func expectName(what: String) throws -> Located<String> {
        guard peek.kind == .word else {
            error(SyntaxError.expected(what, found: peek), at: peek.range)
            throw Recover()
        }
        let t = advance()
        return Located(t.text, t.range)
    }

    private mutating func make(_ kind: ExprKind, _ range: SourceRange) -> Expr {
        nextID += 1
        return Expr(id: nextID, range: range, kind: kind)
    }

    // MARK: - Errors and recovery

    mutating func error(_ e: SyntaxError, at range: SourceRange, fixIt: Diagnostic.FixIt? = nil, notes: [String] = []) {
        // The lexer's reason is better than "expected X, found bad input".
        var e = e
        var range = range
        var fixIt = fixIt
        if case .error(let message) = peek.kind, peek.range == range {
            if Parser.currencySigns.contains(peek.text) {
                // `send coupon ¥20`: say what the sign is and offer to drop it.
                let next = peekAhead(1)
                e = .currencySign(peek.text, amount: next.kind == .number && next.range.start == peek.range.end ? next.text : nil)
                fixIt = Diagnostic.FixIt(range: peek.range, replacement: "")
            } else {
                e = .lexical(message)
            }
        }
        if diagnostics.isEmpty { ranOutOfInput = e.isOutOfInput(next: peek) }
        if range.isEmpty, peek.kind == .end, index > 0 { range = SourceRange(previous.range.end, previous.range.end) }
        var found: String?
        if peek.startsLine, peek.kind != .end, peek.range == range, index > 0, e.isMissingSomething {
            // What is missing was due at the end of the line before, not at
            // the next line's first word (often the next declaration).
            range = SourceRange(previous.range.end, previous.range.end)
            found = "the end of the line"
        }
        diagnostics.append(.error(e.code, e.message(found: found), in: file, range, help: e.help, fixIt: fixIt, notes: notes))
    }

    /// Skips to the next line that starts a declaration.
    private mutating func synchronizeToDeclaration() {
        while peek.kind != .end {
            if peek.kind == .word, peek.startsLine, Parser.declarationWords.contains(peek.text) { return }
            advance()
        }
    }

    /// Skips to the next clause keyword, or to a line starting a declaration.
    mutating func synchronize(to clauses: Set<String>, orDeclaration: Bool) {
        while peek.kind != .end {
            if peek.kind == .word {
                if clauses.contains(peek.text), peek.text != "when" || peek.startsLine { return }
                if orDeclaration, peek.startsLine, Parser.declarationWords.contains(peek.text) { return }
            }
            advance()
        }
    }
}
