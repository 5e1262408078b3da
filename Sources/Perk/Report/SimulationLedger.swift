/// The `--ledger` CSV of a simulation: one row per action of each decision (a
/// decision covers all of a rule's actions and has one status), in the order
/// the decisions were made: by date, then customer id, then rule order.
/// `action` and `value` are written as in `perk run`'s CSV; `redeemed_on` and
/// `cost` are filled for sent coupons the customer's orders would redeem.
public struct SimulationLedger {
    public static let header = ["date", "customer_id", "rule", "action", "value", "channel", "status", "redeemed_on", "cost"]

    let program: CheckedProgram
    let customers: CustomerTable

    public init(program: CheckedProgram, customers: CustomerTable) {
        self.program = program
        self.customers = customers
    }

    public static var headerLine: String { CSVWriter.line(header) }

    /// The CSV lines of one decision.
    public func lines(for d: SimulatedDecision) -> String {
        let rule = program.rules[d.rule]
        let date = d.day.description, id = customers.ids[d.customer]
        var out = ""
        for (i, action) in rule.actions.enumerated() {
            var redeemedOn = "", cost = ""
            if d.status == .sent, i < d.redemptions.count, let r = d.redemptions[i] {
                redeemedOn = r.day.description
                cost = r.cost.formatted(places: 2)
            }
            out += CSVWriter.line([date, id, rule.name, action.name, action.valueText, action.channel?.rawValue ?? "",
                                   d.status.rawValue, redeemedOn, cost])
        }
        return out
    }
}
