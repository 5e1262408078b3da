import Foundation

/// Who gets what on one day: the result of `perk run`.
public struct ActionPlan: Sendable {
    public struct Entry: Sendable {
        public var customerID: String
        public var customer: Int
        public var rule: Int
        public var action: CheckedAction
        /// A sent coupon's code, once the journal has issued it.
        public var couponCode: CouponCode?
    }

    public var day: LocalDate
    /// One entry per action of each sent decision, by customer id, then rule order.
    public var entries: [Entry]
    /// Every decision of the day, whatever its status, in the order made.
    public var decisions: [Decision]
    /// How many decisions ended in each status.
    public var statusCounts: [DecisionStatus: Int]
    /// Campaigns whose dates do not include the day; their rules did not run.
    public var inactiveCampaigns: [Int]
    public var customersEvaluated: Int

    /// Evaluates every active rule for every customer on `day`: the
    /// conditions on every core, by ranges of customers, then the decisions
    /// (whose budgets depend on the order) one customer at a time, in order.
    /// `engine` carries what earlier days decided, as the journal remembers it;
    /// by default there is no history. A value that cannot be computed
    /// stops the plan: no plan is better than one built on a wrong number.
    /// With `given` matches (a warehouse found them, `perk sql`), no condition is evaluated.
    public static func make(program: CheckedProgram, interpreter: Interpreter, day: LocalDate, engine: DecisionEngine? = nil,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount, matches given: MatchFile? = nil) throws(RuntimeFailure) -> ActionPlan {
        var engine = engine ?? DecisionEngine(program: program, customers: interpreter.customers.count)
        return try make(program: program, interpreter: interpreter, day: day, continuing: &engine, workers: workers, matches: given)
    }

    /// `make`, leaving in `engine` what the day decided, so the next day can
    /// follow on (a test of several days decides them as daily runs would).
    public static func make(program: CheckedProgram, interpreter: Interpreter, day: LocalDate, continuing engine: inout DecisionEngine,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount,
                            matches given: MatchFile? = nil) throws(RuntimeFailure) -> ActionPlan {
        let rules = engine.activeRules(on: day)
        let matches: [Match]
        if let given {
            matches = given.matches
        } else {
            do {
                matches = try CustomerRanges.matches(of: rules, rules.map { program.rules[$0].condition }, on: day,
                                                     interpreter: interpreter, workers: workers)
            } catch {
                throw error.failure(in: program, customers: interpreter.customers, day: day)
            }
        }
        var entries: [Entry] = []
        var decisions: [Decision] = []
        var counts: [DecisionStatus: Int] = [:]
        var next = 0
        while next < matches.count {
            let customer = Int(matches[next].customer)
            var matched: [Int] = []
            while next < matches.count, matches[next].customer == customer {
                matched.append(Int(matches[next].rule))
                next += 1
            }
            for d in try engine.decide(customer: customer, day: day, matched: matched, interpreter: interpreter) {
                decisions.append(d)
                counts[d.status, default: 0] += 1
                guard d.status == .sent else { continue }
                for action in program.rules[d.rule].actions {
                    entries.append(Entry(customerID: interpreter.customers.ids[customer], customer: customer, rule: d.rule, action: action, couponCode: nil))
                }
            }
        }
        let inactive = program.campaigns.indices.filter { !program.campaigns[$0].isActive(on: day) }
        return ActionPlan(day: day, entries: entries, decisions: decisions, statusCounts: counts, inactiveCampaigns: inactive,
                          customersEvaluated: interpreter.customers.count)
    }
}

extension CheckedAction {
    /// The action's name in plans and ledgers.
    public var name: String {
        switch kind {
        case .coupon: return "coupon"
        case .message: return "message"
        case .awardPoints: return "award_points"
        case .multiplyPoints: return "multiply_points"
        case .setTier: return "set_tier"
        case .tag: return "tag"
        case .notifyStaff: return "notify_staff"
        }
    }

    /// The action's value as a marketer wrote it: `20`, `15% max 10`,
    /// `FREE-TOPPING worth 6`, `50`, `2x for 7 days`, `GOLD`, `recovery`.
    public var valueText: String {
        switch kind {
        case .coupon(let c):
            switch c.value {
            case .amount(let n): return n.description
            case .percent(let p, let max): return "\(p)%" + (max.map { " max \($0)" } ?? "")
            case .named(let name, let worth): return "\(name) worth \(worth)"
            }
        case .message(let s), .tag(let s), .notifyStaff(let s): return s
        case .awardPoints(let n): return n.description
        case .multiplyPoints(let n, let days): return "\(n)x for \(days) day\(days == 1 ? "" : "s")"
        case .setTier(_, let name): return name
        }
    }
}
