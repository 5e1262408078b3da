/// Rules after checking: every name resolved to a slot, every node typed, every
/// action validated. This is what the interpreter, the planner and the simulator run.
public struct CheckedProgram: Sendable {
    /// In evaluation order: priority (higher first), then file order.
    public var rules: [CheckedRule]
    public var campaigns: [CheckedCampaign]
    public var defines: [CheckedDefine]
    public var schema: Schema
    /// Every `contact policy`, in file order; they all apply.
    public var contactPolicies: [ContactPolicy] = []
    /// How many node ids the program's expressions use (see `NodeID`).
    public var nodeCount = 0
}

public struct CheckedDefine: Sendable {
    public var name: String
    public var value: CheckedExpr
    public var file: SourceFile
    public var range: SourceRange
}

public struct CheckedRule: Sendable {
    /// As written, or `file.perk:3` for a one-line rule.
    public var name: String
    public var file: SourceFile
    public var range: SourceRange
    /// The quoted name, or `when` of a one-line rule: where warnings about the rule point.
    public var nameRange: SourceRange
    public var priority: Int
    /// Position among all rules in file order (files sorted by path).
    public var fileOrder: Int
    public var condition: CheckedExpr
    public var actions: [CheckedAction]
    /// `limit N per customer`: at most N decisions for a customer, ever.
    public var lifetimeLimit: Int?
    /// `every 30 days` or `limit N per customer every 30 days`: at most `count`
    /// decisions for a customer within any `period`.
    public var cooldown: Cooldown?
    /// Index into `CheckedProgram.campaigns`.
    public var campaign: Int?

    /// Every channel this rule contacts a customer through.
    public var channels: [Channel] {
        var out: [Channel] = []
        for a in actions { if let c = a.channel, !out.contains(c) { out.append(c) } }
        return out
    }

    /// True when the rule sends a coupon.
    public var sendsCoupon: Bool { actions.contains { $0.coupon != nil } }
}

public struct Cooldown: Sendable, Equatable {
    public var count: Int
    public var period: Duration
}

public struct CheckedCampaign: Sendable {
    public var name: String
    public var file: SourceFile
    public var range: SourceRange
    public var nameRange: SourceRange
    public var from: LocalDate?
    public var to: LocalDate?
    public var budget: Number?
    /// Share held out, as a percentage (10 for `holdout 10%`).
    public var holdout: Number?
    public var exclusive: Bool
    /// Indexes into `CheckedProgram.rules`.
    public var rules: [Int]

    public func isActive(on day: LocalDate) -> Bool {
        if let from, day < from { return false }
        if let to, day > to { return false }
        return true
    }
}

/// `contact policy: at most 2 contacts per customer every 30 days [via sms]`: at
/// most `count` contacts of one customer on any `period` of days, whatever the
/// rules. A contact is a sent decision of a rule with an action `via` a channel
/// (with `channel`, via that channel); account-only actions are not contacts.
public struct ContactPolicy: Sendable {
    public var count: Int
    public var period: Duration
    /// Nil: every channel counts.
    public var channel: Channel?
    public var file: SourceFile
    /// The whole declaration, where warnings about it point.
    public var range: SourceRange
    /// `at most ... [via sms]`, as written.
    public var allowanceRange: SourceRange

    public init(count: Int, period: Duration, channel: Channel?, file: SourceFile, range: SourceRange, allowanceRange: SourceRange) {
        self.count = count
        self.period = period
        self.channel = channel
        self.file = file
        self.range = range
        self.allowanceRange = allowanceRange
    }

    /// The policy as written, on one line: `at most 2 contacts per customer every 30 days`.
    public var text: String { ExplanationText.oneLine(file.slice(allowanceRange)) }

    /// True when a sent decision of `rule` is a contact under this policy.
    public func covers(_ rule: CheckedRule) -> Bool {
        rule.actions.contains { a in a.channel != nil && (channel == nil || a.channel == channel) }
    }

    /// True when a decision that reached the customer through `channels` is a contact under this policy.
    public func covers(channels: Channels) -> Bool {
        channel.map { channels.contains($0) } ?? !channels.isEmpty
    }
}

public enum Channel: String, CaseIterable, Sendable {
    case sms, wechat, email, app

    /// The customers column that records consent for this channel.
    public var consentColumn: String { "\(rawValue)_opt_in" }
}

/// A set of channels in one byte, for records kept by the million.
public struct Channels: OptionSet, Sendable, Hashable {
    public let rawValue: UInt8
    public init(rawValue: UInt8) { self.rawValue = rawValue }

    public init(_ channel: Channel) {
        rawValue = 1 << UInt8(Channel.allCases.firstIndex(of: channel) ?? 0)
    }

    public func contains(_ channel: Channel) -> Bool { contains(Channels(channel)) }

    public static let sms = Channels(.sms), wechat = Channels(.wechat), email = Channels(.email), app = Channels(.app)
}

public struct CheckedAction: Sendable {
    public enum Kind: Sendable {
        case coupon(Coupon)
        case message(String)
        case awardPoints(Number)
        case multiplyPoints(Number, days: Int)
        case setTier(ordinal: Int32, name: String)
        case tag(String)
        case notifyStaff(String)
    }

    public var kind: Kind
    public var channel: Channel?
    /// Slot of the `<channel>_opt_in` column, if the data has one.
    public var consentSlot: Int?
    public var range: SourceRange

    public var coupon: Coupon? {
        if case .coupon(let c) = kind { return c }
        return nil
    }
}

public struct Coupon: Sendable, Equatable {
    public enum Value: Sendable, Equatable {
        case amount(Number)
        case percent(Number, max: Number?)
        case named(String, worth: Number)
    }

    public var value: Value
    /// How long the coupon can be used; 14 days unless `valid for` says otherwise.
    public var validDays: Int
    public var minSpend: Number?

    /// What the coupon counts against a budget: the amount, the `worth` of a named
    /// coupon, the `max` of a percent coupon (0 when it has none).
    public var faceValue: Number {
        switch value {
        case .amount(let n): return n
        case .percent(_, let max): return max ?? .zero
        case .named(_, let worth): return worth
        }
    }

    public static let defaultValidDays = 14
}

/// A checked expression: its resolved form, its type, where it was written,
/// and its node id.
public struct CheckedExpr: Sendable {
    public var node: CheckedNode
    public var type: PerkType
    public var range: SourceRange
    /// Unique within a program once `Compiler.compile` has numbered it, so a
    /// pass can record facts about a node beside the tree (`explain` records
    /// values by it); `NodeID.unnumbered` before.
    public var id: NodeID = .unnumbered

    public init(_ node: CheckedNode, _ type: PerkType, _ range: SourceRange) {
        self.node = node
        self.type = type
        self.range = range
    }
}

/// A checked expression's number in its program: dense from 0, so facts about
/// nodes fit in an array indexed by it.
public struct NodeID: Hashable, Sendable, Comparable {
    public var rawValue: Int32
    public init(_ rawValue: Int32) { self.rawValue = rawValue }
    public var index: Int { Int(rawValue) }
    public static let unnumbered = NodeID(-1)
    public static func < (a: NodeID, b: NodeID) -> Bool { a.rawValue < b.rawValue }
}

public indirect enum CheckedNode: Sendable {
    case constant(Value)
    case today
    /// A customer column, by its index in `CustomerTable.columns`.
    case column(Int, name: String)
    case derived(DerivedField)
    /// A column of the order being filtered inside `where`.
    case orderField(OrderField.Slot, name: String)
    /// A define, kept whole so `explain` can show its name.
    case define(String, CheckedExpr)
    case not(CheckedExpr)
    case and(CheckedExpr, CheckedExpr)
    case or(CheckedExpr, CheckedExpr)
    case negate(CheckedExpr)
    case arithmetic(Arithmetic, CheckedExpr, CheckedExpr)
    case compare(BinaryOp, CheckedExpr, CheckedExpr)
    case inList(CheckedExpr, [CheckedExpr], negated: Bool)
    case listContains(CheckedExpr, CheckedExpr)
    /// `items contains "Jasmine Green Tea"` inside `where`. The binder resolves
    /// the item to its id in the orders (-1: no order has it); until then it is
    /// `unboundItem`, and evaluation compares names. `nameRange` is the quoted name.
    case orderHasItem(Int32, name: String, nameRange: SourceRange)
    case textContains(CheckedExpr, CheckedExpr)
    case startsWith(CheckedExpr, CheckedExpr)
    case between(CheckedExpr, CheckedExpr, CheckedExpr)
    case isMissing(CheckedExpr, negated: Bool)
    case dateNear(CheckedExpr, DateNearness, days: Int)
    case dateInLast(CheckedExpr, Duration)
    case aggregate(Aggregate, OrderQueryPlan)
    case builtin(Builtin, [CheckedExpr])
}

/// The item id of an `items contains` the binder has not resolved.
public let unboundItem = Int32.min

public enum Arithmetic: String, Sendable {
    case add, subtract, multiply, divide
    /// date ± duration
    case dateAdd, dateSubtract
    /// date − date, in days
    case dateDifference
    /// number × percent
    case percentOf
}

public enum Aggregate: String, CaseIterable, Sendable {
    case count, sum, avg, min, max, any, all
}

/// `orders[.field] [in last D] [where C]`, resolved.
public struct OrderQueryPlan: Sendable {
    public var field: OrderField.Slot?
    public var fieldName: String?
    public var window: Duration?
    public var filter: CheckedExpr?
}

public enum Builtin: String, CaseIterable, Sendable {
    case date, weekday, day, month, year, abs

    var arity: Int { 1 }
}

extension Arithmetic {
    /// The operator as written in rules.
    var symbol: String {
        switch self {
        case .add, .dateAdd: return "+"
        case .subtract, .dateSubtract, .dateDifference: return "-"
        case .multiply, .percentOf: return "*"
        case .divide: return "/"
        }
    }
}
