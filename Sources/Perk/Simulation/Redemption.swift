/// A coupon the customer's real orders would have redeemed.
public struct Redemption: Sendable, Equatable {
    /// The day of the redeeming order.
    public var day: LocalDate
    /// The order's row in `OrderTable`.
    public var order: Int
    /// The amount off that order, exact (a percentage can give fractions of a cent).
    public var cost: Number
}

/// Estimates what coupons would have cost from the orders that really happened:
/// a coupon sent on day `d`, valid `V` days, is redeemed by the customer's first
/// order dated `d` through `d+V-1` whose amount meets the coupon's `min spend`.
/// The customer would have come back anyway (the history is fixed), so this is
/// the cost if every returning customer had used their coupon.
struct RedemptionEstimator {
    let orders: OrderTable

    /// How long after a decision without a coupon a visit counts as a return:
    /// as long as a coupon is valid by default.
    static let returnWindowDays = Coupon.defaultValidDays

    /// Nil when no order redeems it; an error when its cost on the order that
    /// does is past the range of exact numbers.
    func redemption(of coupon: Coupon, customer: Int, sentOn day: LocalDate) throws(TotalTooLarge) -> Redemption? {
        for row in orders.rows(of: customer, from: day.day, to: RedemptionEstimator.end(day, days: coupon.validDays)) {
            let amount = orders.amount[row]
            if let minSpend = coupon.minSpend, amount < minSpend { continue }
            guard let cost = RedemptionEstimator.amountOff(coupon, orderAmount: amount) else {
                throw TotalTooLarge(total: "the amount the coupon takes off an order of \(amount)")
            }
            return Redemption(day: LocalDate(day: orders.date[row]), order: row, cost: cost)
        }
        return nil
    }

    /// The redemption of each of the rule's actions that is a coupon, nil for the rest.
    func redemptions(of rule: CheckedRule, customer: Int, sentOn day: LocalDate) throws(TotalTooLarge) -> [Redemption?] {
        var out: [Redemption?] = []
        for (i, action) in rule.actions.enumerated() {
            guard let coupon = action.coupon else {
                out.append(nil)
                continue
            }
            do throws(TotalTooLarge) { out.append(try redemption(of: coupon, customer: customer, sentOn: day)) } catch {
                throw TotalTooLarge(total: error.total, action: i)
            }
        }
        return out
    }

    /// Whether the customer came back after a decision: one of its coupons would be
    /// redeemed, or, for a rule without coupons, the customer ordered within 14 days.
    /// Treated and held-out customers are measured the same way, so their rates compare.
    func returned(_ rule: CheckedRule, customer: Int, day: LocalDate, redemptions: [Redemption?]) -> Bool {
        guard rule.sendsCoupon else {
            let end = RedemptionEstimator.end(day, days: RedemptionEstimator.returnWindowDays)
            return !orders.rows(of: customer, from: day.day, to: end).isEmpty
        }
        return redemptions.contains { $0 != nil }
    }

    /// What the coupon takes off an order: its amount or worth, or the percentage
    /// capped by `max`; never more than the order. Exact, like all money in Perk:
    /// reports round it only to display it. Nil when a percentage of the order
    /// is past the range of exact numbers (an amount with many decimals).
    static func amountOff(_ coupon: Coupon, orderAmount: Number) -> Number? {
        let off: Number
        switch coupon.value {
        case .amount(let n):
            off = n
        case .named(_, let worth):
            off = worth
        case .percent(let percent, let max):
            guard let share = orderAmount.percent(percent) else { return nil }
            off = max.map { Number.min(share, $0) } ?? share
        }
        return Number.min(off, orderAmount)
    }

    /// The first day after a window of `days` days starting on `day`.
    static func end(_ day: LocalDate, days: Int) -> Int32 {
        Int32(clamping: Int(day.day) + days)
    }
}
