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
    /// The date of the earliest order in the data: before it, customers have no orders.
    public let firstOrderDate: LocalDate?
    /// True when the decisions of a journal's days before the period counted.
    public let startedFromJournal: Bool
    /// The tier of each customer row in `tiers`.
    private let tierOfCustomer: [Int]
    private let campaignOfRule: [Int?]

    /// Rules sample this many of the customers they were sent to.
    public static let samplesPerRule = 3

    init(program: CheckedProgram, customers: CustomerTable, period: SimulationPeriod, lastOrderDate: LocalDate?,
         firstOrderDate: LocalDate? = nil, startedFromJournal: Bool = false) {
        self.startedFromJournal = startedFromJournal
        self.program = program
        self.customers = customers
        self.period = period
        self.lastOrderDate = lastOrderDate
        self.firstOrderDate = firstOrderDate
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

    mutating func record(_ d: SimulatedDecision, dayIndex: Int) throws(RuntimeFailure) {
        rules[d.rule].count(d)
        totals.count(d)
        if let c = campaignOfRule[d.rule] { campaigns[c].count(d) }
        guard d.status == .sent else { return }
        // Only sent decisions need the rule's actions; most decisions are not sent.
        let rule = program.rules[d.rule]
        do throws(TotalTooLarge) {
            try rules[d.rule].recordSent(d, rule)
            try totals.recordSent(d, rule)
            if let c = rule.campaign { try campaigns[c].recordSent(d, rule) }
            try tiers[tierOfCustomer[d.customer]].recordSent(d, rule)
        } catch {
            throw RuntimeFailure(total: error.total, rule: rule, action: error.action.map { rule.actions[$0] },
                                 customerID: customers.ids[d.customer], day: d.day)
        }
        daily[dayIndex].sentByRule[d.rule] += 1
        sent.append(SentDecision(day: d.day.day, customer: Int32(d.customer), rule: Int32(d.rule)))
    }

    mutating func endDay(_ dayIndex: Int, spent: [Number]) {
        daily[dayIndex].spentByCampaign = spent
    }

    /// `spentBefore` is what each campaign had spent before the period, as
    /// the journal the simulation started from remembers it.
    mutating func finish(spent: [Number], spentBefore: [Number], budgetRanOut: [LocalDate?]) throws(RuntimeFailure) {
        for c in campaigns.indices {
            campaigns[c].spentBefore = spentBefore[c]
            guard let inPeriod = spent[c].subtracting(spentBefore[c]) else {
                let campaign = program.campaigns[c]
                throw RuntimeFailure(problem: .numberTooLarge, subject: "campaign \"\(campaign.name)\"'s spending in the period",
                                     file: campaign.file, range: campaign.nameRange, rule: nil, define: nil, customerID: nil, day: period.to)
            }
            campaigns[c].spent = inPeriod
            campaigns[c].budgetRanOut = budgetRanOut[c]
        }
        // Tiers without customers say nothing; a data set without tiers has one group.
        tiers = tiers.filter { $0.customers > 0 }
        overlap = Overlap(rules: rules, customers: customers.count)
    }
}
