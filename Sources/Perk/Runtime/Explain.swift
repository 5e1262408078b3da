/// Why a rule does or does not act for one customer on one day: its condition as
/// a tree, each sub-expression with its value, unknown values traced to the
/// missing fields behind them, and the verdict `perk run` would reach.
public struct Explanation: Sendable {
    public var ruleName: String
    public var customerID: String
    /// The customer's `name` column, when the data has one.
    public var customerName: String?
    public var day: LocalDate
    public var condition: Node
    public var verdict: Verdict
    /// Caveats, such as limits that a single day cannot know about.
    public var notes: [String]

    /// One sub-expression of the condition.
    public struct Node: Sendable {
        /// The expression as written, on one line.
        public var text: String
        public var type: PerkType
        /// Nil when evaluation never reached it (`false and ...` stops early).
        public var value: Value?
        /// Set when the node is a define: its body is the only child.
        public var defineName: String?
        /// True for a chain of `and`s, whose parts are the children.
        public var isConjunction: Bool
        /// For a missing or unknown value: the fields that made it so.
        public var unknownBecause: [Cause]
        /// Set when the value could not be computed (a number too large, a date
        /// outside the calendar); `value` is then nil.
        public var failure: EvaluationError.Problem? = nil
        public var children: [Node]

        public var isLeaf: Bool { children.isEmpty }
    }

    /// A missing field behind an unknown value, such as `member.birthday`.
    public struct Cause: Sendable, Equatable {
        /// `member.birthday`, `days_since_visit`, or an expression in backticks.
        public var subject: String
        /// Why it has no value, when that is more than "it is empty".
        public var reason: String?

        public var sentence: String {
            "\(subject) is missing" + (reason.map { " (\($0))" } ?? "")
        }
    }

    public enum Verdict: Sendable {
        /// The condition holds and nothing held the rule back: its actions go out.
        case fires([CheckedAction])
        /// The condition holds, but a control stopped the rule; the text says which.
        case heldBack(DecisionStatus, reason: String)
        /// The condition holds, but the rule's campaign does not run that day.
        case campaignNotRunning(name: String, from: LocalDate?, to: LocalDate?)
        /// The condition is false; `because` is the first part of an `and` that is false.
        case conditionFalse(because: String?)
        case conditionUnknown(because: [Cause])
        /// A value the condition or the decision needs cannot be computed: no
        /// verdict can be trusted, and the command reports the failure as an error.
        case cannotCompute(RuntimeFailure)
    }

    /// The failure behind a `cannotCompute` verdict.
    public var failure: RuntimeFailure? {
        if case .cannotCompute(let f) = verdict { return f }
        return nil
    }
}

/// Builds explanations by evaluating the condition's plan once with an observer
/// that records each node's value by node id (never a second evaluator), then
/// asking the decision engine what `perk run` would do with the result.
public struct Explainer {
    public let program: CheckedProgram
    public let interpreter: Interpreter
    /// What earlier days decided; without it, limits and cooldowns see none.
    public let history: JournalHistory?

    public init(program: CheckedProgram, interpreter: Interpreter, history: JournalHistory? = nil) {
        self.program = program
        self.interpreter = interpreter
        self.history = history
    }

    public func explain(rule r: Int, customer: Int, day: LocalDate) -> Explanation {
        let rule = program.rules[r]
        let defineFiles = Dictionary(program.defines.map { ($0.name, $0.file) }, uniquingKeysWith: { first, _ in first })
        var next: Int32 = 0
        // A compiled program's nodes have ids already; a hand-built one is numbered here.
        let condition = rule.condition.id == .unnumbered ? rule.condition.numbered(from: &next) : rule.condition

        // The plan `perk run` evaluates, observed node by node.
        let recorder = ValueRecorder()
        var frame = PlanFrame()
        frame.observer = { id, value in recorder.values[id] = value }
        frame.failureObserver = { id, problem in recorder.failures[id] = problem }
        var failure: RuntimeFailure?
        do throws(EvaluationError) {
            _ = try Planner.plan([condition], on: interpreter, observing: true)[0].evaluate(&frame, customer: customer, today: day)
        } catch {
            failure = error.failure(in: rule.file, program: program, rule: rule.name, customerID: interpreter.customers.ids[customer], day: day)
        }

        let builder = TreeBuilder(defineFiles: defineFiles, values: recorder.values, failures: recorder.failures, day: day)
        var tree = builder.node(condition, in: rule.file)
        if case .constant(.bool(true)) = rule.condition.node {
            tree.text = "everyone (the rule has no `when`)"
        }
        let nameColumn = interpreter.customers.columnIndex(named: "name")
        let name = nameColumn.map { interpreter.column($0, customer: customer) }.flatMap { v -> String? in
            if case .text(let s) = v { return s }
            return nil
        }
        let verdict: Explanation.Verdict
        do throws(RuntimeFailure) {
            if let failure { throw failure }
            verdict = try self.verdict(tree, rule: r, customer: customer, day: day)
        } catch {
            verdict = .cannotCompute(error)
        }
        return Explanation(ruleName: rule.name, customerID: interpreter.customers.ids[customer], customerName: name, day: day,
                           condition: tree, verdict: verdict,
                           notes: tree.value == .bool(true) ? notes(for: rule) : [])
    }

    // MARK: - Verdict

    private func verdict(_ condition: Explanation.Node, rule r: Int, customer: Int, day: LocalDate) throws(RuntimeFailure) -> Explanation.Verdict {
        switch condition.value {
        case .bool(true)?:
            return try decision(rule: r, customer: customer, day: day)
        case .bool(false)?:
            let firstFalse = condition.isConjunction ? condition.children.first { $0.value == .bool(false) }?.text : condition.text
            return .conditionFalse(because: firstFalse)
        default:
            return .conditionUnknown(because: condition.unknownBecause)
        }
    }

    /// The status `perk run` gives the rule for this customer that day: the
    /// customer's other rules run too (for exclusivity), and when a budget is
    /// involved, so do the customers before this one, in the same order.
    private func decision(rule r: Int, customer: Int, day: LocalDate) throws(RuntimeFailure) -> Explanation.Verdict {
        let rule = program.rules[r]
        if let c = rule.campaign, !program.campaigns[c].isActive(on: day) {
            let campaign = program.campaigns[c]
            return .campaignNotRunning(name: campaign.name, from: campaign.from, to: campaign.to)
        }
        var engine = DecisionEngine(program: program, customers: interpreter.customers.count)
        try history?.seed(&engine, program: program, before: day)
        let active = engine.activeRules(on: day)
        if let c = rule.campaign, program.campaigns[c].budget != nil {
            for earlier in 0..<customer {
                if let cancellation = interpreter.cancellation, cancellation.isCancelled { break }
                _ = try engine.decide(customer: earlier, day: day, rules: active, interpreter: interpreter)
            }
        }
        let decisions = try engine.decide(customer: customer, day: day, rules: active, interpreter: interpreter)
        guard let mine = decisions.first(where: { $0.rule == r }) else {
            return .conditionFalse(because: nil)
        }
        if mine.status == .sent { return .fires(rule.actions) }
        let before = Array(decisions.prefix { $0.rule != r })
        return .heldBack(mine.status, reason: reason(mine.status, rule: rule, customer: customer, day: day, earlier: before,
                                                     engine: engine, contactPolicy: mine.contactPolicy))
    }

    /// `earlier` are the customer's decisions that day before this rule's.
    private func reason(_ status: DecisionStatus, rule: CheckedRule, customer: Int, day: LocalDate, earlier: [Decision],
                        engine: DecisionEngine, contactPolicy: Int? = nil) -> String {
        let campaign = rule.campaign.map { program.campaigns[$0] }
        switch status {
        case .skippedLimit:
            let past = pastDecisions(rule: rule, customer: customer, day: day)
            return "the rule's limit of \(rule.lifetimeLimit ?? 0) per customer is used up" + (past.isEmpty ? "" : ": \(past)")
        case .skippedCooldown:
            guard let cooldown = rule.cooldown, let history else {
                return "the rule acted for this customer within its cooldown"
            }
            let days = history.countedDays(rule: rule.name, customer: customer, before: day).suffix(cooldown.count)
            let within = "at most \(cooldown.count == 1 ? "once" : "\(cooldown.count) times") every \(cooldown.period)"
            guard let oldest = days.first?.day else { return "the rule acted for this customer within its cooldown (\(within))" }
            let again = Self.nextDay(after: oldest, cooldown: cooldown.period).map { "not again before \($0)" } ?? "not again before the calendar ends"
            return "the rule's cooldown (\(within)) is used up: \(Self.describe(Array(days))), so \(again)"
        case .skippedConsent:
            for action in rule.actions {
                guard let channel = action.channel, let slot = action.consentSlot else { continue }
                let consent = interpreter.column(slot, customer: customer)
                if consent != .bool(true) {
                    let state = consent.isMissing ? "is empty" : "is \(consent)"
                    return "no consent for \(channel.rawValue): member.\(channel.consentColumn) \(state)"
                }
            }
            return "no consent for the rule's channel"
        case .skippedContactCap:
            return contactCapReason(policy: contactPolicy, customer: customer, engine: engine)
        case .skippedExclusive:
            let other = earlier.first { d in
                program.rules[d.rule].campaign == rule.campaign && program.rules[d.rule].sendsCoupon && d.status.counts
            }
            let by = other.map { " (rule \"\(program.rules[$0.rule].name)\")" } ?? ""
            return "campaign \"\(campaign?.name ?? "")\" is exclusive and another of its coupons went to this customer today\(by)"
        case .heldOut:
            let share = campaign?.holdout.map { " (holdout \($0)%)" } ?? ""
            return "the customer is in the control group of campaign \"\(campaign?.name ?? "")\"\(share)"
        case .skippedBudget:
            guard let c = rule.campaign, let budget = program.campaigns[c].budget else { return "the campaign's budget is used up" }
            let name = program.campaigns[c].name, worth = engine.faceValue(rule).map(\.description) ?? "beyond Perk's exact numbers"
            // The engine was seeded from the same journal, so its total fits.
            let before = history?.spent(campaign: name, before: day) ?? .zero
            guard !before.isZero, let today = engine.spent[c].subtracting(before) else {
                return "campaign \"\(name)\" has spent \(engine.spent[c]) of its budget of \(budget) on the customers before this one; "
                    + "the coupon is worth \(worth)"
            }
            return "campaign \"\(name)\" has spent \(engine.spent[c]) of its budget of \(budget) (\(before) on the days in the journal, "
                + "\(today) today on the customers before this one); the coupon is worth \(worth)"
        case .sent:
            return ""
        }
    }

    private func notes(for rule: CheckedRule) -> [String] {
        guard rule.lifetimeLimit != nil || rule.cooldown != nil, history == nil else { return [] }
        return ["the rule's limit counts actions on earlier days, which one day's plan does not know: this assumes there were none"]
    }

    /// `sent on 2025-06-12 and held out on 2025-06-20`: the customer's
    /// decisions of the rule that counted before `day`, from the journal.
    private func pastDecisions(rule: CheckedRule, customer: Int, day: LocalDate) -> String {
        guard let history else { return "" }
        return Self.describe(history.countedDays(rule: rule.name, customer: customer, before: day))
    }

    static func describe(_ days: [(day: LocalDate, status: DecisionStatus)]) -> String {
        let parts = days.map { "\($0.status == .sent ? "sent" : "held out") on \($0.day)" }
        guard parts.count > 1 else { return parts.first ?? "" }
        return parts.dropLast().joined(separator: ", ") + " and " + parts[parts.count - 1]
    }

    /// The first day a cooldown whose oldest counted decision fell on
    /// `oldest` allows again: the first day minus the period that is not
    /// before `oldest` (months are calendar months, clamped to the month's end).
    /// Nil when that day is past the calendar's end: the cooldown never ends.
    static func nextDay(after oldest: LocalDate, cooldown period: Duration) -> LocalDate? {
        guard var day = period.added(to: oldest) else { return nil }
        while period.start(before: day.advanced(by: -1)) >= oldest, day > oldest.advanced(by: 1) { day = day.advanced(by: -1) }
        while period.start(before: day) < oldest { day = day.advanced(by: 1) }
        return day
    }
}

/// Collects what the observer sees; a class because the observer is a closure
/// the interpreter calls while it holds its own copy of the state.
private final class ValueRecorder {
    var values: [NodeID: Value] = [:]
    var failures: [NodeID: EvaluationError.Problem] = [:]
}

// MARK: - Tree

/// Turns an evaluated condition into the tree people read.
private struct TreeBuilder {
    /// Where each define is written: its body's text is sliced from there.
    let defineFiles: [String: SourceFile]
    let values: [NodeID: Value]
    let failures: [NodeID: EvaluationError.Problem]
    let day: LocalDate

    /// `e`, written in `file`.
    func node(_ e: CheckedExpr, in file: SourceFile) -> Explanation.Node {
        var defineName: String?
        var isConjunction = false
        var childFile = file
        if case .define(let name, _) = e.node {
            defineName = name
            childFile = defineFiles[name] ?? file
        }
        if case .and = e.node { isConjunction = true }
        let children = shownChildren(e).map { node($0, in: childFile) }
        let value = values[e.id]
        var result = Explanation.Node(text: ExplanationText.oneLine(file.slice(e.range)), type: e.type, value: value,
                                      defineName: defineName, isConjunction: isConjunction, unknownBecause: [], children: children)
        if value?.isMissing == true { result.unknownBecause = causes(e, result) }
        if value == nil { result.failure = failures[e.id] }
        return result
    }

    /// The sub-expressions worth a line: constants say what they are already, and
    /// a chain of `and`s, of `or`s, or of `+` and `-` (or of `*`) reads best as
    /// one list, not as a staircase one level deeper for every term.
    private func shownChildren(_ e: CheckedExpr) -> [CheckedExpr] {
        let children: [CheckedExpr]
        switch e.node {
        case .and, .or, .arithmetic(.add, _, _), .arithmetic(.subtract, _, _), .arithmetic(.multiply, _, _):
            children = TreeBuilder.chain(e)
        default: children = e.children
        }
        return children.filter { !$0.isConstant }
    }

    /// The operands of a chain of one kind of operator, in the order written.
    /// The parser balances `and` and `or` chains, so both sides are walked;
    /// arithmetic leans left (`a + b + c` is `(a + b) + c`), so the walk goes
    /// down the left side in a loop, and each right side is one operand (or a
    /// chain of its own, when written in parentheses).
    static func chain(_ e: CheckedExpr) -> [CheckedExpr] {
        func junction(_ x: CheckedExpr) -> [CheckedExpr] {
            switch (e.node, x.node) {
            case (.and, .and(let a, let b)), (.or, .or(let a, let b)): return junction(a) + junction(b)
            default: return [x]
            }
        }
        func split(_ x: CheckedExpr) -> (CheckedExpr, CheckedExpr)? {
            switch (e.node, x.node) {
            case (.arithmetic(.multiply, _, _), .arithmetic(.multiply, let a, let b)): return (a, b)
            case (.arithmetic(.add, _, _), .arithmetic(.add, let a, let b)),
                 (.arithmetic(.add, _, _), .arithmetic(.subtract, let a, let b)),
                 (.arithmetic(.subtract, _, _), .arithmetic(.add, let a, let b)),
                 (.arithmetic(.subtract, _, _), .arithmetic(.subtract, let a, let b)): return (a, b)
            default: return nil
            }
        }
        if case .and = e.node { return junction(e) }
        if case .or = e.node { return junction(e) }
        var operands: [CheckedExpr] = []
        var left = e
        while let (a, b) = split(left) {
            operands.append(b)
            left = a
        }
        operands.append(left)
        return operands.reversed()
    }

    /// The missing fields behind a missing value, found through the children
    /// that were missing themselves.
    private func causes(_ e: CheckedExpr, _ node: Explanation.Node) -> [Explanation.Cause] {
        switch e.node {
        case .column(_, let name):
            return [Explanation.Cause(subject: "member.\(name)", reason: nil)]
        case .derived(let field):
            let what = field == .favoriteItem ? "no items in orders" : "no orders"
            return [Explanation.Cause(subject: field.rawValue, reason: "\(what) before \(day)")]
        case .aggregate(let agg, _):
            // A sum past the range of exact numbers is an error, never missing.
            return [Explanation.Cause(subject: "`\(node.text)`", reason: "no orders to take the \(agg.rawValue) of")]
        default:
            break
        }
        var found: [Explanation.Cause] = []
        for child in node.children where child.value?.isMissing == true {
            for c in child.unknownBecause where !found.contains(c) { found.append(c) }
        }
        if !found.isEmpty { return found }
        // Every input had a value, so the operation itself gave none.
        if case .arithmetic(.divide, _, let divisor) = e.node, case .number(let n)? = values[divisor.id], n.isZero {
            return [Explanation.Cause(subject: "`\(node.text)`", reason: "division by zero")]
        }
        return [Explanation.Cause(subject: "`\(node.text)`", reason: nil)]
    }
}

/// Source text as one line, for trees and tables.
enum ExplanationText {
    /// Runs of spaces and line breaks become one space; a `#` comment inside a
    /// multi-line condition is dropped, as the lexer drops it (up to a `\n`).
    /// By Unicode scalars, as the lexer reads bytes: Swift takes CRLF for one
    /// Character, so a Character test for `"\n"` ran a comment on to the end.
    static func oneLine(_ text: String) -> String {
        var out = ""
        var inText = false, inComment = false, space = false, escaped = false
        for ch in text.unicodeScalars {
            if inComment {
                if ch == "\n" { inComment = false; space = true }
                continue
            }
            if inText, escaped || ch == "\\" {
                // `\"` inside text neither ends it nor starts a comment.
                escaped.toggle()
                out.unicodeScalars.append(ch)
                continue
            }
            if !inText, ch == "#" { inComment = true; continue }
            if !inText, ch == " " || ch == "\t" || ch == "\n" || ch == "\r" {
                space = true
                continue
            }
            if ch == "\"" { inText.toggle() }
            if space, !out.isEmpty { out += " " }
            space = false
            out.unicodeScalars.append(ch)
        }
        return out
    }
}

// MARK: - Finding what to explain

extension CheckedProgram {
    /// The index of the rule with this name, as `perk run` shows it.
    public func ruleIndex(named name: String) -> Int? {
        rules.firstIndex { $0.name == name }
    }

    /// A rule name close to `name`, for "did you mean".
    public func closestRuleName(to name: String) -> String? {
        Suggest.closest(to: name, among: rules.map(\.name).sorted())
    }
}

extension CustomerTable {
    /// A customer id close to `id`, for "did you mean": a typo or the wrong case.
    public func closestID(to id: String) -> String? {
        Suggest.closest(to: id, among: ids)
    }
}
