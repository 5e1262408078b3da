/// What the simulation's own actions have changed so far, and what they will
/// change on later days.
///
/// Decisions are made before a day's orders, from each customer's profile as of
/// the start of the day, so a sent decision's effects start the next day: a new
/// tier, awarded points, and the extra points a `multiply points` window earns on
/// each order (credited the day after that order). Tags are counted by the tally;
/// the language cannot read them, so they change no condition.
struct SimulationState {
    private enum Change {
        case tier(customer: Int, ordinal: Int32)
        /// Points a rule's action (index into its actions) earned the customer.
        case points(customer: Int, Number, rule: Int, action: Int)
    }

    private let program: CheckedProgram
    private let customers: CustomerTable
    private let orders: OrderTable
    /// The `tier` column, which `set tier` changes.
    private let tierSlot: Int?
    /// A number column named `points`, which awarded points add to.
    private let pointsSlot: Int?
    /// Changes by the day they take effect.
    private var due: [Int32: [Change]] = [:]
    /// Points credited to each customer so far.
    private var credited: [Int: Number] = [:]

    init(program: CheckedProgram, customers: CustomerTable, orders: OrderTable) {
        self.program = program
        self.customers = customers
        self.orders = orders
        tierSlot = program.schema.customerField("tier").flatMap { field in
            if case .enumeration = field.type { return field.slot }
            return nil
        }
        pointsSlot = program.schema.customerField("points").flatMap { $0.type == .number ? $0.slot : nil }
    }

    /// Applies the changes that take effect on `day`, in the order they were made
    /// (a later `set tier` the same day wins), and returns the customers whose
    /// columns changed. Points past the range of exact numbers stop the
    /// simulation, naming the rule that awarded them.
    mutating func applyChanges(dueOn day: LocalDate, to interpreter: inout Interpreter) throws(RuntimeFailure) -> [Int] {
        guard let changes = due.removeValue(forKey: day.day) else { return [] }
        var changed: [Int] = []
        for change in changes {
            switch change {
            case .tier(let customer, let ordinal):
                guard let slot = tierSlot else { continue }
                interpreter.setColumn(slot, customer: customer, to: .symbol(ordinal))
                changed.append(customer)
            case .points(let customer, let points, let r, let action):
                let base: Number
                if let slot = pointsSlot, case .number(let n) = customers.columns[slot].values[customer] { base = n } else { base = .zero }
                guard let total = credited[customer, default: .zero].adding(points), let column = base.adding(total) else {
                    let rule = program.rules[r]
                    throw RuntimeFailure(total: "member.points", rule: rule, action: rule.actions[action],
                                         customerID: customers.ids[customer], day: day)
                }
                credited[customer] = total
                guard let slot = pointsSlot else { continue }
                interpreter.setColumn(slot, customer: customer, to: .number(column))
                changed.append(customer)
            }
        }
        return changed
    }

    /// Schedules the effects of a sent decision's actions and returns the points
    /// they earn: awarded points, and the extra points of `multiply points` windows.
    mutating func schedule(_ rule: CheckedRule, _ r: Int, customer: Int, day: LocalDate) throws(TotalTooLarge) -> Number {
        var earned = Number.zero
        let nextDay = day.advanced(by: 1).day
        for (i, action) in rule.actions.enumerated() {
            switch action.kind {
            case .setTier(let ordinal, _):
                due[nextDay, default: []].append(.tier(customer: customer, ordinal: ordinal))
            case .awardPoints(let points):
                due[nextDay, default: []].append(.points(customer: customer, points, rule: r, action: i))
                earned = try add(earned, points, total: "the points the decision earns", action: i)
            case .multiplyPoints(let factor, let days):
                for row in orders.rows(of: customer, from: day.day, to: RedemptionEstimator.end(day, days: days)) {
                    guard let extra = SimulationState.extraPoints(factor: factor, orderAmount: orders.amount[row]) else {
                        throw TotalTooLarge(total: "the extra points on an order of \(orders.amount[row])", action: i)
                    }
                    guard !extra.isZero else { continue }
                    due[orders.date[row] + 1, default: []].append(.points(customer: customer, extra, rule: r, action: i))
                    earned = try add(earned, extra, total: "the points the decision earns", action: i)
                }
            case .coupon, .message, .tag, .notifyStaff:
                break
            }
        }
        return earned
    }

    /// An order earns one point per whole currency unit; a window multiplying
    /// points by `factor` adds `(factor − 1) ×` that, rounded down to whole points.
    /// Each window counts on its own, so two overlapping windows both add.
    /// Nil past the range of exact numbers.
    static func extraPoints(factor: Number, orderAmount: Number) -> Number? {
        let base = Number(orderAmount.floor)
        guard let extra = factor.subtracting(.one)?.multiplying(base) else { return nil }
        guard !extra.isNegative else { return .zero }
        return Number(extra.floor)
    }
}
