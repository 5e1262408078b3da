/// The difference between two simulations of the same data and period: the
/// base rules, and the rules given to `--compare`.
public struct SimulationComparison: Sendable {
    /// One rule's figures in each simulation; rules are matched by name.
    public struct RuleDelta: Sendable {
        public var name: String
        public var base: SentFigures?
        public var compared: SentFigures?
    }

    /// What a rule (or a whole simulation) sent.
    public struct SentFigures: Sendable, Equatable {
        public var decisionsSent = 0
        public var customersReached = 0
        public var coupons = CouponTotals()

        init(_ rule: RuleOutcome) {
            decisionsSent = rule.decisions[.sent]
            customersReached = rule.customersReached.count
            coupons = rule.coupons
        }

        init(_ totals: SimulationTotals) {
            decisionsSent = totals.decisions[.sent]
            customersReached = totals.reached.count
            coupons = totals.coupons
        }
    }

    /// A sent action as a customer would notice it: which rule sent what.
    public struct Action: Sendable, Hashable, Comparable {
        public var rule: String
        public var action: String
        public var value: String
        public var channel: String

        public static func < (a: Action, b: Action) -> Bool {
            (a.rule, a.action, a.value, a.channel) < (b.rule, b.action, b.value, b.channel)
        }
    }

    /// A customer who receives something more, or less, under the compared rules.
    public struct CustomerChange: Sendable {
        public var customer: Int
        public var customerID: String
        /// Actions sent more often under the compared rules, with how many more.
        public var gained: [(action: Action, count: Int)]
        /// Actions sent less often, with how many fewer.
        public var lost: [(action: Action, count: Int)]
    }

    public let base: SimulationResult
    public let compared: SimulationResult
    public let rules: [RuleDelta]
    public let totals: (base: SentFigures, compared: SentFigures)
    /// In customer id order.
    public let customers: [CustomerChange]

    public init(base: SimulationResult, compared: SimulationResult) {
        self.base = base
        self.compared = compared
        var deltas: [RuleDelta] = base.rules.map { RuleDelta(name: base.program.rules[$0.rule].name, base: SentFigures($0)) }
        for outcome in compared.rules {
            let name = compared.program.rules[outcome.rule].name
            if let i = deltas.firstIndex(where: { $0.name == name }) {
                deltas[i].compared = SentFigures(outcome)
            } else {
                deltas.append(RuleDelta(name: name, compared: SentFigures(outcome)))
            }
        }
        rules = deltas
        totals = (SentFigures(base.totals), SentFigures(compared.totals))
        customers = SimulationComparison.changes(base, compared)
    }

    public var customersGaining: Int { customers.filter { !$0.gained.isEmpty }.count }
    public var customersLosing: Int { customers.filter { !$0.lost.isEmpty }.count }

    /// Per customer, the sent actions of each simulation counted by kind, and the differences.
    private static func changes(_ base: SimulationResult, _ compared: SimulationResult) -> [CustomerChange] {
        // Each kind of action gets a number, shared by both rule sets, so a customer's
        // actions are lists of numbers rather than of texts.
        var numbers: [Action: Int] = [:], actions: [Action] = []
        func number(_ program: CheckedProgram) -> [[Int]] {
            program.rules.map { rule in
                rule.actions.map { a in
                    let action = Action(rule: rule.name, action: a.name, value: a.valueText, channel: a.channel?.rawValue ?? "")
                    if let n = numbers[action] { return n }
                    numbers[action] = actions.count
                    actions.append(action)
                    return actions.count - 1
                }
            }
        }
        let before = sentActions(base, number(base.program)), after = sentActions(compared, number(compared.program))
        var out: [CustomerChange] = []
        for customer in before.indices where before[customer] != after[customer] {
            var counts: [Int: Int] = [:]
            for n in before[customer] { counts[n, default: 0] -= 1 }
            for n in after[customer] { counts[n, default: 0] += 1 }
            let differences = counts.filter { $0.value != 0 }.map { (action: actions[$0.key], count: $0.value) }.sorted { $0.action < $1.action }
            out.append(CustomerChange(customer: customer, customerID: base.customers.ids[customer],
                                      gained: differences.filter { $0.count > 0 },
                                      lost: differences.filter { $0.count < 0 }.map { ($0.action, -$0.count) }))
        }
        return out.filter { !$0.gained.isEmpty || !$0.lost.isEmpty }
    }

    /// Per customer row, the numbers of the actions sent to them, sorted.
    private static func sentActions(_ result: SimulationResult, _ numbers: [[Int]]) -> [[Int]] {
        var out = Array(repeating: [Int](), count: result.customers.count)
        for sent in result.sent { out[Int(sent.customer)] += numbers[Int(sent.rule)] }
        return out.map { $0.sorted() }
    }
}
