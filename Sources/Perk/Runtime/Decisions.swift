/// What happened when a rule's condition held for a customer on a day.
/// The checks run in this order, but for the budget, which is checked before the
/// holdout (a held-out decision needs the budget to cover it, as a sent one does);
/// the first that fails names the status. The order of the cases is kept as it
/// is, as reports and journals list statuses in it.
public enum DecisionStatus: String, CaseIterable, Sendable {
    case skippedLimit = "skipped_limit"
    case skippedCooldown = "skipped_cooldown"
    case skippedConsent = "skipped_consent"
    /// A contact policy allows no more contacts of the customer in its period.
    case skippedContactCap = "skipped_contact_cap"
    case skippedExclusive = "skipped_exclusive"
    case heldOut = "held_out"
    case skippedBudget = "skipped_budget"
    case sent

    /// Held-out decisions count toward limits, cooldowns and exclusivity, so the
    /// control group mirrors the treated group.
    public var counts: Bool { self == .sent || self == .heldOut }
}

public struct Decision: Sendable, Equatable {
    public var customer: Int
    /// Index into `CheckedProgram.rules`.
    public var rule: Int
    public var status: DecisionStatus
    /// For `skippedContactCap`: index into `CheckedProgram.contactPolicies` of
    /// the policy that stopped it (the first that was full).
    public var contactPolicy: Int?

    public init(customer: Int, rule: Int, status: DecisionStatus, contactPolicy: Int? = nil) {
        self.customer = customer
        self.rule = rule
        self.status = status
        self.contactPolicy = contactPolicy
    }
}

/// A decision made on an earlier day, as the campaign journal recorded it,
/// for a customer in today's data. Its rule is nil when no rule has the
/// recorded name now (renamed or removed): the decision still counts for
/// contact policies, which count contacts whatever their rule.
public struct PastDecision: Sendable, Equatable {
    public var day: LocalDate
    /// Row in today's customers table.
    public var customer: Int
    /// Index into `CheckedProgram.rules` of the rule with the recorded name.
    public var rule: Int?
    public var status: DecisionStatus
    /// The channels its actions reached the customer through.
    public var channels: Channels

    public init(day: LocalDate, customer: Int, rule: Int?, status: DecisionStatus, channels: Channels = []) {
        self.day = day
        self.customer = customer
        self.rule = rule
        self.status = status
        self.channels = channels
    }
}

/// Deterministic holdout: a customer is in a campaign's control group when the
/// FNV-1a hash of campaign name and customer id falls in the lowest P% of
/// 10,000 buckets. Same data, same campaign, same group, on every machine.
public enum Holdout {
    public static func bucket(customerID: String, campaign: String) -> Int {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in campaign.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        for byte in customerID.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
        return Int(hash % 10_000)
    }

    public static func isHeldOut(customerID: String, campaign: String, percent: Number) -> Bool {
        // 10% holds out buckets 0..<1000; 12.5% buckets 0..<1250.
        let threshold = percent.multiplying(Number(100))?.floor ?? 0
        return Int64(bucket(customerID: customerID, campaign: campaign)) < threshold
    }
}

/// Applies the rule controls in order — limit, cooldown, consent, contact
/// policies, exclusivity, budget, holdout — and remembers what it decided, so a
/// simulation can call it day after day. `perk run` uses a fresh engine for its one day.
public struct DecisionEngine: Sendable {
    public let program: CheckedProgram
    /// What the checks need of each rule, worked out once.
    private let controls: [RuleControls]
    /// Decisions that counted, for limits and cooldowns.
    private var history: DecisionHistory
    /// Contacts per policy and customer, for the contact policies.
    private var contacts: LatestDays
    /// Face value spent per campaign.
    public private(set) var spent: [Number]
    /// The day each campaign's budget first refused a coupon.
    public private(set) var budgetRanOut: [LocalDate?]
    /// Rows in the customers table, for the per-customer history.
    private let customerCount: Int

    public init(program: CheckedProgram, customers: Int) {
        self.program = program
        customerCount = customers
        controls = program.rules.map { RuleControls($0, policies: program.contactPolicies) }
        history = DecisionHistory(rules: program.rules)
        contacts = LatestDays(keep: program.contactPolicies.map(\.count))
        spent = Array(repeating: .zero, count: program.campaigns.count)
        budgetRanOut = Array(repeating: nil, count: program.campaigns.count)
    }

    /// Takes in a decision of an earlier day, as if this engine had made it:
    /// one that counted (sent or held out) counts for its rule's limit and
    /// cooldown, and a sent one through a channel is a contact for the
    /// contact policies that cover the channel. Past decisions come in day
    /// order, before any day decided here.
    public mutating func remember(_ past: PastDecision) {
        if past.status.counts, let r = past.rule {
            history.record(rule: r, customer: past.customer, day: past.day.day, customers: customerCount)
        }
        // The channels were recorded with the decision, so it is a contact even
        // when its rule has been renamed or removed since.
        if past.status == .sent {
            for (p, policy) in program.contactPolicies.enumerated() where policy.covers(channels: past.channels) {
                contacts.record(p, customer: past.customer, day: past.day.day, customers: customerCount)
            }
        }
    }

    /// Takes in what a campaign spent on earlier days, and the first day its
    /// budget refused a coupon, if it did. Spending past the range of exact
    /// numbers is an error, named after the campaign, rather than a wrong total.
    public mutating func remember(spent amount: Number, campaign c: Int, budgetRanOutOn day: LocalDate?, on spentDay: LocalDate)
    throws(RuntimeFailure) {
        guard let total = spent[c].adding(amount) else {
            let campaign = program.campaigns[c]
            throw RuntimeFailure(problem: .numberTooLarge, subject: "campaign \"\(campaign.name)\"'s spending in the journal",
                                 file: campaign.file, range: campaign.nameRange, rule: nil, define: nil, customerID: nil, day: spentDay)
        }
        spent[c] = total
        if let day, budgetRanOut[c].map({ day < $0 }) ?? true { budgetRanOut[c] = day }
    }

    /// Rules active on `day`, in evaluation order.
    public func activeRules(on day: LocalDate) -> [Int] {
        program.rules.indices.filter { i in
            guard let c = program.rules[i].campaign else { return true }
            return program.campaigns[c].isActive(on: day)
        }
    }

    /// Decides every active rule for one customer on one day.
    public mutating func decide(customer: Int, day: LocalDate, rules: [Int], interpreter: Interpreter) throws(RuntimeFailure) -> [Decision] {
        var matched: [Int] = []
        for r in rules {
            do {
                if try interpreter.holds(program.rules[r].condition, customer: customer, today: day) { matched.append(r) }
            } catch {
                throw program.failure(error, rule: r, customer: customer, customers: interpreter.customers, day: day)
            }
        }
        return try decide(customer: customer, day: day, matched: matched, interpreter: interpreter)
    }

    /// Runs the checks for the rules whose condition already held for the customer
    /// that day (`matched`, in evaluation order). Conditions do not depend on the
    /// day's decisions, so a simulation can evaluate them first, in parallel, and
    /// then decide customer by customer in id order.
    public mutating func decide(customer: Int, day: LocalDate, matched: [Int], interpreter: Interpreter) throws(RuntimeFailure) -> [Decision] {
        var decisions: [Decision] = []
        decisions.reserveCapacity(matched.count)
        // Campaigns (few per customer and day) that already gave this customer a coupon today.
        var couponCampaignsToday: [Int] = []
        for r in matched {
            let rule = controls[r]
            var stoppedBy: Int?
            let status = try check(rule, r, customer: customer, day: day, interpreter: interpreter,
                                   couponCampaignsToday: couponCampaignsToday, stoppedBy: &stoppedBy)
            if status.counts {
                history.record(rule: r, customer: customer, day: day.day, customers: customerCount)
                if let c = rule.campaign, rule.sendsCoupon { couponCampaignsToday.append(c) }
            }
            if status == .sent {
                if let c = rule.campaign { spent[c] = try spending(c, plus: rule, r, customer: customer, day: day, interpreter: interpreter) }
                for p in rule.contactPolicies {
                    contacts.record(p, customer: customer, day: day.day, customers: customerCount)
                }
            }
            decisions.append(Decision(customer: customer, rule: r, status: status, contactPolicy: stoppedBy))
        }
        return decisions
    }

    /// The total face value of a rule's coupons; nil past the range of exact numbers.
    public func faceValue(_ rule: CheckedRule) -> Number? { RuleControls.faceValue(rule) }

    /// Campaign `c`'s spending once rule `r`'s coupons are added; an error,
    /// pointing at the rule's coupon, when that is past the range of exact numbers.
    private func spending(_ c: Int, plus controls: RuleControls, _ r: Int, customer: Int, day: LocalDate,
                          interpreter: Interpreter) throws(RuntimeFailure) -> Number {
        guard let face = controls.faceValue, let total = spent[c].adding(face) else {
            let rule = program.rules[r]
            throw RuntimeFailure(total: "campaign \"\(program.campaigns[c].name)\"'s spending on coupons", rule: rule,
                                 action: rule.actions.first { $0.coupon != nil }, customerID: interpreter.customers.ids[customer], day: day)
        }
        return total
    }

    /// The days this engine knows the customer was contacted under policy `p`
    /// (index into `CheckedProgram.contactPolicies`), oldest first: the latest
    /// ones, at most as many as the policy allows. They come from decisions
    /// made here and from past decisions remembered.
    public func contactDays(policy p: Int, customer: Int) -> [LocalDate] {
        contacts.days(p, customer: customer).map { LocalDate(day: $0) }
    }

    private mutating func check(_ rule: RuleControls, _ r: Int, customer: Int, day: LocalDate, interpreter: Interpreter,
                                couponCampaignsToday: [Int], stoppedBy: inout Int?) throws(RuntimeFailure) -> DecisionStatus {
        if let limit = rule.lifetimeLimit, history.count(rule: r, customer: customer) >= limit { return .skippedLimit }
        if let cooldown = rule.cooldown, let oldest = history.oldestKept(rule: r, customer: customer) {
            // The cooldown allows `count` decisions on the days after today minus the
            // period; the oldest of the latest `count` falling there means no more.
            if oldest > cooldown.period.start(before: day).day { return .skippedCooldown }
        }
        for slot in rule.consentSlots where interpreter.column(slot, customer: customer) != .bool(true) {
            return .skippedConsent
        }
        // Like a cooldown, but over the contacts of every rule: a policy is full
        // when the oldest of its latest `count` contacts is after today minus the period.
        for p in rule.contactPolicies {
            if let oldest = contacts.oldestKept(p, customer: customer),
               oldest > program.contactPolicies[p].period.start(before: day).day {
                stoppedBy = p
                return .skippedContactCap
            }
        }
        guard let c = rule.campaign else { return .sent }
        let campaign = program.campaigns[c]
        if campaign.exclusive, rule.sendsCoupon, couponCampaignsToday.contains(c) { return .skippedExclusive }
        // The budget is checked for held-out customers too, as if sending (a held-out
        // decision spends nothing): otherwise the control group would keep growing
        // after the treated group stopped at the budget, and the return rates would
        // compare a campaign's whole period with its first days.
        if try !budgetCovers(c, rule, r, customer: customer, day: day, interpreter: interpreter) { return .skippedBudget }
        if let holdout = campaign.holdout,
           Holdout.isHeldOut(customerID: interpreter.customers.ids[customer], campaign: campaign.name, percent: holdout) {
            return .heldOut
        }
        return .sent
    }

    /// Whether campaign `c`'s budget, if it has one, still covers rule `r`'s
    /// coupons; the first refusal marks the day the budget ran out.
    private mutating func budgetCovers(_ c: Int, _ rule: RuleControls, _ r: Int, customer: Int, day: LocalDate,
                                       interpreter: Interpreter) throws(RuntimeFailure) -> Bool {
        guard let budget = program.campaigns[c].budget else { return true }
        let after = try spending(c, plus: rule, r, customer: customer, day: day, interpreter: interpreter)
        guard after > budget else { return true }
        if budgetRanOut[c] == nil { budgetRanOut[c] = day }
        return false
    }
}

/// What the checks need of one rule, without the rest of it.
private struct RuleControls: Sendable {
    var lifetimeLimit: Int?
    var cooldown: Cooldown?
    /// Consent columns of the channels its actions contact the customer through;
    /// a channel without a consent column in the data needs none.
    var consentSlots: [Int]
    var campaign: Int?
    var sendsCoupon: Bool
    /// The total face value of its coupons; nil when past the range of exact
    /// numbers, which is an error only if a campaign has to count it.
    var faceValue: Number?
    /// Indexes of the contact policies its sent decisions count for, in order.
    var contactPolicies: [Int]

    init(_ rule: CheckedRule, policies: [ContactPolicy]) {
        lifetimeLimit = rule.lifetimeLimit
        cooldown = rule.cooldown
        consentSlots = rule.actions.compactMap { $0.channel != nil ? $0.consentSlot : nil }
        campaign = rule.campaign
        sendsCoupon = rule.sendsCoupon
        faceValue = RuleControls.faceValue(rule)
        contactPolicies = policies.indices.filter { policies[$0].covers(rule) }
    }

    static func faceValue(_ rule: CheckedRule) -> Number? {
        var sum = Number.zero
        for c in rule.actions.compactMap(\.coupon) {
            guard let s = sum.adding(c.faceValue) else { return nil }
            sum = s
        }
        return sum
    }
}
