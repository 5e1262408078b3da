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

    public init(program: CheckedProgram, customers: CustomerTable, orders: OrderTable, period: SimulationPeriod,
                workers: Int = ProcessInfo.processInfo.activeProcessorCount) {
        self.program = program
        self.customers = customers
        self.orders = orders
        self.period = period
        self.workers = workers
    }

    /// Runs the simulation. `decision` sees every decision in ledger order (day,
    /// customer, rule order); `progress` is told after each day (days done, days).
    public func run(progress: (Int, Int) -> Void = { _, _ in },
                    decision: (SimulatedDecision) -> Void = { _ in }) -> SimulationResult {
        var interpreter = Interpreter(customers: customers, orders: orders)
        var engine = DecisionEngine(program: program)
        var state = SimulationState(program: program, customers: customers, orders: orders)
        var result = SimulationResult(program: program, customers: customers, period: period, lastOrderDate: orders.latestDate)
        var matcher = DailyMatcher(program: program, customers: customers.count, workers: workers)
        let estimator = RedemptionEstimator(orders: orders)
        let explanation = MatchExplanation(program: program)
        var matchedRules: [Int] = []

        for (dayIndex, day) in period.days.enumerated() {
            let changed = state.applyChanges(dueOn: day, to: &interpreter)
            if dayIndex == 0 {
                interpreter.cursor = OrderCursor(orders: orders, day: day)
                matcher.refresh(customers: 0..<customers.count, on: day, interpreter: interpreter)
            } else {
                let ordered = interpreter.cursor?.advance(to: day, in: orders) ?? []
                matcher.refresh(customers: changed + ordered, on: day, interpreter: interpreter)
            }
            let matches = matcher.matches(on: day, rules: engine.activeRules(on: day), interpreter: interpreter)
            var k = 0
            while k < matches.count {
                let customer = Int(matches[k].customer)
                matchedRules.removeAll(keepingCapacity: true)
                while k < matches.count, Int(matches[k].customer) == customer {
                    matchedRules.append(Int(matches[k].rule))
                    k += 1
                }
                for d in engine.decide(customer: customer, day: day, matched: matchedRules, interpreter: interpreter) {
                    let rule = program.rules[d.rule]
                    var simulated = SimulatedDecision(day: day, customer: customer, rule: d.rule, status: d.status,
                                                      redemptions: [], returned: false, pointsEarned: .zero)
                    if d.status == .sent || d.status == .heldOut {
                        simulated.redemptions = estimator.redemptions(of: rule, customer: customer, sentOn: day)
                        simulated.returned = estimator.returned(rule, customer: customer, day: day, redemptions: simulated.redemptions)
                    }
                    if d.status == .sent {
                        simulated.pointsEarned = state.schedule(rule, customer: customer, day: day)
                        let samples = result.rules[d.rule].samples
                        if samples.count < SimulationResult.samplesPerRule, !samples.contains(where: { $0.customer == customer }) {
                            result.rules[d.rule].samples.append(
                                explanation.sample(rule: d.rule, customer: customer, day: day, interpreter: interpreter))
                        }
                    }
                    result.record(simulated, dayIndex: dayIndex)
                    decision(simulated)
                }
            }
            result.endDay(dayIndex, spent: engine.spent)
            progress(dayIndex + 1, period.dayCount)
        }
        result.finish(spent: engine.spent, budgetRanOut: engine.budgetRanOut)
        return result
    }
}
