/// The codes of `perk sql` and of the match files `perk run --matches` reads:
/// Q001–Q099; the README lists them.
enum SQLCode: String, DiagnosticCode {
    /// Q001: a part of a rule the chosen SQL dialect cannot express exactly.
    case inexpressible = "Q001"
    /// Q002: a condition too deep or too large to write out as SQL.
    case tooLarge = "Q002"
    /// Q003: a match file row that is not `customer_id,rule`, or a file without that header.
    case malformedMatch = "Q003"
    /// Q004: a match naming a rule the rules given do not have.
    case unknownRule = "Q004"
    /// Q005: a match naming a customer the customers file does not have.
    case unknownCustomer = "Q005"
}

/// Every message of `perk sql` and of match files, with its code and help:
/// the phase's one catalogue of texts. Writers say which and where.
enum SQLMessage {
    // Q001
    case itemsAggregate(Aggregate)
    case orderFieldOutsideWhere
    case notComputable(on: LocalDate, why: String?)
    case valueOnItsOwn(String)
    case listComparison
    case unwrittenList
    case durationByCustomer
    case dateOfVaryingValue(SQLDialect)
    // Q002
    case tooManyParts(Int)
    case tooDeep(Int)
    // Q003
    case unreadableMatchFile(String)
    case notAMatchHeader(String)
    case brokenRow(DataProblem)
    // Q004
    case unknownRule(String, suggestion: String?)
    case inactiveRule(String, campaign: String, day: LocalDate)
    // Q005
    case unknownCustomer(String, in: String, suggestion: String?)

    var code: SQLCode {
        switch self {
        case .itemsAggregate, .orderFieldOutsideWhere, .notComputable, .valueOnItsOwn, .listComparison, .unwrittenList,
             .durationByCustomer, .dateOfVaryingValue: .inexpressible
        case .tooManyParts, .tooDeep: .tooLarge
        case .unreadableMatchFile, .notAMatchHeader, .brokenRow: .malformedMatch
        case .unknownRule, .inactiveRule: .unknownRule
        case .unknownCustomer: .unknownCustomer
        }
    }

    var message: String {
        switch self {
        case .itemsAggregate(let agg): "`\(agg.rawValue)` of the orders' items cannot be written as SQL"
        case .orderFieldOutsideWhere: "an order's field outside `where` cannot be written as SQL"
        case .notComputable(let day, let why?): "this value cannot be computed exactly on \(day) (\(why)); `perk run` stops on it too"
        case .notComputable(let day, nil): "this value cannot be computed exactly on \(day)"
        case .valueOnItsOwn(let type): "a \(type) value on its own cannot be written as SQL"
        case .listComparison: "comparing lists cannot be written as SQL"
        case .unwrittenList: "a list that is not written in the rule cannot be searched in SQL"
        case .durationByCustomer: "a duration that differs by customer cannot be written as SQL"
        case .dateOfVaryingValue(let dialect):
            "`date(...)` of a value that differs by customer cannot be written in \(dialect.rawValue) SQL exactly "
                + "(a text that is not a date must be missing, not an error)"
        case .tooManyParts(let n): "the condition, with its defines written out, has more than \(n) parts: too large to write as SQL"
        case .tooDeep(let n): "the condition is nested more than \(n) levels deep: too deep to write as SQL"
        case .unreadableMatchFile(let path): "cannot read the match file \(path)"
        case .notAMatchHeader(let header): "the first line of a match file is the header `customer_id,rule`, not `\(header)`"
        case .brokenRow(let problem): problem.message + (problem.code == .wrongFieldCount ? "; a match is two fields, `customer_id,rule`" : "")
        case .unknownRule(let rule, _): "no rule \"\(rule)\" in the rules given"
        case .inactiveRule(let rule, let campaign, let day): "rule \"\(rule)\" is not active on \(day): its campaign \"\(campaign)\" runs on other days"
        case .unknownCustomer(let id, let source, _): "no customer `\(id)` in \(source)"
        }
    }

    var help: String? {
        switch self {
        case .tooManyParts, .tooDeep: "split the condition into smaller rules or defines that do not repeat each other"
        case .itemsAggregate, .orderFieldOutsideWhere, .notComputable, .valueOnItsOwn, .listComparison, .unwrittenList,
             .durationByCustomer, .dateOfVaryingValue: "run this rule with `perk run` on the data files, or write it another way"
        case .notAMatchHeader: "save the rows of the `perk sql` query as CSV with a header"
        case .unknownRule(_, let guess?): "did you mean \"\(guess)\"?"
        case .inactiveRule(_, _, let day): "write the matches with `perk sql --as-of \(day)`"
        case .unknownCustomer(_, _, let guess?): "did you mean `\(guess)`?"
        case .brokenRow(let problem): problem.help
        case .unreadableMatchFile, .unknownRule, .unknownCustomer: nil
        }
    }
}

extension SQLMessage: DiagnosticMessage {}

extension Diagnostic {
    init(_ message: SQLMessage, at location: Location) { self.init(entry: message, at: location) }
}
