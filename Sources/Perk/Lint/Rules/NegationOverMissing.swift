/// P208: a negated test (`not`, `!=`, `not in`) over a field that can be
/// missing. For a customer without the value the test is unknown, so the rule
/// skips them — the opposite of what "not" suggests. An explicit `is present`
/// or `is missing` on the field says what is meant and silences the warning.
struct NegationOverMissing: LintRule {
    static let code = LintCode.negationOverMissing

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, rule) in context.program.rules.enumerated() {
            var guarded = Set<String>()
            collectGuards(rule.condition, into: &guarded)
            var reported = Set<String>()
            visit(rule.condition, use: nil) { negation, range in
                for field in missableFields(in: negation, context) where !guarded.contains(field) && reported.insert(field).inserted {
                    var notes: [String] = []
                    if let n = context.missingCount(field) {
                        notes.append("\(PlanReport.grouped(n)) customer\(n == 1 ? " has" : "s have") no \(field) in the data")
                    }
                    diagnostics.append(context.warning(
                        Self.code, "customers with no \(field) are skipped: for them this negated test is unknown, not true",
                        rule: r, at: range,
                        help: "say what you mean: add `\(field) is present and ...` to skip them, or `\(field) is missing or ...` to include them",
                        notes: notes))
                }
            }
        }
    }

    /// Calls `found` for each negated test, with where it was written (a define's use, inside defines).
    private func visit(_ e: CheckedExpr, use: SourceRange?, _ found: (CheckedExpr, SourceRange) -> Void) {
        let range = use ?? e.range
        switch e.node {
        case .not(let x):
            found(x, range)
            visit(x, use: use, found)
        case .compare(.ne, _, _), .inList(_, _, negated: true):
            found(e, range)
        case .define(_, let body): visit(body, use: range, found)
        case .and(let a, let b), .or(let a, let b):
            visit(a, use: use, found)
            visit(b, use: use, found)
        default: break
        }
    }

    private func collectGuards(_ e: CheckedExpr, into guards: inout Set<String>) {
        switch e.node {
        case .isMissing(let x, _): guards.insert(ConditionModel.text(x))
        case .define(_, let body), .not(let body): collectGuards(body, into: &guards)
        case .and(let a, let b), .or(let a, let b):
            collectGuards(a, into: &guards)
            collectGuards(b, into: &guards)
        default: break
        }
    }

    /// Fields under `e` that some customer may lack, by canonical text.
    private func missableFields(in e: CheckedExpr, _ context: LintContext) -> [String] {
        var out: [String] = []
        func walk(_ e: CheckedExpr) {
            switch e.node {
            case .column(_, let name):
                let text = "member.\(name)"
                if context.mayBeMissing(text), !out.contains(text) { out.append(text) }
            case .derived(let f):
                if f.canBeMissing, context.mayBeMissing(f.rawValue), !out.contains(f.rawValue) { out.append(f.rawValue) }
            // `isMissing` guards its operand, and an aggregate's `where` is about orders.
            case .isMissing, .aggregate: break
            default: e.forEachChild(walk)
            }
        }
        walk(e)
        return out
    }
}

extension DerivedField {
    /// Missing for a customer with no orders before the day.
    var canBeMissing: Bool { ![.visitCount, .totalSpend].contains(self) }
}

extension LintContext {
    /// How many customers lack a field (by canonical text) on the lint day;
    /// nil without data.
    func missingCount(_ field: String) -> Int? { missingCounts?[field] }

    /// With no data to look at, any field may be missing.
    func mayBeMissing(_ field: String) -> Bool { missingCount(field).map { $0 > 0 } ?? true }

    /// One pass per column and per derived field that can be missing, done once
    /// for the whole lint rather than for every negated test.
    static func countMissing(in data: DataSet, on day: LocalDate?) -> [String: Int]? {
        guard data.customers.count > 0 else { return nil }
        var counts: [String: Int] = [:]
        for column in data.customers.columns {
            counts["member." + column.name] = column.values.lazy.filter(\.isMissing).count
        }
        if let day {
            let interpreter = Interpreter(customers: data.customers, orders: data.orders)
            for field in DerivedField.allCases where field.canBeMissing {
                counts[field.rawValue] = (0..<data.customers.count).lazy
                    // A value that cannot be computed is not missing (the rules that read it report it).
                    .filter { (try? interpreter.derived(field, customer: $0, today: day))?.isMissing == true }.count
            }
        }
        return counts
    }
}
