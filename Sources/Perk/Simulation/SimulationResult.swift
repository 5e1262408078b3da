/// One decision of a simulation: a rule whose condition held for a customer on
/// a day, the status its checks gave, and what the real orders say came of it.
public struct SimulatedDecision: Sendable {
    public var day: LocalDate
    public var customer: Int
    /// Index into `CheckedProgram.rules`.
    public var rule: Int
    public var status: DecisionStatus
    /// One entry per action of the rule: for a coupon of a sent or held-out
    /// decision, its redemption estimate if the customer's orders redeem it.
    public var redemptions: [Redemption?]
    /// Sent and held-out decisions: whether the customer came back (a coupon would
    /// be redeemed, or, without coupons, an order within 14 days).
    public var returned: Bool
    /// Sent decisions: points awarded and extra points from multiply windows.
    public var pointsEarned: Number
}

/// How many decisions, or distinct customers, ended in each status.
public struct StatusCounts: Sendable, Equatable {
    private var counts = Array(repeating: 0, count: DecisionStatus.allCases.count)

    public init() {}

    public subscript(status: DecisionStatus) -> Int {
        get { counts[status.index] }
        set { counts[status.index] = newValue }
    }

    public var total: Int { counts.reduce(0, +) }
}

extension DecisionStatus {
    /// Position in `allCases`, which is the order the checks run in.
    var index: Int {
        switch self {
        case .skippedLimit: return 0
        case .skippedCooldown: return 1
        case .skippedConsent: return 2
        case .skippedExclusive: return 3
        case .heldOut: return 4
        case .skippedBudget: return 5
        case .sent: return 6
        }
    }
}

/// Coupons sent and what they would cost.
public struct CouponTotals: Sendable, Equatable {
    public var issued = 0
    /// Face value of the coupons sent (what budgets count).
    public var faceValue = Number.zero
    /// Coupons the customers' real orders would have redeemed.
    public var redeemed = 0
    /// The amount those orders would have been given off, each rounded to the cent.
    public var cost = Number.zero

    public init() {}

    mutating func add(_ rule: CheckedRule, redemptions: [Redemption?]) {
        for (i, action) in rule.actions.enumerated() {
            guard let coupon = action.coupon else { continue }
            issued += 1
            faceValue = faceValue.adding(coupon.faceValue) ?? faceValue
            if i < redemptions.count, let r = redemptions[i] {
                redeemed += 1
                cost = cost.adding(r.cost) ?? cost
            }
        }
    }
}

/// How many decisions were followed by the customer coming back.
public struct ReturnCount: Sendable, Equatable {
    public var decisions = 0
    public var returned = 0

    public init() {}

    /// returned / decisions, exact; nil with no decisions.
    public var rate: Number? {
        decisions > 0 ? Number(returned).dividing(by: Number(decisions)) : nil
    }

    mutating func add(_ returned: Bool) {
        decisions += 1
        if returned { self.returned += 1 }
    }
}

/// The treated group against the control group. Nobody was really contacted, so
/// both rates are organic: what customers did anyway.
public struct GroupReturns: Sendable, Equatable {
    /// Sent decisions.
    public var targeted = ReturnCount()
    /// Held-out decisions, measured the same way.
    public var heldOut = ReturnCount()

    public init() {}

    mutating func add(_ d: SimulatedDecision) {
        switch d.status {
        case .sent: targeted.add(d.returned)
        case .heldOut: heldOut.add(d.returned)
        default: break
        }
    }
}

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

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) {
        actionsSent += rule.actions.count
        coupons.add(rule, redemptions: d.redemptions)
        pointsEarned = pointsEarned.adding(d.pointsEarned) ?? pointsEarned
    }
}

/// One campaign's results: its budget over the period and its control group.
public struct CampaignOutcome: Sendable {
    public let campaign: Int
    /// Days of the period the campaign ran.
    public let activeDays: Int
    public let budget: Number?
    /// Face value of the coupons it sent.
    public internal(set) var spent = Number.zero
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

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) {
        coupons.add(rule, redemptions: d.redemptions)
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

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) {
        reached.insert(d.customer)
        decisionsSent += 1
        coupons.add(rule, redemptions: d.redemptions)
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

    mutating func recordSent(_ d: SimulatedDecision, _ rule: CheckedRule) {
        reached.insert(d.customer)
        actionsSent += rule.actions.count
        coupons.add(rule, redemptions: d.redemptions)
        pointsEarned = pointsEarned.adding(d.pointsEarned) ?? pointsEarned
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

/// The outcome of `perk simulate`: per rule, campaign, tier and day, and in total.
public struct SimulationResult: Sendable {
    public let program: CheckedProgram
    public let customers: CustomerTable
    public let period: SimulationPeriod
    public internal(set) var rules: [RuleOutcome]
    public internal(set) var campaigns: [CampaignOutcome]
    public internal(set) var tiers: [TierOutcome]
    public internal(set) var totals: SimulationTotals
    public internal(set) var daily: [DayOutcome]
    /// Every sent decision, by day, customer and rule order.
    public internal(set) var sent: [SentDecision] = []
    public private(set) var overlap = Overlap()
    /// The date of the latest order in the data: redemptions cannot be seen after it.
    public let lastOrderDate: LocalDate?
    /// The tier of each customer row in `tiers`.
    private let tierOfCustomer: [Int]
    private let campaignOfRule: [Int?]

    /// Rules sample this many of the customers they were sent to.
    public static let samplesPerRule = 3

    init(program: CheckedProgram, customers: CustomerTable, period: SimulationPeriod, lastOrderDate: LocalDate?) {
        self.program = program
        self.customers = customers
        self.period = period
        self.lastOrderDate = lastOrderDate
        let n = customers.count
        rules = program.rules.indices.map { RuleOutcome(rule: $0, customers: n) }
        campaigns = program.campaigns.indices.map { CampaignOutcome(campaign: $0, program: program, period: period) }
        totals = SimulationTotals(reached: CustomerSet(capacity: n))
        daily = period.days.map { DayOutcome(day: $0, sentByRule: Array(repeating: 0, count: program.rules.count)) }
        (tiers, tierOfCustomer) = SimulationResult.tiers(of: customers)
        campaignOfRule = program.rules.map(\.campaign)
        for t in tierOfCustomer { tiers[t].customers += 1 }
    }

    /// Groups customers by their `tier` column when it is an enum; otherwise one group.
    private static func tiers(of customers: CustomerTable) -> ([TierOutcome], [Int]) {
        let n = customers.count
        guard let slot = customers.columnIndex(named: "tier"), case .enumeration(let e) = customers.columns[slot].type else {
            return ([TierOutcome(name: "all customers", capacity: n)], Array(repeating: 0, count: n))
        }
        var tiers = e.cases.map { TierOutcome(name: $0, capacity: n) }
        tiers.append(TierOutcome(name: "(none)", capacity: n))
        let index = customers.columns[slot].values.map { value -> Int in
            if case .symbol(let o) = value, o >= 0, Int(o) < e.cases.count { return Int(o) }
            return e.cases.count
        }
        return (tiers, index)
    }

    /// Whether a rule still wants this customer as a sample: the first few it was
    /// sent to, each once.
    func wantsSample(rule: Int, customer: Int) -> Bool {
        let samples = rules[rule].samples
        return samples.count < SimulationResult.samplesPerRule && !samples.contains { $0.customer == customer }
    }

    mutating func record(_ d: SimulatedDecision, dayIndex: Int) {
        rules[d.rule].count(d)
        totals.count(d)
        if let c = campaignOfRule[d.rule] { campaigns[c].count(d) }
        guard d.status == .sent else { return }
        // Only sent decisions need the rule's actions; most decisions are not sent.
        let rule = program.rules[d.rule]
        rules[d.rule].recordSent(d, rule)
        totals.recordSent(d, rule)
        if let c = rule.campaign { campaigns[c].recordSent(d, rule) }
        tiers[tierOfCustomer[d.customer]].recordSent(d, rule)
        daily[dayIndex].sentByRule[d.rule] += 1
        sent.append(SentDecision(day: d.day.day, customer: Int32(d.customer), rule: Int32(d.rule)))
    }

    mutating func endDay(_ dayIndex: Int, spent: [Number]) {
        daily[dayIndex].spentByCampaign = spent
    }

    mutating func finish(spent: [Number], budgetRanOut: [LocalDate?]) {
        for c in campaigns.indices {
            campaigns[c].spent = spent[c]
            campaigns[c].budgetRanOut = budgetRanOut[c]
        }
        // Tiers without customers say nothing; a data set without tiers has one group.
        tiers = tiers.filter { $0.customers > 0 }
        overlap = Overlap(rules: rules, customers: customers.count)
    }
}
