/// Runs checked tests: each test's tables become data, the rules are bound to
/// it, and its days are decided one after another by `ActionPlan` and the
/// `DecisionEngine`, as daily runs of `perk run --journal --commit` would be.
/// Nothing here decides anything itself; it only compares.
public struct RuleTestRunner {
    /// The checked rules, against the schema the tests were checked with.
    public let program: CheckedProgram
    /// Set to record which parts of which conditions the tests saw true and false.
    public var coverage: ConditionCoverage?

    public init(program: CheckedProgram, recordsCoverage: Bool = false) {
        self.program = program
        coverage = recordsCoverage ? ConditionCoverage(program: program) : nil
    }

    public mutating func run(_ tests: [CheckedTest]) -> [TestResult] {
        tests.map { run($0) }
    }

    public mutating func run(_ test: CheckedTest) -> TestResult {
        let (data, rows) = FixtureData.make(test, schema: program.schema)
        // Warnings such as an item no order of the test has are about the
        // test's few orders, not the rules: not shown.
        let bound = Binder.bind(program, to: Schema(customers: data.customers, orders: data.orders)).0
        let interpreter = Interpreter(customers: data.customers, orders: data.orders)
        var engine = DecisionEngine(program: bound, customers: data.customers.count)
        var plans: [Int32: ActionPlan] = [:]
        do throws(RuntimeFailure) {
            try remember(test.journal, rows: rows, in: &engine, program: bound)
            for day in test.days {
                plans[day.day] = try ActionPlan.make(program: bound, interpreter: interpreter, day: day, continuing: &engine, workers: 1)
                coverage?.observe(bound, interpreter: interpreter, day: day)
            }
        } catch {
            return TestResult(name: test.name, file: test.file, nameRange: test.nameRange, failures: [], error: error)
        }
        let outcomes = Outcomes(program: bound, interpreter: interpreter, plans: plans)
        var failures: [ExpectationFailure] = []
        for e in test.expectations {
            for c in e.customers {
                if let f = outcomes.check(e, customer: rows[c], test: test) { failures.append(f) }
            }
        }
        return TestResult(name: test.name, file: test.file, nameRange: test.nameRange, failures: failures, error: nil)
    }

    /// The test's journal, taken in as `perk run --journal` takes a journal's days.
    private func remember(_ journal: [FixtureDecision], rows: [Int], in engine: inout DecisionEngine,
                          program: CheckedProgram) throws(RuntimeFailure) {
        for d in journal.sorted(by: { $0.day < $1.day }) {
            let rule = program.rules[d.rule]
            var channels: Channels = []
            for c in rule.channels { channels.insert(Channels(c)) }
            engine.remember(PastDecision(day: d.day, customer: rows[d.customer], rule: d.rule, status: d.status,
                                         channels: d.status == .sent ? channels : []))
            if d.status == .sent, let c = rule.campaign, rule.sendsCoupon, let face = engine.faceValue(rule) {
                try engine.remember(spent: face, campaign: c, budgetRanOutOn: nil, on: d.day)
            }
        }
    }
}

/// One test's result: passed when nothing failed.
public struct TestResult: Sendable {
    public var name: String
    public var file: SourceFile
    public var nameRange: SourceRange
    public var failures: [ExpectationFailure]
    /// A value the rules could not compute on the test's data (E001, E002).
    public var error: RuntimeFailure?

    public var passed: Bool { failures.isEmpty && error == nil }
}

/// An expectation that did not hold for one customer.
public struct ExpectationFailure: Sendable {
    public var file: SourceFile
    /// The `expect` line.
    public var range: SourceRange
    public var rule: String?
    public var customerID: String
    public var day: LocalDate
    public var expected: String
    public var actual: String
    /// The explain tree of the rule's condition for the customer that day.
    public var explanation: String?
}

/// What happened to a rule for a customer on a day, in the words of a test.
enum ActualOutcome: Equatable {
    case sent([CheckedActionText])
    case status(DecisionStatus)
    case conditionFalse
    case conditionUnknown
    case inactive

    var description: String {
        switch self {
        case .sent(let actions): return actions.isEmpty ? "sent (no actions)" : "sent " + actions.map(\.text).joined(separator: ", ")
        case .status(let s): return s.rawValue
        case .conditionFalse: return "condition false"
        case .conditionUnknown: return "condition unknown"
        case .inactive: return "inactive (its campaign does not run that day)"
        }
    }
}

/// An action as a failure message shows it: `coupon 20 via sms`.
struct CheckedActionText: Equatable {
    var text: String

    init(_ a: CheckedAction) {
        var s = "\(a.name) \(a.valueText)"
        if let c = a.coupon {
            if c.validDays != Coupon.defaultValidDays { s += " valid for \(c.validDays) days" }
            if let min = c.minSpend { s += " min spend \(min)" }
        }
        if let channel = a.channel { s += " via \(channel.rawValue)" }
        text = s
    }
}

/// Reads the outcome of each rule from the days' plans and compares it with
/// what the test expects.
private struct Outcomes {
    let program: CheckedProgram
    let interpreter: Interpreter
    let plans: [Int32: ActionPlan]

    func check(_ e: CheckedExpectation, customer: Int, test: CheckedTest) -> ExpectationFailure? {
        guard let plan = plans[e.day.day] else { return nil }
        let id = interpreter.customers.ids[customer]
        guard let r = e.rule else {
            // `expect nothing`: no rule acts for the customer.
            let sent = plan.decisions.filter { $0.customer == customer && $0.status == .sent }
            guard let first = sent.first else { return nil }
            let actual = sent.map { "\"\(program.rules[$0.rule].name)\" sent" }.joined(separator: ", ")
            return ExpectationFailure(file: test.file, range: e.range, rule: nil, customerID: id, day: e.day, expected: "nothing",
                                      actual: actual, explanation: explain(first.rule, customer: customer, day: e.day))
        }
        let actual = outcome(of: r, customer: customer, plan: plan)
        guard !Self.holds(e.outcome, actual, rule: program.rules[r]) else { return nil }
        return ExpectationFailure(file: test.file, range: e.range, rule: program.rules[r].name, customerID: id, day: e.day,
                                  expected: Self.describe(e.outcome), actual: actual.description,
                                  explanation: explain(r, customer: customer, day: e.day))
    }

    func outcome(of r: Int, customer: Int, plan: ActionPlan) -> ActualOutcome {
        let rule = program.rules[r]
        if let c = rule.campaign, !program.campaigns[c].isActive(on: plan.day) { return .inactive }
        if let d = plan.decisions.first(where: { $0.customer == customer && $0.rule == r }) {
            return d.status == .sent ? .sent(rule.actions.map(CheckedActionText.init)) : .status(d.status)
        }
        // The rule did not match: the plan says no more, so the condition's
        // plan, the one `perk run` evaluated, says which way.
        var frame = PlanFrame()
        let value = try? Planner.plan(rule.condition, on: interpreter).evaluate(&frame, customer: customer, today: plan.day)
        return value == .bool(false) ? .conditionFalse : .conditionUnknown
    }

    static func holds(_ expected: ExpectedResult, _ actual: ActualOutcome, rule: CheckedRule) -> Bool {
        switch (expected, actual) {
        case (.sent(let wanted), .sent):
            return wanted.allSatisfy { w in rule.actions.contains { w.matches($0) } }
        case (.status(let s), .status(let t)): return s == t
        case (.noMatch, .conditionFalse), (.noMatch, .conditionUnknown): return true
        case (.conditionFalse, .conditionFalse), (.conditionUnknown, .conditionUnknown), (.inactive, .inactive): return true
        default: return false
        }
    }

    static func describe(_ e: ExpectedResult) -> String {
        switch e {
        case .sent(let actions): return actions.isEmpty ? "sent" : "sent " + actions.map(\.description).joined(separator: ", ")
        case .status(let s): return s.rawValue
        case .noMatch: return "no match"
        case .conditionFalse: return "condition false"
        case .conditionUnknown: return "condition unknown"
        case .inactive: return "inactive"
        case .nothing: return "nothing"
        }
    }

    func explain(_ r: Int, customer: Int, day: LocalDate) -> String {
        let explanation = Explainer(program: program, interpreter: interpreter).explain(rule: r, customer: customer, day: day)
        let text = ExplainReport(explanation).rendered()
        guard explanation.condition.value == .bool(true) else { return text }
        // The condition held, so the decision engine decided, with the test's
        // earlier days, which a one-day verdict would not know: the failure
        // line says what it decided; the tree shows why the condition held.
        let parts = text.components(separatedBy: "\n\n")
        return parts.count >= 3 ? parts[0] + "\n\n" + parts[1] + "\n" : text
    }
}
