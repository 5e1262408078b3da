/// Conditions as the linter reasons about them: propositional formulas over
/// atoms like `days_since_visit > 30`. Fields are compared as if present —
/// missing values are a separate warning — so `not (x > 30)` becomes `x <= 30`.
indirect enum Formula {
    case atom(Atom)
    case and([Formula])
    case or([Formula])
    case not(Formula)
    case constant(Bool)
}

/// One comparison of a variable with a constant, or an opaque test the
/// linter cannot look inside (`birthday in next 3 days`), kept whole so that
/// `a and not a` is still seen as a contradiction.
struct Atom {
    enum Test {
        case compare(BinaryOp, Bound)
        /// True when `positive`; a test with no inner structure.
        case opaque(positive: Bool)
    }

    /// Canonical text of the variable, such as `member.tier` or
    /// `count(orders in last 30 days)`; equal texts are the same variable.
    var variable: String
    var test: Test
    /// Where the atom was written, for pointing at it.
    var range: SourceRange

    func negated() -> Atom {
        var a = self
        switch test {
        case .compare(let op, let b): a.test = .compare(Atom.negate(op), b)
        case .opaque(let p): a.test = .opaque(positive: !p)
        }
        return a
    }

    static func negate(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .eq: return .ne
        case .ne: return .eq
        case .lt: return .ge
        case .le: return .gt
        case .gt: return .le
        case .ge: return .lt
        default: return op
        }
    }

    static func flip(_ op: BinaryOp) -> BinaryOp {
        switch op {
        case .lt: return .gt
        case .le: return .ge
        case .gt: return .lt
        case .ge: return .le
        default: return op
        }
    }
}

/// A constant a variable is compared with, in a form that orders: numbers as
/// exact fractions, dates as day numbers, enum values as ordinals. Text and
/// booleans only compare for equality.
enum Bound: Hashable {
    case ordered(Number, kind: Kind, integral: Bool)
    case text(String)
    case bool(Bool)

    enum Kind: Hashable { case number, percent, date, enumeration(EnumType) }
}

extension Formula {
    /// Negation normal form: `not` only on atoms, pushed in by De Morgan.
    func nnf(negated: Bool = false) -> Formula {
        switch self {
        case .atom(let a): return .atom(negated ? a.negated() : a)
        case .constant(let b): return .constant(b != negated)
        case .not(let f): return f.nnf(negated: !negated)
        case .and(let fs):
            let parts = fs.map { $0.nnf(negated: negated) }
            return negated ? .or(parts) : .and(parts)
        case .or(let fs):
            let parts = fs.map { $0.nnf(negated: negated) }
            return negated ? .and(parts) : .or(parts)
        }
    }

    /// Disjunctive normal form of an NNF formula: a list of conjunctions of atoms.
    /// Nil when it would exceed `limit` conjunctions; the linter then stays quiet
    /// rather than spend unbounded time.
    func dnf(limit: Int = 64) -> [[Atom]]? {
        switch self {
        case .atom(let a): return [[a]]
        case .constant(let b): return b ? [[]] : []
        case .not(let f): return f.nnf(negated: true).dnf(limit: limit)
        case .or(let fs):
            var out: [[Atom]] = []
            for f in fs {
                guard let d = f.dnf(limit: limit) else { return nil }
                out += d
                if out.count > limit { return nil }
            }
            return out
        case .and(let fs):
            var out: [[Atom]] = [[]]
            for f in fs {
                guard let d = f.dnf(limit: limit) else { return nil }
                if d.count == 1 {
                    // One conjunction (an atom, most often): extend in place, so a
                    // long `and` chain stays linear.
                    for i in out.indices { out[i] += d[0] }
                    continue
                }
                var next: [[Atom]] = []
                for left in out {
                    for right in d { next.append(left + right) }
                    if next.count > limit { return nil }
                }
                out = next
            }
            return out
        }
    }
}
