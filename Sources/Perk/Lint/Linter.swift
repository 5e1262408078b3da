/// `perk lint`: the parser's and checker's errors, then warnings found by
/// reasoning over the rules' conditions, and — when data is given — what each
/// rule matches today, with real customers as examples.
public enum Linter {
    /// Every lint rule, in the order their warnings are produced.
    static let rules: [any LintRule] = [
        NeverTrue(), AlwaysTrueOrRedundant(), ShadowedInExclusiveCampaign(), DoubleCoupon(), UnlimitedCoupon(),
        CampaignWithoutBudget(), ChannelWithoutConsent(), NegationOverMissing(), UnusedDefine(), RuleWithoutActions(),
        MatchesNobodyOrEverybody(), ContactPolicyExceeded(), TierDowngrade(), MixedConsent(),
        UnknownTextValue(), BirthdayInLast(),
    ]

    public struct Result: Sendable {
        /// Sorted, and capped at `Compiler.maxDiagnostics` for display.
        public var diagnostics: [Diagnostic]
        /// Counts over every diagnostic found, shown or not.
        public var errorCount: Int
        public var warningCount: Int
        /// With data: how many customers each rule's condition holds for on `day`.
        public var matches: [(rule: String, customers: Int)]?
        public var day: LocalDate?
    }

    /// Lints compiled rules. `population` is the data the rules run on (the
    /// sample shop, or the user's); it tells which fields can be missing.
    /// Matches are counted, with examples, only when the user named the data.
    public static func lint(_ compilation: Compilation, population: DataSet?, dataGiven: Bool, day: LocalDate?) -> Result {
        // With errors, the rules that checked are still linted (their warnings
        // are printed with the errors); the ones with errors are left out.
        guard let program = compilation.program ?? compilation.checkedPart else {
            return Result(diagnostics: compilation.diagnostics, errorCount: compilation.errorCount,
                          warningCount: compilation.warningCount, matches: nil, day: day)
        }
        let context = LintContext(compilation: compilation, program: program, population: population,
                                  dataGiven: dataGiven && compilation.program != nil, day: day)
        // A value the rules cannot compute on the data is an error, as it is for `perk run`.
        var found: [Diagnostic] = context.failures.map(\.diagnostic)
        for rule in rules { rule.check(context, into: &found) }
        let all = Compiler.capped(compilation.diagnostics + found)
        return Result(diagnostics: all, errorCount: compilation.errorCount + found.errorCount,
                      warningCount: compilation.warningCount + found.warningCount, matches: context.matchCounts.map { counts in
            zip(program.rules, counts).map { ($0.name, $1) }
        }, day: context.day)
    }
}

/// One lint rule: it reads the program (and data, if any) and adds warnings.
/// Each rule lives in its own file under `Lint/Rules/` with its messages.
protocol LintRule: Sendable {
    func check(_ context: LintContext, into diagnostics: inout [Diagnostic])
}

/// What lint rules share: the program, each rule's condition in DNF, and the data.
struct LintContext {
    let compilation: Compilation
    let program: CheckedProgram
    /// The data the user named; nil for the sample shop or a schema file.
    let data: DataSet?
    /// The data the rules run on, named or not.
    let population: DataSet?
    let populationDay: LocalDate?
    let day: LocalDate?
    let interpreter: Interpreter?
    /// Each rule's condition as a formula, defines expanded.
    let formulas: [Formula]
    /// Each rule's condition in disjunctive normal form; nil when too large to reason about.
    let conditions: [[[Atom]]?]
    /// Each rule's negated condition in DNF.
    let negations: [[[Atom]]?]
    /// True when some declarations had errors and are missing from `program`:
    /// a rule that needs the whole program (an unused define) stays quiet.
    var isPartial: Bool { compilation.program == nil }
    /// With data: for each rule, the customers its condition holds for (as a bitmap).
    let matched: [[Bool]]?
    /// With data: for each rule whose condition could not be evaluated for some
    /// customer, the first such customer's failure (that customer is not matched).
    let failures: [RuntimeFailure]
    /// How many customers lack each field that can be missing, by canonical
    /// text (`member.birthday`, `days_since_visit`); nil without customers.
    let missingCounts: [String: Int]?

    init(compilation: Compilation, program: CheckedProgram, population: DataSet?, dataGiven: Bool, day: LocalDate?) {
        self.compilation = compilation
        self.program = program
        self.population = population
        populationDay = day ?? population?.dayAfterLatestOrder
        missingCounts = population.flatMap { LintContext.countMissing(in: $0, on: day ?? $0.dayAfterLatestOrder) }
        let data = dataGiven ? population : nil
        self.data = data
        let formulas = program.rules.map { ConditionModel.formula($0.condition) }
        self.formulas = formulas
        conditions = formulas.map { $0.nnf().dnf() }
        negations = formulas.map { $0.nnf(negated: true).dnf() }
        if let data, let d = day ?? data.dayAfterLatestOrder {
            let interpreter = Interpreter(customers: data.customers, orders: data.orders)
            self.interpreter = interpreter
            self.day = d
            var failures: [RuntimeFailure] = []
            matched = program.rules.indices.map { r in
                var failed = false
                return (0..<data.customers.count).map { c in
                    do throws(EvaluationError) {
                        return try interpreter.holds(program.rules[r].condition, customer: c, today: d)
                    } catch {
                        if !failed { failures.append(program.failure(error, rule: r, customer: c, customers: data.customers, day: d)) }
                        failed = true
                        return false
                    }
                }
            }
            self.failures = failures
        } else {
            interpreter = nil
            self.day = day
            matched = nil
            failures = []
        }
    }

    var matchCounts: [Int]? { matched?.map { $0.lazy.filter { $0 }.count } }

    /// True when `a ∧ b` can hold for some customer, as far as reasoning tells.
    func canOverlap(_ a: Int, _ b: Int) -> Bool {
        guard let ca = conditions[a], let cb = conditions[b] else { return true }
        for x in ca { for y in cb where Satisfiability.holds(x + y) { return true } }
        return false
    }

    /// True when every customer rule `b` matches, rule `a` matches too.
    func implies(_ b: Int, _ a: Int) -> Bool {
        guard let cb = conditions[b], let na = negations[a] else { return false }
        for x in cb { for y in na where Satisfiability.holds(x + y) { return false } }
        return true
    }

    /// The first customer (by id) for whom all the given rules' conditions hold today.
    func example(matchingAll rules: [Int]) -> String? {
        guard let matched, let data else { return nil }
        for c in 0..<data.customers.count where rules.allSatisfy({ matched[$0][c] }) {
            return describe(customer: c)
        }
        return nil
    }

    /// `C00042 (王芳, VIP)`: an id with the name and tier when the data has them.
    func describe(customer c: Int) -> String {
        guard let data = data ?? population else { return "" }
        var details: [String] = []
        for column in ["name", "tier"] {
            if let slot = data.customers.columnIndex(named: column) {
                let v = data.customers.columns[slot].values[c]
                if !v.isMissing { details.append(v.display(as: data.customers.columns[slot].type)) }
            }
        }
        return data.customers.ids[c] + (details.isEmpty ? "" : " (\(details.joined(separator: ", ")))")
    }

    /// Where a rule's condition was written, or its name when it has none.
    func conditionRange(_ r: Int) -> SourceRange {
        let rule = program.rules[r]
        return rule.condition.range.start >= rule.range.start && rule.condition.range.end <= rule.range.end
            ? rule.condition.range : rule.nameRange
    }

    func warning(_ code: LintCode, _ message: String, rule r: Int, at range: SourceRange? = nil,
                 help: String? = nil, notes: [String] = []) -> Diagnostic {
        let rule = program.rules[r]
        return .warning(code, message, in: rule.file, range ?? rule.nameRange, help: help, notes: notes)
    }
}

extension Atom {
    /// How the atom reads: `days_since_visit > 30`, `member.tier == VIP`.
    var description: String {
        switch test {
        case .opaque(let positive):
            guard positive else { return "not \(variable)" }
            return variable.hasPrefix("(") && variable.hasSuffix(")") ? String(variable.dropFirst().dropLast()) : variable
        case .compare(let op, let bound): return "\(variable) \(op.rawValue) \(bound.description)"
        }
    }
}

extension Bound {
    var description: String {
        switch self {
        case .ordered(let n, let kind, _):
            switch kind {
            case .number: return n.description
            case .percent: return "\(n)%"
            case .date: return LocalDate(day: Int32(n.truncated)).description
            case .enumeration(let e):
                let i = Int(n.truncated)
                return i >= 0 && i < e.cases.count ? e.cases[i] : n.description
            }
        case .text(let s): return "\"\(s)\""
        case .bool(let b): return b ? "true" : "false"
        }
    }
}
