/// P202: a condition that is always true (`member.tier >= MEMBER`), or a
/// comparison another one already implies (`x > 30 and x > 10`).
struct AlwaysTrueOrRedundant: LintRule {
    static let code = LintCode.alwaysTrueOrRedundant

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for r in context.program.rules.indices {
            let formula = context.formulas[r]
            if case .constant = formula { continue } // no `when`: meant for everyone
            if let negation = context.negations[r], !negation.isEmpty, negation.allSatisfy({ !Satisfiability.holds($0) }) {
                diagnostics.append(context.warning(Self.code, "this condition is always true for customers who have these fields", rule: r,
                                                   at: context.conditionRange(r),
                                                   help: "if the rule is meant for everyone, leave out `when`; otherwise check the comparison"))
                continue
            }
            reportRedundant(in: conjuncts(formula.nnf()), rule: r, context, into: &diagnostics)
        }
    }

    /// The tests joined by the condition's top-level `and`s, each a list of
    /// alternatives on one variable (`x in [GOLD, VIP]` is two).
    private func conjuncts(_ f: Formula) -> [[Atom]] {
        switch f {
        case .atom(let a): return [[a]]
        case .and(let parts):
            // The exclusions of one `not in [...]` are one test, not one each.
            if parts.count > 2, case .atom(let first)? = parts.first,
               parts.allSatisfy({ if case .atom(let a) = $0 { return a.range == first.range }; return false }) { return [] }
            return parts.flatMap(conjuncts)
        case .or(let parts):
            let atoms = parts.compactMap { p -> Atom? in
                if case .atom(let a) = p { return a }
                return nil
            }
            guard atoms.count == parts.count, let v = atoms.first?.variable, atoms.allSatisfy({ $0.variable == v }) else { return [] }
            return [atoms]
        default: return []
        }
    }

    /// True when every alternative of `a` guarantees some alternative of `b`.
    private func implies(_ a: [Atom], _ b: [Atom]) -> Bool {
        a.allSatisfy { x in b.contains { Satisfiability.implies(x, $0) } }
    }

    private func describe(_ group: [Atom]) -> String {
        guard group.count > 1, let first = group.first else { return group.first?.description ?? "" }
        let values = group.compactMap { a -> String? in
            if case .compare(.eq, let b) = a.test { return b.description }
            return nil
        }
        return values.count == group.count ? "\(first.variable) in [\(values.joined(separator: ", "))]"
            : group.map(\.description).joined(separator: " or ")
    }

    /// Comparing every pair of tests on a variable is quadratic; past this
    /// many tests on one variable, each is compared with the strongest few.
    static let pairwiseLimit = 32

    private func reportRedundant(in groups: [[Atom]], rule r: Int, _ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let comparisons = groups.indices.filter { i in groups[i].allSatisfy { if case .compare = $0.test { return true }; return false } }
        var byVariable: [String: [Int]] = [:]
        for i in comparisons { byVariable[groups[i][0].variable, default: []].append(i) }
        var found: [(weak: Int, strong: Int)] = []
        for tests in byVariable.values {
            found += tests.count <= Self.pairwiseLimit ? pairwise(tests, groups) : againstTheStrongest(tests, groups)
        }
        for (weak, strong) in found.sorted(by: { $0.weak < $1.weak }) {
            diagnostics.append(context.warning(
                Self.code, "`\(describe(groups[weak]))` is redundant: `\(describe(groups[strong]))` already implies it",
                rule: r, at: groups[weak][0].range, help: "remove it, or check whether the other comparison is the one you meant"))
        }
    }

    /// Every pair, in the order written; each redundant test once, with the first test found to imply it.
    private func pairwise(_ tests: [Int], _ groups: [[Atom]]) -> [(weak: Int, strong: Int)] {
        var found: [(weak: Int, strong: Int)] = []
        var reported = Set<Int>()
        for (k, i) in tests.enumerated() {
            for j in tests[(k + 1)...] {
                // Two halves of one `between` are not redundant with each other.
                if groups[i][0].range == groups[j][0].range { continue }
                let (strong, weak): (Int, Int)
                if implies(groups[i], groups[j]) {
                    (strong, weak) = (i, j)
                } else if implies(groups[j], groups[i]) {
                    (strong, weak) = (j, i)
                } else { continue }
                if reported.insert(weak).inserted { found.append((weak, strong)) }
            }
        }
        return found
    }

    /// Many tests on one variable (a generated chain): each is compared with
    /// the tests that can imply the most, the tightest lower and upper bounds
    /// and the equalities, so the work grows with the tests, not their pairs.
    private func againstTheStrongest(_ tests: [Int], _ groups: [[Atom]]) -> [(weak: Int, strong: Int)] {
        var candidates: [Int] = []
        for i in tests where groups[i].count == 1 {
            guard case .compare(let op, _) = groups[i][0].test else { continue }
            if op == .eq { candidates.append(i); continue }
            let side: [BinaryOp] = op == .gt || op == .ge ? [.gt, .ge] : [.lt, .le]
            // Keep the one that implies the others of its side.
            if let k = candidates.firstIndex(where: { c in
                if case .compare(let o, _) = groups[c][0].test { return side.contains(o) }
                return false
            }) {
                if implies(groups[i], groups[candidates[k]]) { candidates[k] = i }
            } else {
                candidates.append(i)
            }
        }
        var found: [(weak: Int, strong: Int)] = []
        for i in tests {
            if let strong = candidates.first(where: { $0 != i && groups[$0][0].range != groups[i][0].range && implies(groups[$0], groups[i]) }) {
                found.append((i, strong))
            }
        }
        return found
    }
}
