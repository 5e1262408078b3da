/// Decides whether a conjunction of atoms can hold for some customer, and which
/// atoms conflict when it cannot.
///
/// Each variable's atoms narrow its possible values: an interval for ordered
/// values (exact fractions; whole numbers for enums, dates and counts), a
/// required and excluded set for equality. Reasoning is sound but incomplete:
/// when it says "cannot hold" it is right; it may miss some contradictions.
struct Satisfiability {
    struct Conflict {
        /// The atom that could not be added.
        var atom: Atom
        /// Atoms on the same variable it conflicts with.
        var with: [Atom]
    }

    /// Nil when the atoms can all hold; otherwise the first conflict found.
    static func conflict(in atoms: [Atom]) -> Conflict? {
        var domains: [String: Domain] = [:]
        var seen: [String: [Atom]] = [:]
        for atom in atoms {
            // In place: a copy of the domain per atom would be quadratic in long lists.
            domains[atom.variable, default: Domain()].add(atom.test)
            if domains[atom.variable]?.isEmpty ?? false { return Conflict(atom: atom, with: seen[atom.variable] ?? []) }
            seen[atom.variable, default: []].append(atom)
        }
        return nil
    }

    static func holds(_ atoms: [Atom]) -> Bool { conflict(in: atoms) == nil }

    /// True when `a` alone already guarantees `b` (same variable).
    static func implies(_ a: Atom, _ b: Atom) -> Bool {
        a.variable == b.variable && !holds([a, b.negated()])
    }
}

/// The values one variable may still take.
private struct Domain {
    var low: (Number, inclusive: Bool)?
    var high: (Number, inclusive: Bool)?
    var integral = false
    // Sets: `x not in [...]` can exclude thirty thousand values.
    var excluded: Set<Number> = []
    var equalTo: Bound?
    var notEqual: Set<Bound> = []
    var opaque: Bool?
    var contradicted = false

    var isEmpty: Bool {
        if contradicted { return true }
        if let l = low, let h = high {
            if h.0 < l.0 { return true }
            if l.0 == h.0 {
                if !(l.inclusive && h.inclusive) { return true }
                if excluded.contains(l.0) { return true }
            }
            if integral, let lo = ceilingInside(l), let hi = floorInside(h) {
                if lo > hi { return true }
                // A small whole range with every value excluded, like x > 1 and x < 4 and x != 2 and x != 3.
                if let span = hi.subtracting(lo), span < Number(16) {
                    var v = lo
                    while !(hi < v) {
                        if !excluded.contains(v) { return false }
                        guard let next = v.adding(.one) else { return false }
                        v = next
                    }
                    return true
                }
            }
        }
        return false
    }

    mutating func add(_ test: Atom.Test) {
        switch test {
        case .opaque(let positive):
            if let o = opaque, o != positive { contradicted = true }
            opaque = positive
        case .compare(let op, let bound):
            switch bound {
            case .ordered(let n, let kind, let isIntegral):
                integral = integral || isIntegral
                // An enum has a first and a last value: nothing is above VIP.
                if case .enumeration(let e) = kind {
                    tightenLow(.zero, true)
                    tightenHigh(Number(e.cases.count - 1), true)
                }
                switch op {
                case .eq: tightenLow(n, true); tightenHigh(n, true)
                case .ne: excluded.insert(n)
                case .lt: tightenHigh(n, false)
                case .le: tightenHigh(n, true)
                case .gt: tightenLow(n, false)
                case .ge: tightenLow(n, true)
                default: break
                }
            case .text, .bool:
                switch op {
                case .eq:
                    if let e = equalTo, e != bound { contradicted = true }
                    if notEqual.contains(bound) { contradicted = true }
                    equalTo = bound
                case .ne:
                    if equalTo == bound { contradicted = true }
                    notEqual.insert(bound)
                    // A boolean that is neither true nor false has no value left.
                    if notEqual.contains(.bool(true)), notEqual.contains(.bool(false)) { contradicted = true }
                default: break
                }
            }
        }
    }

    private mutating func tightenLow(_ n: Number, _ inclusive: Bool) {
        if let l = low, l.0 > n || (l.0 == n && !l.inclusive) { return }
        low = (n, inclusive)
    }

    private mutating func tightenHigh(_ n: Number, _ inclusive: Bool) {
        if let h = high, h.0 < n || (h.0 == n && !h.inclusive) { return }
        high = (n, inclusive)
    }

    /// The smallest whole number the low bound allows.
    private func ceilingInside(_ l: (Number, inclusive: Bool)) -> Number? {
        let f = Number(l.0.floor)
        if f == l.0 { return l.inclusive ? f : f.adding(.one) }
        return f.adding(.one)
    }

    /// The largest whole number the high bound allows.
    private func floorInside(_ h: (Number, inclusive: Bool)) -> Number? {
        let f = Number(h.0.floor)
        if f == h.0 { return h.inclusive ? f : f.subtracting(.one) }
        return f
    }
}
