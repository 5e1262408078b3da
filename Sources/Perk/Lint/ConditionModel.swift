/// Turns checked conditions into `Formula`s for reasoning, with every variable
/// named by its canonical text, so `lapsed` and `days_since_visit > 60` in two
/// rules are recognised as the same test.
enum ConditionModel {
    /// Atoms inside a define point at where the define is used (`at`), since the
    /// define itself may be in another file.
    static func formula(_ e: CheckedExpr, at use: SourceRange? = nil) -> Formula {
        let range = use ?? e.range
        switch e.node {
        case .constant(.bool(let b)): return .constant(b)
        case .define(_, let body): return formula(body, at: range)
        case .and(let a, let b): return .and([formula(a, at: use), formula(b, at: use)])
        case .or(let a, let b): return .or([formula(a, at: use), formula(b, at: use)])
        case .not(let x): return .not(formula(x, at: use))
        case .compare(let op, let a, let b):
            if let x = constant(a), let y = constant(b), let c = Interpreter.compare(x, y) {
                return .constant(holds(op, c))
            }
            if let bound = constant(b).flatMap({ bound($0, a.type, integral: isIntegral(a)) }) {
                return .atom(Atom(variable: text(a), test: .compare(op, bound), range: range))
            }
            if let bound = constant(a).flatMap({ bound($0, b.type, integral: isIntegral(b)) }) {
                return .atom(Atom(variable: text(b), test: .compare(Atom.flip(op), bound), range: range))
            }
        case .inList(let x, let items, let negated):
            let bounds = items.compactMap { constant($0).flatMap { bound($0, x.type, integral: isIntegral(x)) } }
            if bounds.count == items.count {
                let atoms = bounds.map { Formula.atom(Atom(variable: text(x), test: .compare(negated ? .ne : .eq, $0), range: range)) }
                return negated ? .and(atoms) : .or(atoms)
            }
        case .between(let x, let lo, let hi):
            if let l = constant(lo).flatMap({ bound($0, x.type, integral: isIntegral(x)) }),
               let h = constant(hi).flatMap({ bound($0, x.type, integral: isIntegral(x)) }) {
                return .and([.atom(Atom(variable: text(x), test: .compare(.ge, l), range: range)),
                             .atom(Atom(variable: text(x), test: .compare(.le, h), range: range))])
            }
        case .isMissing(let x, let negated):
            return .atom(Atom(variable: text(x) + " is missing", test: .opaque(positive: !negated), range: range))
        default:
            break
        }
        return .atom(Atom(variable: text(e), test: .opaque(positive: true), range: range))
    }

    static func holds(_ op: BinaryOp, _ c: Int) -> Bool {
        switch op {
        case .eq: return c == 0
        case .ne: return c != 0
        case .lt: return c < 0
        case .le: return c <= 0
        case .gt: return c > 0
        case .ge: return c >= 0
        default: return false
        }
    }

    static func constant(_ e: CheckedExpr) -> Value? {
        switch e.node {
        case .constant(let v): return v
        case .define(_, let body): return constant(body)
        default: return nil
        }
    }

    static func bound(_ v: Value, _ type: PerkType, integral: Bool) -> Bound? {
        switch v {
        case .number(let n): return .ordered(n, kind: .number, integral: integral)
        case .percent(let n): return .ordered(n, kind: .percent, integral: false)
        case .date(let d): return .ordered(Number(Int(d.day)), kind: .date, integral: true)
        case .symbol(let o):
            guard case .enumeration(let en) = type else { return nil }
            return .ordered(Number(Int(o)), kind: .enumeration(en), integral: true)
        case .text(let s): return .text(s)
        case .bool(let b): return .bool(b)
        default: return nil
        }
    }

    /// Variables that only take whole values, so `x > 3 and x < 4` is empty.
    static func isIntegral(_ e: CheckedExpr) -> Bool {
        switch e.node {
        case .derived(let f): return [.daysSinceVisit, .daysSinceFirstVisit, .visitCount].contains(f)
        case .aggregate(.count, _): return true
        case .builtin(let b, _): return [.day, .month, .year].contains(b)
        case .define(_, let body): return isIntegral(body)
        default: return e.type == .date
        }
    }

    /// Canonical text of an expression (see `CheckedExpr.canonicalText`).
    static func text(_ e: CheckedExpr) -> String { e.canonicalText }

    /// The variables a condition tests, for grouping rules that could overlap.
    static func variables(of atoms: [[Atom]]) -> Set<String> {
        Set(atoms.joined().map(\.variable))
    }
}
