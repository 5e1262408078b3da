/// The codes of the checker: P101–P199 are errors in meaning (and P115 a
/// warning about the data); the README lists them. Their messages are the
/// named constructors of `SemanticError` below.
enum CheckerCode: String, DiagnosticCode {
    /// P101: an unknown name, field, column or function.
    case unknownName = "P101"
    /// P102: types that do not fit.
    case typeMismatch = "P102"
    /// P103: an unknown enum value.
    case unknownSymbol = "P103"
    /// P104: an invalid value.
    case invalidValue = "P104"
    /// P105: an unknown channel.
    case unknownChannel = "P105"
    /// P106: a rule or campaign declared twice.
    case duplicate = "P106"
    /// P107: a campaign naming a missing rule.
    case unknownRule = "P107"
    /// P108: a define that refers to itself.
    case defineCycle = "P108"
    /// P109: a define declared twice, or a built-in name redefined.
    case duplicateDefine = "P109"
    /// P110: `orders` outside an aggregate.
    case ordersOutsideAggregate = "P110"
    /// P111: an aggregate used wrongly.
    case aggregateMisuse = "P111"
    /// P112: a condition that is not true or false.
    case notACondition = "P112"
    /// P113: a rule in two campaigns.
    case ruleInTwoCampaigns = "P113"
    /// P114: a percentage coupon without `max` in a campaign with a budget.
    case unboundedPercentCoupon = "P114"
    /// P115 (a warning): an item no order in the data has.
    case unknownItem = "P115"
    /// P116: a define or condition too large once its defines are written out.
    case tooLarge = "P116"
    /// P117: a number where a duration is needed (`in last 30`).
    case durationWithoutUnit = "P117"
    /// P118: `date("...")` of a text that is not a date.
    case notADate = "P118"
    /// P119: a rule with two cooldowns, `limit ... every` and `every`.
    case twoCooldowns = "P119"
    /// P120: a campaign that names no rules.
    case campaignWithoutRules = "P120"
}

/// One message of the checker, which `Checker.report` places in the file.
struct CheckerMessage {
    let code: CheckerCode
    let message: String
    let help: String?
    /// Only P115 is a warning: the rule is sound, the data just lacks the item.
    let severity: Diagnostic.Severity

    init(_ code: CheckerCode, _ message: String, _ help: String?, severity: Diagnostic.Severity = .error) {
        self.code = code
        self.message = message
        self.help = help
        self.severity = severity
    }

    func diagnostic(in file: SourceFile, _ range: SourceRange, fixIt: Diagnostic.FixIt? = nil, notes: [String] = []) -> Diagnostic {
        Diagnostic(severity, code, message, at: .source(file, range), notes: notes, help: help, fixIt: fixIt)
    }
}

/// Every message the checker can produce, with its stable code.
enum SemanticError {
    static func unknownName(_ name: String, suggestion: String?, help: String? = nil) -> CheckerMessage {
        CheckerMessage(.unknownName, "unknown name `\(name)`\(suggestion.map { "; did you mean `\($0)`?" } ?? "")", help)
    }

    static func unknownField(_ name: String, suggestion: String?, source: String) -> CheckerMessage {
        CheckerMessage(.unknownName, "unknown field `member.\(name)`\(suggestion.map { "; did you mean `member.\($0)`?" } ?? "")",
                       "the customer columns come from \(source)")
    }

    /// A type with its article, as messages name it: "a number", "an enum", "a list of dates".
    static func article(_ t: PerkType) -> String {
        switch t {
        case .enumeration(let en): return "a \(en.name)"
        case .list(let inner): return "a list of \(inner.shortName)"
        case .unknown: return "missing"
        default:
            let name = t.shortName
            return (name.first.map { "aeiou".contains($0) } ?? false ? "an " : "a ") + name
        }
    }

    // MARK: P102, types that do not fit. Operands are given as written (`source`).

    static func cannotNegate(_ operand: String, _ type: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "cannot negate `\(operand)`, a \(type.shortName)", nil)
    }

    static func startsWithNeedsText(_ a: String, _ at: PerkType, _ b: String, _ bt: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "`starts with` needs text on both sides, but `\(a)` is a \(at.shortName) and `\(b)` is a \(bt.shortName)", nil)
    }

    /// `test` is `in next`, `within` or `in last`.
    static func notADate(_ x: String, _ type: PerkType, for test: String) -> CheckerMessage {
        let help = test == "in last" ? "`in last` applies to dates (like `member.joined in last 30 days`) and to orders"
            : "`in next` and `within` apply to dates, like `birthday in next 3 days`"
        return CheckerMessage(.typeMismatch, "`\(x)` is a \(type.shortName), not a date", help)
    }

    static func boolsHaveNoOrder(_ op: String) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "true and false have no order, so `\(op)` cannot compare them", "use `==` or `!=`")
    }

    static func cannotCompare(_ a: String, _ at: PerkType, _ b: String, _ bt: PerkType, help: String?) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "cannot compare `\(a)` (\(article(at))) with `\(b)` (\(article(bt)))", help)
    }

    static func cannotApply(_ op: String, _ a: String, _ at: PerkType, _ b: String, _ bt: PerkType, help: String?) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "cannot apply `\(op)` to `\(a)` (\(article(at))) and `\(b)` (\(article(bt)))", help)
    }

    static func mixedList(_ item: String, _ type: PerkType, among element: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "a list holds values of one type, but `\(item)` is \(article(type)) among \(element.shortName) values", nil)
    }

    static func listNotFixed() -> CheckerMessage {
        CheckerMessage(.typeMismatch, "a list written in place must hold fixed values, like [GOLD, VIP]", "to test each value, join comparisons with `or`")
    }

    static func listValueMismatch(_ x: String, _ xt: PerkType, _ item: String, _ it: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "`\(x)` is \(article(xt)), but the list holds `\(item)` (\(article(it)))", nil)
    }

    static func inNeedsList(_ list: String, _ type: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "`in` needs a list on its right, like `in [GOLD, VIP]`, but `\(list)` is \(article(type))", nil)
    }

    static func containsMismatch(_ a: String, _ at: PerkType, _ b: String, _ bt: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "`contains` looks for text in text or a value in a list, but `\(a)` is \(article(at)) and `\(b)` is \(article(bt))", nil)
    }

    static func expectedDuration(after what: String) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "expected a duration like `30 days` after \(what)", nil)
    }

    static func builtinArgument(_ builtin: String, _ expected: PerkType, _ arg: String, _ type: PerkType) -> CheckerMessage {
        CheckerMessage(.typeMismatch, "`\(builtin)` takes \(article(expected)), but `\(arg)` is \(article(type))", nil)
    }

    static func unknownSymbol(_ symbol: String, of e: EnumType, suggestion: String?) -> CheckerMessage {
        CheckerMessage(.unknownSymbol, "`\(symbol)` is not a \(e.name)\(suggestion.map { "; did you mean `\($0)`?" } ?? "")",
                       "\(e.name) is one of \(e.cases.joined(separator: ", "))")
    }


    static func unknownChannel(_ name: String) -> CheckerMessage {
        let guess = Suggest.closest(to: name, among: Channel.allCases.map(\.rawValue))
        return CheckerMessage(.unknownChannel, "unknown channel `\(name)`\(guess.map { "; did you mean `\($0)`?" } ?? "")",
                              "channels are sms, wechat, email and app")
    }

    static func duplicate(_ what: String, _ name: String) -> CheckerMessage {
        CheckerMessage(.duplicate, "\(what) \"\(name)\" is declared twice", "give each \(what) its own name")
    }

    static func unknownRule(_ name: String, suggestion: String?) -> CheckerMessage {
        CheckerMessage(.unknownRule, "campaign names rule \"\(name)\", which does not exist\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "")", nil)
    }

    /// P116: a condition or define too large to evaluate, explain or reason about.
    static func tooLarge(_ what: String, _ e: Expansion) -> CheckerMessage {
        if e.depth > Expansion.maxDepth {
            return CheckerMessage(.tooLarge, "\(what) is nested more than \(Expansion.maxDepth) levels deep once its defines are written out",
                                  "build it from fewer layers of defines")
        }
        return CheckerMessage(.tooLarge, "\(what) is too large: written out with its defines, it has more than \(PlanReport.grouped(Expansion.maxSize)) parts",
                              "a define used twice counts twice, so defines built on defines that each use the one before twice double at every step; "
                              + "use each define once, or test the parts in separate rules")
    }

    static func definesTooDeep(_ name: String, below stack: [String]) -> CheckerMessage {
        let chain = ([name] + stack.suffix(2).reversed()).map { "`\($0)`" }.joined(separator: " in ")
        return CheckerMessage(.tooLarge, "define `\(name)` is built from defines more than \(Expansion.maxDepth) deep (\(chain), ...)",
                              "build it from fewer layers of defines")
    }

    static func cycle(_ path: [String]) -> CheckerMessage {
        if path.count == 1 {
            return CheckerMessage(.defineCycle, "define `\(path[0])` refers to itself", "a define must be built from other fields")
        }
        return CheckerMessage(.defineCycle, "define `\(path[0])` refers to itself through \(path.dropFirst().map { "`\($0)`" }.joined(separator: ", "))",
                              "a define must be built from other fields")
    }

    static func duplicateDefine(_ name: String) -> CheckerMessage {
        CheckerMessage(.duplicateDefine, "define `\(name)` is declared twice", nil)
    }

    static func ordersOutsideAggregate() -> CheckerMessage {
        CheckerMessage(.ordersOutsideAggregate, "`orders` is a list of orders, not a value",
                       "wrap it in count, sum, avg, min, max, any or all, like `count(orders in last 30 days)`")
    }

    // MARK: P111, aggregates and functions used wrongly

    static func builtinArity(_ builtin: String, takes arity: Int, given: Int) -> CheckerMessage {
        CheckerMessage(.aggregateMisuse, "`\(builtin)` takes \(arity) value, not \(given)", nil)
    }

    static func aggregateNeedsOrders(_ agg: String, example: String) -> CheckerMessage {
        CheckerMessage(.aggregateMisuse, "`\(agg)` works on orders, like `\(agg)(\(example))`", nil)
    }

    /// `sum` or `avg` of no column, or of one that is not numbers.
    static func aggregateNeedsNumbers(_ agg: String, field: String?, _ type: PerkType?) -> CheckerMessage {
        let message = type.map { "`\(agg)` needs a number column, but `orders.\(field ?? "")` is \(article($0))" }
            ?? "`\(agg)` needs a number column to add up"
        return CheckerMessage(.aggregateMisuse, message, "like `\(agg)(orders.amount in last 90 days)`")
    }

    static func aggregateNeedsNumbersOrDates(_ agg: String) -> CheckerMessage {
        CheckerMessage(.aggregateMisuse, "`\(agg)` needs a number or date column, like `\(agg)(orders.amount in last 90 days)`", nil)
    }

    static func notACondition(_ type: PerkType) -> CheckerMessage {
        CheckerMessage(.notACondition, "a condition must be true or false, but this is a \(type.shortName)",
                       "compare it with something, like `> 30` or `== VIP`")
    }

    static func ruleInTwoCampaigns(_ rule: String, first: String) -> CheckerMessage {
        CheckerMessage(.ruleInTwoCampaigns, "rule \"\(rule)\" is already in campaign \"\(first)\"", "a rule belongs to at most one campaign")
    }

    static func derivedAsColumn(_ name: String) -> CheckerMessage {
        CheckerMessage(.unknownName, "`\(name)` is derived from orders, not a customer column", "write `\(name)` without `member.`")
    }

    static func unknownFunction(_ name: String, suggestion: String?, functions: [String]) -> CheckerMessage {
        CheckerMessage(.unknownName, "unknown function `\(name)`\(suggestion.map { "; did you mean `\($0)`?" } ?? "")",
                       "functions are \(functions.joined(separator: ", "))")
    }

    static func unknownOrderColumn(_ name: String, suggestion: String?, columns: [String]) -> CheckerMessage {
        CheckerMessage(.unknownName, "unknown order column `orders.\(name)`\(suggestion.map { "; did you mean `orders.\($0)`?" } ?? "")",
                       "order columns are \(columns.joined(separator: ", "))")
    }

    static func noTierColumn() -> CheckerMessage {
        CheckerMessage(.unknownName, "`set tier` needs a `tier` column in the customers data", nil)
    }

    static func redefinesBuiltIn(_ name: String) -> CheckerMessage {
        CheckerMessage(.duplicateDefine, "`\(name)` is a built-in name and cannot be redefined", "choose another name")
    }

    static func unboundedPercentCoupon() -> CheckerMessage {
        CheckerMessage(.unboundedPercentCoupon, "a percentage coupon in a campaign with a budget needs a `max`, or its cost is unbounded",
                       "add `max 10` after the percentage")
    }

    /// A warning, not an error: the rule is sound, but no order in this data has the item.
    static func unknownItem(_ name: String, suggestion: String?) -> CheckerMessage {
        CheckerMessage(.unknownItem, "no order has the item \"\(name)\"\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "")",
                       "item names must match the orders' items exactly", severity: .warning)
    }

    /// `in last 30`: the parser reads `30` as a number; only the checker knows a duration was due.
    static func durationWithoutUnit(_ text: String, after what: String) -> CheckerMessage {
        CheckerMessage(.durationWithoutUnit, "`\(text)` needs a unit after \(what): days, weeks, months or years", "write `\(text) days`")
    }

    /// `date("2025-02-30")`: the text is a value to the parser; the checker reads it as a date.
    static func notADate(_ text: String) -> CheckerMessage {
        CheckerMessage(.notADate, "\"\(text)\" is not a date\(SyntaxError.whyNotADate(text))", "write dates as YYYY-MM-DD")
    }

    static func twoCooldowns() -> CheckerMessage {
        CheckerMessage(.twoCooldowns, "the rule has two cooldowns: `limit ... every` and `every`", "keep one")
    }

    static func campaignWithoutRules(_ name: String) -> CheckerMessage {
        CheckerMessage(.campaignWithoutRules, "campaign \"\(name)\" names no rules", "add `rules \"rule name\", ...`")
    }

    // MARK: P104, invalid values

    static func divisionByZero() -> CheckerMessage {
        CheckerMessage(.invalidValue, "division by zero", nil)
    }

    static func notInDays(_ what: String, unit: String) -> CheckerMessage {
        CheckerMessage(.invalidValue, "\(what) counts days or weeks, not \(unit)s", nil)
    }

    static func limitBelowOne() -> CheckerMessage {
        CheckerMessage(.invalidValue, "a limit must allow at least one action", nil)
    }

    static func periodBelowOne(_ unit: String) -> CheckerMessage {
        CheckerMessage(.invalidValue, "`every` needs a period of at least 1 \(unit)", nil)
    }

    static func pointsPeriodNotInDays() -> CheckerMessage {
        CheckerMessage(.invalidValue, "give the points period in days or weeks, like `for 7 days`", nil)
    }

    static func couponNotPositive(_ worth: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a coupon must be worth more than 0, not \(worth)", nil)
    }

    /// `named` says which fixed coupon it is: an amount, or a named coupon with a worth.
    static func maxOnFixedCoupon(named: Bool) -> CheckerMessage {
        CheckerMessage(.invalidValue, "`max` caps a percentage coupon; this coupon " + (named ? "has a fixed worth" : "is a fixed amount"), nil)
    }

    static func percentOutOfRange(_ percent: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a percentage coupon must take off more than 0% and at most 100%, not \(percent)%", nil)
    }

    static func maxNotPositive(_ max: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "`max` must be more than 0, not \(max)", nil)
    }

    static func couponWithoutName() -> CheckerMessage {
        CheckerMessage(.invalidValue, "a named coupon needs a name", nil)
    }

    static func couponWithoutWorth(_ name: String) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a named coupon needs its face value, so budgets and costs add up", "write `send coupon \"\(name)\" worth 6`")
    }

    static func negativeWorth() -> CheckerMessage {
        CheckerMessage(.invalidValue, "a coupon cannot be worth less than 0", nil)
    }

    static func validityNotInDays() -> CheckerMessage {
        CheckerMessage(.invalidValue, "give how long a coupon is valid in days or weeks, at least 1 day", nil)
    }

    static func negativeMinSpend() -> CheckerMessage {
        CheckerMessage(.invalidValue, "`min spend` cannot be negative", nil)
    }

    static func notPositive(_ what: String, _ n: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "\(what) must be more than 0, not \(n)", nil)
    }

    static func empty(_ what: String) -> CheckerMessage {
        CheckerMessage(.invalidValue, "\(what) cannot be empty", nil)
    }

    static func endsBeforeStart(from: LocalDate, to: LocalDate) -> CheckerMessage {
        CheckerMessage(.invalidValue, "the campaign ends (\(to)) before it starts (\(from))", "swap the dates")
    }

    static func budgetNotPositive(_ budget: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a budget must be more than 0, not \(budget)", nil)
    }

    static func holdoutOutOfRange(_ holdout: Number) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a holdout must be at least 0% and less than 100%, not \(holdout)%", nil)
    }

    static func policyBelowOne(_ count: Int) -> CheckerMessage {
        CheckerMessage(.invalidValue, "a contact policy must allow at least one contact, not \(count)", "write `at most once per customer every 30 days`")
    }
}
