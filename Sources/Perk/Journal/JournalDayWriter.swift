import Foundation

extension ActionPlan {
    /// Gives each sent coupon of the plan its code, in plan order (customer
    /// id, rule order, the rule's actions in order), each new to the journal.
    public mutating func issueCouponCodes(_ issuer: inout CouponCodeIssuer, program: CheckedProgram) {
        var ordinal = 0
        for i in entries.indices {
            let e = entries[i]
            if i == 0 || entries[i - 1].customer != e.customer || entries[i - 1].rule != e.rule { ordinal = 0 }
            guard e.action.coupon != nil else { continue }
            entries[i].couponCode = issuer.issue(rule: program.rules[e.rule].name, customerID: e.customerID, day: day, ordinal: ordinal)
            ordinal += 1
        }
    }
}

/// The file of one committed day (see `JournalFormat`): every decision of
/// the plan, whatever its status, one row per action, with the campaign and
/// the codes the plan's sent coupons were issued.
public struct JournalDayWriter {
    private var parts: DecisionRowParts
    /// Per rule: `campaign,` escaped, or just the comma.
    private let campaignParts: [[UInt8]]
    private let program: CheckedProgram

    public init(program: CheckedProgram) {
        self.program = program
        parts = DecisionRowParts(program: program)
        campaignParts = program.rules.map { rule in
            Array(CSVWriter.escape(rule.campaign.map { program.campaigns[$0].name } ?? "").utf8) + [UInt8(ascii: ",")]
        }
    }

    public mutating func contents(of plan: ActionPlan, customers: CustomerTable) -> [UInt8] {
        var out = Array(CSVWriter.line(JournalFormat.columns).utf8)
        out.reserveCapacity(plan.decisions.count * 96)
        let date = parts.date(plan.day)
        var entry = 0
        for d in plan.decisions {
            let id = CSVWriter.escape(customers.ids[d.customer])
            for part in parts.actions[d.rule] {
                out += date
                out += id.utf8
                out.append(UInt8(ascii: ","))
                out += part
                out += parts.statuses[d.status.index]
                out += [UInt8(ascii: ","), UInt8(ascii: ",")]
                out += campaignParts[d.rule]
                // Sent decisions' actions are the plan's entries, in the same order.
                if d.status == .sent, !program.rules[d.rule].actions.isEmpty {
                    if let code = plan.entries[entry].couponCode { out += code.description.utf8 }
                    entry += 1
                }
                out.append(UInt8(ascii: "\n"))
            }
        }
        return out
    }
}

extension ActionPlan {
    /// The plan for a day after the journal's days: their decisions count
    /// for limits, cooldowns, budgets and contact policies, as the simulator's
    /// own earlier days do, and each sent coupon gets a code new to the journal.
    public static func make(program: CheckedProgram, interpreter: Interpreter, day: LocalDate, journal: JournalHistory,
                            workers: Int = ProcessInfo.processInfo.activeProcessorCount, matches: MatchFile? = nil) throws(RuntimeFailure) -> ActionPlan {
        var engine = DecisionEngine(program: program, customers: interpreter.customers.count)
        try journal.seed(&engine, program: program, before: day)
        var plan = try make(program: program, interpreter: interpreter, day: day, engine: engine, workers: workers, matches: matches)
        var issuer = CouponCodeIssuer(taken: journal.codes)
        plan.issueCouponCodes(&issuer, program: program)
        return plan
    }
}

extension JournalFolder {
    /// Records a plan's day, all or nothing (see `commit(_:contents:)`).
    public func commit(_ plan: ActionPlan, program: CheckedProgram, customers: CustomerTable) throws {
        var writer = JournalDayWriter(program: program)
        try commit(plan.day, contents: writer.contents(of: plan, customers: customers))
    }
}
