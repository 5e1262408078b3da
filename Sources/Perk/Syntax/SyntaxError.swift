/// Every message the lexer and parser can produce, with its stable code.
/// Codes P001–P099 are syntax errors; the README lists them.
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

    var code: String {
        switch self {
        case .lexical: return "P001"
        case .expected: return "P002"
        case .expectedDeclaration: return "P003"
        case .expectedValue: return "P004"
        case .missingThen: return "P005"
        case .duplicateClause: return "P006"
        case .invalidDate: return "P007"
        case .unclosed: return "P008"
        case .tooDeep, .tooManyTerms: return "P009"
        case .singleEquals: return "P010"
        case .chainedComparison: return "P011"
        case .missingUnit: return "P012"
        case .unknownAction: return "P013"
        case .numberTooLarge, .badDurationAmount: return "P014"
        }
    }

    var message: String {
        switch self {
        case .lexical(let reason):
            return reason
        case .expected(let what, let found):
            return "expected \(what), found \(found)"
        case .expectedDeclaration(let found):
            return "expected `rule`, `when`, `define`, `campaign` or `contact policy`, found \(found)"
        case .expectedValue(let found, let after):
            if let after, after.kind != .end, !(after.kind == .word && after.text == "when") {
                return "expected a value after \(after), found \(found)"
            }
            return "expected a value, found \(found)"
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
            return "expected an action (send, award, multiply, set, tag or notify), found \(found)"
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
        default:
            return nil
        }
    }

    static func whyNotADate(_ text: String) -> String { LocalDate.problem(with: text) }

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
