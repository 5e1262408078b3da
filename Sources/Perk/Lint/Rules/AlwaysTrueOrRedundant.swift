/// P202: a condition that is always true (`member.tier >= MEMBER`), or a
/// comparison another one already implies (`x > 30 and x > 10`).
struct AlwaysTrueOrRedundant: LintRule {
    static let code = "P202"

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
        case .and(let parts): return parts.flatMap(conjuncts)
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

    private func reportRedundant(in groups: [[Atom]], rule r: Int, _ context: LintContext, into diagnostics: inout [Diagnostic]) {
        var reported = Set<Int>()
        for i in groups.indices {
            for j in groups.indices where j > i && groups[i][0].variable == groups[j][0].variable {
                // Two halves of one `between` are not redundant with each other.
                if groups[i][0].range == groups[j][0].range { continue }
                guard groups[i].allSatisfy({ if case .compare = $0.test { return true }; return false }),
                      groups[j].allSatisfy({ if case .compare = $0.test { return true }; return false }) else { continue }
                let (strong, weak): (Int, Int)
                if implies(groups[i], groups[j]) {
                    (strong, weak) = (i, j)
                } else if implies(groups[j], groups[i]) {
                    (strong, weak) = (j, i)
                } else { continue }
                guard reported.insert(weak).inserted else { continue }
                diagnostics.append(context.warning(
                    Self.code, "`\(describe(groups[weak]))` is redundant: `\(describe(groups[strong]))` already implies it",
                    rule: r, at: groups[weak][0].range, help: "remove it, or check whether the other comparison is the one you meant"))
            }
        }
    }
}
