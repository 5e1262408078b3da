/// The syntax tree, exactly as parsed. Every node carries its source range; the
/// checker records what names mean beside the tree, never by rewriting it.

/// A value with the source range it was written at.
public struct Located<T: Sendable>: Sendable {
    public var value: T
    public var range: SourceRange
    public init(_ value: T, _ range: SourceRange) {
        self.value = value
        self.range = range
    }
}

/// One parsed `.perk` file.
public struct RulesFile: Sendable {
    public var file: SourceFile
    public var declarations: [Declaration]
    /// Defines and rules whose declarations had syntax errors: the checker
    /// knows these names exist, so it does not report them again as unknown.
    public var brokenNames: Set<String> = []
    /// The first syntax error was that the text ended where more was needed:
    /// more text could finish it (the REPL reads another line).
    public var ranOutOfInput = false
}

public enum Declaration: Sendable {
    case define(DefineDecl)
    case rule(RuleDecl)
    case campaign(CampaignDecl)
    case contactPolicy(ContactPolicyDecl)
    /// `test "..."`: what the rules must do for a few customers (see `TestDecl`).
    case test(TestDecl)

    public var range: SourceRange {
        switch self {
        case .define(let d): return d.range
        case .rule(let r): return r.range
        case .campaign(let c): return c.range
        case .contactPolicy(let p): return p.range
        case .test(let t): return t.range
        }
    }
}

/// `define lapsed = days_since_visit > 60`
public struct DefineDecl: Sendable {
    public var name: Located<String>
    public var value: Expr
    public var range: SourceRange
}

/// `rule "VIP win-back" priority 10 when ... then ... limit ...`, or a one-line
/// rule `when ... then ...` with no name.
public struct RuleDecl: Sendable {
    /// The name as written, without quotes; nil for a one-line rule.
    public var name: Located<String>?
    public var priority: Located<Int>?
    public var condition: Expr?
    public var actions: [Action]
    public var limit: LimitClause?
    public var cooldown: Located<Duration>?
    /// The whole rule; its start names an unnamed rule (`winback.perk:3`).
    public var range: SourceRange
    /// True when the parser recovered inside this rule; the checker skips it.
    public var hasErrors: Bool
}

/// `limit once per customer`, `limit 3 per customer`, `limit once per customer every 30 days`.
public struct LimitClause: Sendable {
    /// How many times; with `every`, how many times within each period.
    public var count: Located<Int>
    public var period: Located<Duration>?
    public var range: SourceRange
}

public struct CampaignDecl: Sendable {
    public var name: Located<String>
    public var from: Located<LocalDate>?
    public var to: Located<LocalDate>?
    public var budget: Located<Number>?
    public var holdout: Located<Number>?
    public var exclusive: SourceRange?
    public var rules: [Located<String>]
    public var range: SourceRange
}

/// `contact policy: at most 2 contacts per customer every 30 days [via sms]`:
/// how often any rules together may contact one customer.
public struct ContactPolicyDecl: Sendable {
    /// `once` is 1, `twice` 2.
    public var count: Located<Int>
    public var period: Located<Duration>
    public var channel: Located<String>?
    /// From `at` to the end: the policy as `explain` quotes it.
    public var allowanceRange: SourceRange
    public var range: SourceRange
}

// MARK: - Actions

public struct Action: Sendable {
    public var kind: ActionKind
    public var range: SourceRange
}

public enum ActionKind: Sendable {
    case coupon(CouponSpec)
    case message(Located<String>, channel: Located<String>?)
    case awardPoints(Located<Number>)
    case multiplyPoints(Located<Number>, for: Located<Duration>)
    case setTier(Located<String>)
    case tag(Located<String>)
    case notifyStaff(Located<String>)
}

public struct CouponSpec: Sendable {
    public enum Value: Sendable {
        /// `send coupon 20`: an amount off.
        case amount(Number)
        /// `send coupon 15%`: a share off, capped by `max`.
        case percent(Number)
        /// `send coupon "FREE-TOPPING" worth 6`.
        case named(String, worth: Number?)
    }

    public var value: Located<Value>
    public var max: Located<Number>?
    public var validFor: Located<Duration>?
    public var minSpend: Located<Number>?
    public var channel: Located<String>?
}

// MARK: - Expressions

public struct Expr: Sendable {
    /// Unique within its file; the checker and `explain` key their records by it.
    public var id: Int
    public var range: SourceRange
    public var kind: ExprKind

    public init(id: Int, range: SourceRange, kind: ExprKind) {
        self.id = id
        self.range = range
        self.kind = kind
    }
}

public indirect enum ExprKind: Sendable {
    case number(Number)
    case percent(Number)
    case text(String)
    case date(LocalDate)
    case duration(Duration)
    case bool(Bool)
    case today
    /// A bare word: a define, a derived field, an order field inside `where`, or an enum symbol.
    case name(String)
    /// `member.tier`; the range is the field name's.
    case member(Located<String>)
    case unary(UnaryOp, Expr)
    case binary(BinaryOp, Expr, Expr)
    case list([Expr])
    /// `x in [..]`, `x not in [..]`.
    case inList(Expr, Expr, negated: Bool)
    case between(Expr, Expr, Expr)
    case contains(Expr, Expr)
    case startsWith(Expr, Expr)
    /// `x is missing` (negated: `x is present`).
    case isMissing(Expr, negated: Bool)
    /// `birthday in next 3 days`, `member.joined within 7 days`.
    case dateNear(Expr, DateNearness, Expr)
    /// `member.joined in last 30 days`.
    case dateInLast(Expr, Expr)
    case call(Located<String>, [Expr])
    /// `orders.amount in last 90 days where channel == "delivery"`; only inside an aggregate.
    case orders(OrderQuery)
}

public enum DateNearness: String, Sendable {
    /// `in next N days`: the next occurrence is today through today + N.
    case next
    /// `within N days`: an occurrence is at most N days away, before or after.
    case within
}

public struct OrderQuery: Sendable {
    public var field: Located<String>?
    /// `in last 30 days`: a duration expression.
    public var window: Expr?
    public var filter: Expr?
}

public enum UnaryOp: String, Sendable {
    case not
    case negate = "-"
}

public enum BinaryOp: String, Sendable {
    case and, or
    case eq = "==", ne = "!=", lt = "<", le = "<=", gt = ">", ge = ">="
    case add = "+", sub = "-", mul = "*", div = "/"

    public var isComparison: Bool {
        switch self {
        case .eq, .ne, .lt, .le, .gt, .ge: return true
        default: return false
        }
    }
    public var isArithmetic: Bool {
        switch self {
        case .add, .sub, .mul, .div: return true
        default: return false
        }
    }
}
