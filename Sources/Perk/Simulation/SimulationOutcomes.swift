/// One rule's results: its funnel, its sends and what they would cost.
public struct RuleOutcome: Sendable {
    public let rule: Int
    /// The funnel in decisions: each decision has one status.
    public private(set) var decisions = StatusCounts()
    /// Customers with at least one decision; `customersByStatus` holds, per
    /// status, those with at least one decision of it (a customer can be in several).
    public private(set) var customersMatched: CustomerSet
    public private(set) var customersByStatus: [CustomerSet]
    public private(set) var actionsSent = 0
    public private(set) var coupons = CouponTotals()
    public private(set) var pointsEarned = Number.zero
    public private(set) var returns = GroupReturns()
    /// The first customers it was sent to (each once), with why they matched.
    public internal(set) var samples: [MatchSample] = []

    init(rule: Int, customers: Int) {
        self.rule = rule
        customersMatched = CustomerSet(capacity: customers)
        customersByStatus = Array(repeating: CustomerSet(capacity: customers), count: DecisionStatus.allCases.count)
    }

    /// The funnel in distinct customers.
    public var customers: StatusCounts {
        var counts = StatusCounts()
        for status in DecisionStatus.allCases { counts[status] = customersByStatus[status.index].count }
        return counts
    }

    public var customersReached: CustomerSet { customersByStatus[DecisionStatus.sent.index] }

    mutating func count(_ d: SimulatedDecision) {
        decisions[d.status] += 1
        customersMatched.insert(d.customer)
        customersByStatus[d.status.index].insert(d.customer)
        returns.add(d)
    }

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) throws(TotalTooLarge) {
        actionsSent += rule.actions.count
        try coupons.add(rule, redemptions: d.redemptions)
        pointsEarned = try add(pointsEarned, d.pointsEarned, total: "the points the rule awarded", action: rule.pointsAction)
    }
}

extension CheckedRule {
    /// The first action that awards points, where a points total points to.
    var pointsAction: Int? {
        actions.firstIndex { a in
            switch a.kind {
            case .awardPoints, .multiplyPoints: return true
            default: return false
            }
        }
    }
}

/// One campaign's results: its budget over the period and its control group.
public struct CampaignOutcome: Sendable {
    public let campaign: Int
    /// Days of the period the campaign ran.
    public let activeDays: Int
    public let budget: Number?
    /// Face value of the coupons it sent in the period.
    public internal(set) var spent = Number.zero
    /// Face value of the coupons it sent before the period, as the journal
    /// the simulation started from holds them; 0 without one.
    public internal(set) var spentBefore = Number.zero

    /// What the budget has left at the end of the period.
    public var left: Number? { budget.flatMap { $0.subtracting(spentBefore)?.subtracting(spent) } }
    /// The first day its budget could not cover a coupon.
    public internal(set) var budgetRanOut: LocalDate?
    public private(set) var decisions = StatusCounts()
    public private(set) var coupons = CouponTotals()
    public private(set) var returns = GroupReturns()

    init(campaign: Int, program: CheckedProgram, period: SimulationPeriod) {
        self.campaign = campaign
        let c = program.campaigns[campaign]
        activeDays = period.days.filter(c.isActive).count
        budget = c.budget
    }

    mutating func count(_ d: SimulatedDecision) {
        decisions[d.status] += 1
        returns.add(d)
    }

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) throws(TotalTooLarge) {
        try coupons.add(rule, redemptions: d.redemptions)
    }
}

/// Results for the customers of one tier (as in the customers data, before any
/// `set tier` of the simulation).
public struct TierOutcome: Sendable {
    /// The tier's name, or `(none)` for customers without one.
    public let name: String
    public internal(set) var customers = 0
    public private(set) var reached: CustomerSet
    public private(set) var decisionsSent = 0
    public private(set) var coupons = CouponTotals()

    init(name: String, capacity: Int) {
        self.name = name
        reached = CustomerSet(capacity: capacity)
    }

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) throws(TotalTooLarge) {
        reached.insert(d.customer)
        decisionsSent += 1
        try coupons.add(rule, redemptions: d.redemptions)
    }
}

/// Sends and spending on one day of the period.
public struct DayOutcome: Sendable {
    public let day: LocalDate
    /// Sent decisions per rule.
    public internal(set) var sentByRule: [Int]
    /// Each campaign's spending so far, at the end of the day.
    public internal(set) var spentByCampaign: [Number] = []
}

/// A sent decision, kept so two simulations can be compared customer by customer.
public struct SentDecision: Sendable, Equatable {
    public var day: Int32
    public var customer: Int32
    public var rule: Int32
}

/// Everything sent, in total.
public struct SimulationTotals: Sendable {
    public internal(set) var decisions = StatusCounts()
    public internal(set) var reached: CustomerSet
    public internal(set) var actionsSent = 0
    /// Sent coupons and messages per channel; `nil` for those without `via`
    /// (a coupon goes to the member's account).
    public internal(set) var sendsByChannel: [Channel?: Int] = [:]
    public internal(set) var coupons = CouponTotals()
    public internal(set) var pointsEarned = Number.zero
    public internal(set) var tierChanges = 0
    /// Customers tagged, per tag.
    public internal(set) var tags: [String: Int] = [:]
    public internal(set) var staffNotifications = 0
    public internal(set) var returns = GroupReturns()

    mutating func count(_ d: SimulatedDecision) {
        decisions[d.status] += 1
        returns.add(d)
    }

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) throws(TotalTooLarge) {
        reached.insert(d.customer)
        actionsSent += rule.actions.count
        try coupons.add(rule, redemptions: d.redemptions)
        pointsEarned = try add(pointsEarned, d.pointsEarned, total: "the points awarded in total", action: rule.pointsAction)
        for action in rule.actions {
            switch action.kind {
            case .coupon, .message: sendsByChannel[action.channel, default: 0] += 1
            case .setTier: tierChanges += 1
            case .tag(let tag): tags[tag, default: 0] += 1
            case .notifyStaff: staffNotifications += 1
            case .awardPoints, .multiplyPoints: break
            }
        }
    }
}

/// Customers reached by more than one rule.
public struct Overlap: Sendable {
    /// Two rules and how many customers both reached.
    public struct Pair: Sendable, Equatable {
        public var first: Int
        public var second: Int
        public var customers: Int
    }

    /// Element `k` counts the customers reached by exactly `k + 1` rules.
    public var customersByRuleCount: [Int] = []
    /// Pairs of rules sharing customers, most shared first.
    public var pairs: [Pair] = []

    /// Pairs are counted among the rules that reached the most customers, at most this many.
    static let pairedRules = 200

    init() {}

    init(rules: [RuleOutcome], customers: Int) {
        var reachedBy = Array(repeating: 0, count: customers)
        for rule in rules {
            for c in rule.customersReached.members { reachedBy[c] += 1 }
        }
        let most = reachedBy.max() ?? 0
        customersByRuleCount = Array(repeating: 0, count: most)
        for n in reachedBy where n > 0 { customersByRuleCount[n - 1] += 1 }
        let paired = rules.indices.filter { rules[$0].customersReached.count > 0 }
            .sorted { rules[$0].customersReached.count > rules[$1].customersReached.count }
            .prefix(Overlap.pairedRules).sorted()
        for (i, a) in paired.enumerated() {
            for b in paired[(i + 1)...] {
                let shared = rules[a].customersReached.intersectionCount(rules[b].customersReached)
                if shared > 0 { pairs.append(Pair(first: a, second: b, customers: shared)) }
            }
        }
        pairs.sort { ($0.customers, -$0.first, -$0.second) > ($1.customers, -$1.first, -$1.second) }
    }
}
