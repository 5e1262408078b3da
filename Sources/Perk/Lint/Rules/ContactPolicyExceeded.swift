/// P213, with data (the user's, or the sample shop): a contact policy that some
/// customers outgrow on the lint day, because more of the active rules would
/// contact them than the policy allows. The rules after the allowance is used
/// up are stopped (`skipped_contact_cap`), which may be intended, but often is
/// a surprise: the rule that matters most may be the one that never reaches them.
///
/// The day is decided as `perk run` decides it, with a fresh engine (no
/// contacts of earlier days), so consent, exclusivity, holdouts and budgets
/// count as they would: only the contacts the policy really stops are reported.
struct ContactPolicyExceeded: LintRule {
    static let code = LintCode.contactPolicyExceeded

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        let program = context.program
        // It decides the day as `perk run` would: with rules missing (they have
        // errors), the decisions would be wrong, so it waits for the errors' fixes.
        guard !context.isPartial, !program.contactPolicies.isEmpty, let data = context.population, let day = context.populationDay,
              data.customers.count > 0 else { return }
        let interpreter = context.interpreter ?? Interpreter(customers: data.customers, orders: data.orders)
        var engine = DecisionEngine(program: program, customers: data.customers.count)
        let active = engine.activeRules(on: day)
        // The linter evaluated the conditions already when the user named the data
        // (and reported what it could not compute); on the sample shop it is done here.
        var failures: [RuntimeFailure] = []
        let matched = context.matched ?? program.rules.indices.map { r in
            guard active.contains(r) else { return [] }
            return (0..<data.customers.count).map { c in
                do throws(EvaluationError) { return try interpreter.holds(program.rules[r].condition, customer: c, today: day) } catch {
                    if failures.count == 0 { failures.append(program.failure(error, rule: r, customer: c, customers: data.customers, day: day)) }
                    return false
                }
            }
        }
        diagnostics += failures.map(\.diagnostic)
        var found = Array(repeating: Overrun(), count: program.contactPolicies.count)
        for c in 0..<data.customers.count {
            let rules = active.filter { matched[$0][c] }
            guard !rules.isEmpty else { continue }
            let decisions: [Decision]
            do throws(RuntimeFailure) { decisions = try engine.decide(customer: c, day: day, matched: rules, interpreter: interpreter) } catch {
                // The day cannot be decided past this customer, so nothing can be said of the policies.
                diagnostics.append(error.diagnostic)
                return
            }
            for (p, policy) in program.contactPolicies.enumerated() {
                let stopped = decisions.filter { $0.contactPolicy == p }.map(\.rule)
                guard !stopped.isEmpty else { continue }
                let contacted = decisions.filter { $0.status == .sent && policy.covers(program.rules[$0.rule]) }.map(\.rule)
                found[p].add(customer: c, contacted: contacted, stopped: stopped)
            }
        }
        for (p, overrun) in found.enumerated() where overrun.customers > 0 {
            diagnostics.append(warning(program.contactPolicies[p], overrun, day: day, context: context))
        }
    }

    /// What one policy stopped on the day: how many customers, how many rules
    /// they matched, and the first customer as an example.
    private struct Overrun {
        var customers = 0
        var fewestRules = Int.max
        var mostRules = 0
        var example: (customer: Int, contacted: [Int], stopped: [Int])?

        mutating func add(customer c: Int, contacted: [Int], stopped: [Int]) {
            customers += 1
            let n = contacted.count + stopped.count
            fewestRules = min(fewestRules, n)
            mostRules = max(mostRules, n)
            if example == nil { example = (c, contacted, stopped) }
        }
    }

    // MARK: Messages

    private func warning(_ policy: ContactPolicy, _ overrun: Overrun, day: LocalDate, context: LintContext) -> Diagnostic {
        let program = context.program
        let via = policy.channel.map { " via \($0.rawValue)" } ?? ""
        let rules = overrun.fewestRules == overrun.mostRules ? "\(overrun.mostRules) rules" : "up to \(overrun.mostRules) rules"
        let who = overrun.customers == 1 ? "1 customer matches" : "\(Figures.count(overrun.customers)) customers match"
        let allowance = "\(policy.count) contact\(policy.count == 1 ? "" : "s")"
        var notes: [String] = []
        if let e = overrun.example {
            let names = (e.contacted + e.stopped).map { "\"\(program.rules[$0].name)\"" }
            let stopped = e.stopped.map { "\"\(program.rules[$0].name)\"" }
            notes.append("e.g. \(context.describe(customer: e.customer)) matches \(Self.list(names)), which would contact them\(via): "
                         + "\(Self.list(stopped)) \(stopped.count == 1 ? "is" : "are") stopped (skipped_contact_cap)")
        }
        return .warning(Self.code, "on \(day), \(who) \(rules) that would contact them\(via), more than the \(allowance) "
                            + "this policy allows every \(policy.period)",
                        in: policy.file, policy.range,
                        help: "if every rule should reach them, allow more contacts; otherwise give the rule that matters most the higher `priority`: it contacts them first",
                        notes: notes)
    }

    /// `"A"`, `"A" and "B"`, `"A", "B" and "C"`.
    private static func list(_ items: [String]) -> String {
        items.count > 1 ? items.dropLast().joined(separator: ", ") + " and " + items[items.count - 1] : items.first ?? ""
    }
}
