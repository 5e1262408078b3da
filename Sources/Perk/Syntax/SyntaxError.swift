/// The codes of the lexer and parser: P001–P099 are syntax errors; the README
/// lists them. Their messages are the cases of `SyntaxError` below.
enum SyntaxCode: String, DiagnosticCode {
    /// P000 (a note): more problems than the compiler lists; see `Compiler.capped`.
    case moreNotShown = "P000"
    /// P001: a character or text the lexer cannot read, bytes that are not UTF-8, a NUL.
    case unreadable = "P001"
    /// P002: expected something else.
    case expected = "P002"
    /// P003: not a declaration.
    case expectedDeclaration = "P003"
    /// P004: a value is missing.
    case expectedValue = "P004"
    /// P005: a one-line rule without `then`.
    case missingThen = "P005"
    /// P006: a clause given twice.
    case duplicateClause = "P006"
    /// P007: a written date that does not exist.
    case invalidDate = "P007"
    /// P008: an unclosed `(` or `[`.
    case unclosed = "P008"
    /// P009: nesting or an arithmetic chain beyond the parser's budget.
    case tooDeep = "P009"
    /// P010: `=` where `==` was meant.
    case singleEquals = "P010"
    /// P011: a chained comparison.
    case chainedComparison = "P011"
    /// P012: a duration without a unit.
    case missingUnit = "P012"
    /// P013: an unknown action.
    case unknownAction = "P013"
    /// P014: a number too large, or a duration that is not a whole number.
    case numberTooLarge = "P014"
}

/// Every message the lexer and parser can produce, with its stable code.
enum SyntaxError {
    case lexical(String)
    case expected(String, found: Token)
    case expectedDeclaration(Token)
    case expectedValue(found: Token, after: Token?)
    case missingThen(named: String?)
    case duplicateClause(String)
    case invalidDate(String)
    case unclosed(String, closing: String, found: Token)
    case tooDeep
    /// An arithmetic chain longer than the nesting budget allows.
    case tooManyTerms(Int)
    case singleEquals
    case chainedComparison
    case missingUnit(String)
    case unknownAction(Token)
    case numberTooLarge(String)
    case badDurationAmount(String)
    /// `¥20`, `$5`: amounts are plain numbers; `amount` is the number written after the sign.
    case currencySign(String, amount: String?)
    /// `in (GOLD, VIP)`: a list is written in square brackets.
    case parenthesizedList(String)
    /// `member.tier is VIP`: `is` only tests for missing values.
    case isForEquality(negated: Bool, found: Token)

    var code: SyntaxCode {
        switch self {
        case .lexical, .currencySign: return .unreadable
        case .expected, .parenthesizedList, .isForEquality: return .expected
        case .expectedDeclaration: return .expectedDeclaration
        case .expectedValue: return .expectedValue
        case .missingThen: return .missingThen
        case .duplicateClause: return .duplicateClause
        case .invalidDate: return .invalidDate
        case .unclosed: return .unclosed
        case .tooDeep, .tooManyTerms: return .tooDeep
        case .singleEquals: return .singleEquals
        case .chainedComparison: return .chainedComparison
        case .missingUnit: return .missingUnit
        case .unknownAction: return .unknownAction
        case .numberTooLarge, .badDurationAmount: return .numberTooLarge
        }
    }

    var message: String { message(found: nil) }

    /// The message, with what was found described as `found` instead of the
    /// token: a value missing at a line's end is reported there, as "the end
    /// of the line", not as the first word of the next line.
    func message(found described: String?) -> String {
        switch self {
        case .lexical(let reason):
            return reason
        case .expected(let what, let found):
            return "expected \(what), found \(described ?? found.description)"
        case .expectedDeclaration(let found):
            return "expected `rule`, `when`, `define`, `campaign`, `contact policy` or `test`, found \(found)"
        case .expectedValue(let found, let after):
            if let after, after.kind != .end, !(after.kind == .word && after.text == "when") {
                return "expected a value after \(after), found \(described ?? found.description)"
            }
            return "expected a value, found \(described ?? found.description)"
        case .currencySign(let sign, _):
            return "`\(sign)` is a currency sign: amounts in Perk are plain numbers"
        case .parenthesizedList(let text):
            return "expected a list in square brackets after `in`, found `\(text)`"
        case .isForEquality(let negated, let found):
            return "expected `missing` or `present` after `is\(negated ? " not" : "")`, found \(found)"
        case .missingThen(let name):
            return name.map { "rule \"\($0)\" has no `then`: it says what to do" } ?? "this rule has no `then`: it says what to do"
        case .duplicateClause(let clause):
            return "`\(clause)` is given twice"
        case .invalidDate(let text):
            return "\(text) is not a date\(SyntaxError.whyNotADate(text))"
        case .unclosed(let opener, let closing, let found):
            return "expected `\(closing)` to close `\(opener)`, found \(found)"
        case .tooDeep:
            return "expression is nested more than \(Parser.maxNesting) levels deep"
        case .tooManyTerms(let limit):
            return "this arithmetic has more than \(limit) terms"
        case .singleEquals:
            return "`=` names a define; to compare, write `==`"
        case .chainedComparison:
            return "comparisons cannot be chained"
        case .missingUnit(let n):
            return "`\(n)` needs a unit: days, weeks, months or years"
        case .unknownAction(let found):
            return "expected an action (send, award, multiply, set, tag or notify), found \(described ?? found.description)"
        case .numberTooLarge(let text):
            return "`\(text)` is too large a number"
        case .badDurationAmount(let text):
            return "`\(text)` is not a whole number of days, weeks, months or years"
        }
    }

    var help: String? {
        switch self {
        case .expectedDeclaration:
            return "a rules file holds rules (`rule \"name\"` or `when ... then ...`), `define`s, `campaign`s and `contact policy` lines"
        case .missingThen:
            return "add an action, like `then send coupon 20`"
        case .tooDeep, .tooManyTerms:
            return "split the condition into `define`s"
        case .chainedComparison:
            return "write `x between 10 and 20`, or join two comparisons with `and`"
        case .unknownAction(let found):
            if found.kind == .word, let guess = Suggest.closest(to: found.text, among: Parser.actionWords) {
                return "did you mean `\(guess)`?"
            }
            return nil
        case .missingUnit(let n):
            return "write `\(n) days`"
        case .currencySign(_, let amount):
            return "write the amount alone, like `\(amount ?? "20")`"
        case .parenthesizedList(let text):
            return "write `[\(text.dropFirst().dropLast())]`: parentheses group, square brackets make a list"
        case .isForEquality(let negated, _):
            return "`is` tests for a missing value; to compare, write `\(negated ? "!=" : "==")`"
        default:
            return nil
        }
    }

    static func whyNotADate(_ text: String) -> String { LocalDate.problem(with: text) }

    /// True for "expected X, found Y" errors, which the parser reports at
    /// the end of the line when Y starts the next one.
    var isMissingSomething: Bool {
        switch self {
        case .expected, .expectedValue, .unknownAction: return true
        default: return false
        }
    }

    /// True when the error is that the text ended where more was needed (an
    /// open bracket, a trailing `and`, a rule with no `then` yet), which more
    /// text could mend; `next` is the token the parser stood at. The REPL then
    /// reads another line into the entry instead of reporting it.
    func isOutOfInput(next: Token) -> Bool {
        switch self {
        case .expected(_, let found), .expectedValue(let found, _), .unclosed(_, _, let found),
             .unknownAction(let found), .expectedDeclaration(let found):
            return found.kind == .end
        case .missingThen, .missingUnit:
            return next.kind == .end
        default:
            return false
        }
    }
}

extension SyntaxError {
    /// The note after the diagnostics the compiler lists, for the ones it leaves out.
    static func moreNotShown(_ count: Int) -> Diagnostic {
        Diagnostic(.note, SyntaxCode.moreNotShown, "\(count) more problems not shown; fix these first")
    }
}
