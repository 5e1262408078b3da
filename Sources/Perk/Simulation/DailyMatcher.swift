/// Evaluates every active rule's condition for every customer on one day.
///
/// Conditions read the state as of the start of the day and nothing the day's
/// decisions change, so they can be evaluated on several threads; the matches
/// come back in customer order, then rule order, whatever the thread count, and
/// the decisions (whose budget depends on that order) are made afterwards, one
/// customer at a time.
///
/// Two shortcuts skip work without changing any answer, both for the parts of a
/// condition joined by `and` (the condition holds only if each part does). A part
/// that reads only the day (`day(today) == 1`) is evaluated once a day: when it
/// is not true, nobody matches. A part that does not read the day
/// (`member.tier == VIP`, `visit_count == 1`) changes only when the customer's
/// columns change or an order of theirs falls behind the day: it is evaluated
/// then, and where it is not true the rule is skipped for that customer.
/// A gate that cannot be computed lets the customer through: the whole
/// condition then decides, as the plain day loop would, failure included.
struct DailyMatcher {
    private let conditions: [CheckedExpr]
    private let dayGates: [[CheckedExpr]]
    private let customerGates: [[CheckedExpr]]
    /// Per rule, what its customer gates read: columns, orders or both.
    private let gateReads: [ExpressionReads]
    /// Per rule, the customers whose customer gates hold.
    private var candidates: [CustomerSet]
    /// Threads to evaluate on.
    let workers: Int

    init(program: CheckedProgram, customers: Int, workers: Int) {
        self.workers = max(1, workers)
        conditions = program.rules.map(\.condition)
        dayGates = conditions.map { $0.conjuncts.filter { $0.reads.isSubset(of: .today) } }
        customerGates = conditions.map { $0.conjuncts.filter { !$0.reads.isSubset(of: .today) && !$0.reads.contains(.today) } }
        gateReads = customerGates.map { gates in gates.reduce(into: ExpressionReads()) { $0.formUnion($1.reads) } }
        candidates = Array(repeating: CustomerSet(capacity: customers), count: conditions.count)
    }

    /// Re-evaluates the customer gates of customers whose columns or order
    /// history changed (`changed`: which of the two; all of it on the first day),
    /// for the rules whose gates read what changed.
    mutating func refresh<C: Sequence>(customers: C, changed: ExpressionReads, on day: LocalDate, interpreter: Interpreter)
    where C.Element == Int {
        let rules = conditions.indices.filter { !customerGates[$0].isEmpty && !gateReads[$0].isDisjoint(with: changed) }
        guard !rules.isEmpty else { return }
        for customer in customers {
            for r in rules {
                let holds = customerGates[r].allSatisfy { (try? interpreter.holds($0, customer: customer, today: day)) ?? true }
                candidates[r].set(customer, holds)
            }
        }
    }

    func matches(on day: LocalDate, rules active: [Int], interpreter: Interpreter) throws(RuleEvaluationError) -> [Match] {
        let count = interpreter.customers.count
        guard count > 0 else { return [] }
        let rules = active.filter { r in
            dayGates[r].allSatisfy { (try? interpreter.holds($0, customer: 0, today: day)) ?? true }
        }
        guard !rules.isEmpty else { return [] }
        let gated = rules.map { !customerGates[$0].isEmpty }
        let candidates = rules.map { self.candidates[$0] }
        return try CustomerRanges.matches(of: rules, rules.map { conditions[$0] }, on: day, interpreter: interpreter,
                                      workers: workers) { k, customer in
            !gated[k] || candidates[k].contains(customer)
        }
    }
}
