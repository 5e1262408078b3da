/// The `--ledger` CSV of a simulation: one row per action of each decision (a
/// decision covers all of a rule's actions and has one status; a rule without
/// actions gets one row with none), in the order the decisions were made: by
/// date, then customer id, then rule order.
/// `action` and `value` are written as in `perk run`'s CSV; `redeemed_on` and
/// `cost` are filled for sent coupons the customer's orders would redeem.
///
/// A ledger can run to millions of rows, so each row is put together from
/// pieces escaped once: the rule and action part per action, the date per day.
public struct SimulationLedger {
    public static let header = ["date", "customer_id", "rule", "action", "value", "channel", "status", "redeemed_on", "cost"]

    private let customers: CustomerTable
    private var parts: DecisionRowParts

    public init(program: CheckedProgram, customers: CustomerTable) {
        self.customers = customers
        parts = DecisionRowParts(program: program)
    }

    public static var headerLine: String { CSVWriter.line(header) }

    /// Appends the CSV rows of one decision to `out`.
    public mutating func write(_ d: SimulatedDecision, to out: inout [UInt8]) {
        let date = parts.date(d.day)
        let id = CSVWriter.escape(customers.ids[d.customer])
        for (i, part) in parts.actions[d.rule].enumerated() {
            out += date
            out += id.utf8
            out.append(comma)
            out += part
            out += parts.statuses[d.status.index]
            if d.status == .sent, i < d.redemptions.count, let r = d.redemptions[i] {
                out += r.day.description.utf8
                out.append(comma)
                out += SimulationLedger.money(r.cost).utf8
            } else {
                out.append(comma)
            }
            out.append(newline)
        }
    }

    /// Money as an exact decimal with at least two places: `20.00`, `16.50`, `3.225`.
    static func money(_ n: Number) -> String {
        // Amounts and percentages are decimals, so their products are too.
        guard let exact = n.exactDecimal(maxScale: 18) else { return n.formatted(places: 6) }
        guard let dot = exact.firstIndex(of: ".") else { return exact + ".00" }
        let places = exact.distance(from: dot, to: exact.endIndex) - 1
        return places >= 2 ? exact : exact + String(repeating: "0", count: 2 - places)
    }

    /// The CSV rows of one decision, as text.
    public mutating func lines(for d: SimulatedDecision) -> String {
        var bytes: [UInt8] = []
        write(d, to: &bytes)
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// The parts of ledger and journal rows that depend only on the rule, the
/// status or the day, escaped once: a ledger can run to millions of rows.
struct DecisionRowParts {
    /// Per rule, per action: `rule,action,value,channel,`; a rule without
    /// actions has one part, `rule,,,,`, so its decisions still get a row.
    let actions: [[[UInt8]]]
    /// Per status: `status,`.
    let statuses: [[UInt8]]
    /// The date last asked for, with its comma.
    private var day: (LocalDate, [UInt8])?

    init(program: CheckedProgram) {
        actions = program.rules.map { rule in
            let rows = rule.actions.isEmpty ? [[rule.name, "", "", ""]]
                : rule.actions.map { [rule.name, $0.name, $0.valueText, $0.channel?.rawValue ?? ""] }
            return rows.map { Array($0.map(CSVWriter.escape).joined(separator: ",").utf8) + [comma] }
        }
        statuses = DecisionStatus.allCases.map { Array($0.rawValue.utf8) + [comma] }
    }

    /// `2025-06-12,`
    mutating func date(_ d: LocalDate) -> [UInt8] {
        if day?.0 != d { day = (d, Array(d.description.utf8) + [comma]) }
        return day?.1 ?? []
    }
}

private let comma = UInt8(ascii: ","), newline = UInt8(ascii: "\n")
