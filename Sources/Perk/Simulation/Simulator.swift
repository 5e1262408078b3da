import Foundation

/// The days a simulation replays, both included.
public struct SimulationPeriod: Sendable, Equatable {
    public let from: LocalDate
    public let to: LocalDate

    /// Nil when `from` is after `to`.
    public init?(from: LocalDate, to: LocalDate) {
        guard from <= to else { return nil }
        self.from = from
        self.to = to
    }

    public var days: [LocalDate] { Array(from...to) }
    public var dayCount: Int { from.distance(to: to) + 1 }
}

/// `perk simulate`: replays the orders of a period with the rules switched on.
///
/// For each day, before that day's orders: apply the changes earlier decisions
/// made (they take effect the next day), evaluate the active rules' conditions
/// for every customer, then decide customer by customer in id order, with the
/// same `DecisionEngine` as `perk run`, so limits, cooldowns, exclusivity and
/// budgets carry over from day to day. Sent coupons are matched against the
/// real orders that follow to estimate redemptions and cost.
public struct Simulator {
    public let program: CheckedProgram
    public let customers: CustomerTable
    public let orders: OrderTable
    public let period: SimulationPeriod
    /// Threads that evaluate conditions. The result is the same for any number.
    public var workers: Int
    /// A campaign journal to start from: the decisions of its days before the
    /// period count, as if the simulation had made them.
    public let history: JournalHistory?

    public init(program: CheckedProgram, customers: CustomerTable, orders: OrderTable, period: SimulationPeriod,
                history: JournalHistory? = nil, workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.history = history
        self.program = program
        self.customers = customers
        self.orders = orders
        self.period = period
        self.workers = workers
    }

    /// Runs the simulation. `decision` sees every decision in ledger order (day,
    /// customer, rule order); `progress` is told after each day (days done, days).
    /// A value that cannot be computed exactly (a condition's, a campaign's
    /// spending, points, a coupon's cost) stops the simulation with a failure
    /// naming the rule, the customer and the day: a report built on it would be wrong.
    public func run(progress: (Int, Int) -> Void = { _, _ in },
                    decision: (SimulatedDecision) -> Void = { _ in }) throws(RuntimeFailure) -> SimulationResult {
        var loop = try DayLoop(self)
        for (index, day) in period.days.enumerated() {
            try loop.start(day, first: index == 0)
            try loop.decide(day, index: index, decision: decision)
            progress(index + 1, period.dayCount)
        }
        return try loop.finish()
    }
}

/// The state of a simulation between days, and the two steps of each day.
private struct DayLoop {
    let program: CheckedProgram
    let orders: OrderTable
    var interpreter: Interpreter
    var engine: DecisionEngine
    var state: SimulationState
    var result: SimulationResult
    var matcher: DailyMatcher
    let estimator: RedemptionEstimator
    let explanation: MatchExplanation
    /// The rules one customer matched, reused from customer to customer.
    var matchedRules: [Int] = []
    /// What each campaign had spent before the period.
    let spentBefore: [Number]

    init(_ s: Simulator) throws(RuntimeFailure) {
        program = s.program
        orders = s.orders
        interpreter = Interpreter(customers: s.customers, orders: s.orders)
        engine = DecisionEngine(program: s.program, customers: s.customers.count)
        try s.history?.seed(&engine, program: s.program, before: s.period.from)
        spentBefore = engine.spent
        state = SimulationState(program: s.program, customers: s.customers, orders: s.orders)
        result = SimulationResult(program: s.program, customers: s.customers, period: s.period, lastOrderDate: s.orders.latestDate,
                                  firstOrderDate: s.orders.earliestDate, startedFromJournal: s.history != nil)
        matcher = DailyMatcher(program: s.program, customers: s.customers.count, workers: s.workers)
        estimator = RedemptionEstimator(orders: s.orders)
        explanation = MatchExplanation(program: s.program)
    }

    /// Brings profiles to the start of `day`: earlier decisions' effects that are
    /// due, and the orders of the day before.
    mutating func start(_ day: LocalDate, first: Bool) throws(RuntimeFailure) {
        let changed = try state.applyChanges(dueOn: day, to: &interpreter)
        if first {
            interpreter.cursor = OrderCursor(orders: orders, day: day)
            matcher.refresh(customers: 0..<interpreter.customers.count, changed: [.columns, .orders], on: day, interpreter: interpreter)
        } else {
            let ordered = interpreter.cursor?.advance(to: day, in: orders) ?? []
            matcher.refresh(customers: changed, changed: .columns, on: day, interpreter: interpreter)
            matcher.refresh(customers: ordered, changed: .orders, on: day, interpreter: interpreter)
        }
    }

    /// Evaluates the day's conditions, then decides customer by customer.
    mutating func decide(_ day: LocalDate, index: Int, decision: (SimulatedDecision) -> Void) throws(RuntimeFailure) {
        let matches: [Match]
        do throws(RuleEvaluationError) {
            matches = try matcher.matches(on: day, rules: engine.activeRules(on: day), interpreter: interpreter)
        } catch {
            throw error.failure(in: program, customers: interpreter.customers, day: day)
        }
        var k = 0
        while k < matches.count {
            let customer = Int(matches[k].customer)
            matchedRules.removeAll(keepingCapacity: true)
            while k < matches.count, Int(matches[k].customer) == customer {
                matchedRules.append(Int(matches[k].rule))
                k += 1
            }
            for d in try engine.decide(customer: customer, day: day, matched: matchedRules, interpreter: interpreter) {
                let simulated = try outcome(of: d, on: day)
                try result.record(simulated, dayIndex: index)
                decision(simulated)
            }
        }
        result.endDay(index, spent: engine.spent)
    }

    /// What came of a decision: its redemptions and return (sent and held out),
    /// and the effects and sample of a sent one.
    private mutating func outcome(of d: Decision, on day: LocalDate) throws(RuntimeFailure) -> SimulatedDecision {
        var simulated = SimulatedDecision(day: day, customer: d.customer, rule: d.rule, status: d.status,
                                          redemptions: [], returned: false, pointsEarned: .zero)
        guard d.status == .sent || d.status == .heldOut else { return simulated }
        let rule = program.rules[d.rule]
        do throws(TotalTooLarge) {
            simulated.redemptions = try estimator.redemptions(of: rule, customer: d.customer, sentOn: day)
            simulated.returned = estimator.returned(rule, customer: d.customer, day: day, redemptions: simulated.redemptions)
            guard d.status == .sent else { return simulated }
            simulated.pointsEarned = try state.schedule(rule, d.rule, customer: d.customer, day: day)
        } catch {
            throw RuntimeFailure(total: error.total, rule: rule, action: error.action.map { rule.actions[$0] },
                                 customerID: interpreter.customers.ids[d.customer], day: day)
        }
        if result.wantsSample(rule: d.rule, customer: d.customer) {
            result.rules[d.rule].samples.append(explanation.sample(rule: d.rule, customer: d.customer, day: day, interpreter: interpreter))
        }
        return simulated
    }

    func finish() throws(RuntimeFailure) -> SimulationResult {
        var done = result
        try done.finish(spent: engine.spent, spentBefore: spentBefore, budgetRanOut: engine.budgetRanOut)
        return done
    }
}
