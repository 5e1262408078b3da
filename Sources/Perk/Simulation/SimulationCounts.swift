/// One decision of a simulation: a rule whose condition held for a customer on
/// a day, the status its checks gave, and what the real orders say came of it.
public struct SimulatedDecision: Sendable {
    public var day: LocalDate
    public var customer: Int
    /// Index into `CheckedProgram.rules`.
    public var rule: Int
    public var status: DecisionStatus
    /// One entry per action of the rule: for a coupon of a sent or held-out
    /// decision, its redemption estimate if the customer's orders redeem it.
    public var redemptions: [Redemption?]
    /// Sent and held-out decisions: whether the customer came back (a coupon would
    /// be redeemed, or, without coupons, an order within 14 days).
    public var returned: Bool
    /// Sent decisions: points awarded and extra points from multiply windows.
    public var pointsEarned: Number
}

/// How many decisions, or distinct customers, ended in each status.
public struct StatusCounts: Sendable, Equatable {
    private var counts = Array(repeating: 0, count: DecisionStatus.allCases.count)

    public init() {}

    public subscript(status: DecisionStatus) -> Int {
        get { counts[status.index] }
        set { counts[status.index] = newValue }
    }

    public var total: Int { counts.reduce(0, +) }
}

extension DecisionStatus {
    /// Position in `allCases`: the order the checks run in, but for the budget, checked before the holdout.
    var index: Int {
        switch self {
        case .skippedLimit: return 0
        case .skippedCooldown: return 1
        case .skippedConsent: return 2
        case .skippedContactCap: return 3
        case .skippedExclusive: return 4
        case .heldOut: return 5
        case .skippedBudget: return 6
        case .sent: return 7
        }
    }
}

/// A total the simulation keeps (face value, cost, points) that went past the
/// range of exact numbers: what it is, and which of the rule's actions added to
/// it. The result names the rule, customer and day, and the command stops.
struct TotalTooLarge: Error {
    var total: String
    /// Index into the rule's actions.
    var action: Int?
}

/// Adds `b` to `a`, or throws that `total` went past the range of exact numbers.
func add(_ a: Number, _ b: Number, total: String, action: Int? = nil) throws(TotalTooLarge) -> Number {
    guard let sum = a.adding(b) else { throw TotalTooLarge(total: total, action: action) }
    return sum
}

/// Coupons sent and what they would cost.
public struct CouponTotals: Sendable, Equatable {
    public var issued = 0
    /// Face value of the coupons sent (what budgets count).
    public var faceValue = Number.zero
    /// Coupons the customers' real orders would have redeemed.
    public var redeemed = 0
    /// The amount those orders would have been given off, exact.
    public var cost = Number.zero

    public init() {}

    mutating func add(_ rule: CheckedRule, redemptions: [Redemption?]) throws(TotalTooLarge) {
        for (i, action) in rule.actions.enumerated() {
            guard let coupon = action.coupon else { continue }
            issued += 1
            faceValue = try Perk.add(faceValue, coupon.faceValue, total: "the face value of the coupons sent", action: i)
            if i < redemptions.count, let r = redemptions[i] {
                redeemed += 1
                cost = try Perk.add(cost, r.cost, total: "the estimated cost of the coupons redeemed", action: i)
            }
        }
    }
}

/// How many decisions were followed by the customer coming back.
public struct ReturnCount: Sendable, Equatable {
    public var decisions = 0
    public var returned = 0

    public init() {}

    /// returned / decisions, exact; nil with no decisions.
    public var rate: Number? {
        decisions > 0 ? Number(returned).dividing(by: Number(decisions)) : nil
    }

    mutating func add(_ returned: Bool) {
        decisions += 1
        if returned { self.returned += 1 }
    }
}

/// The treated group against the control group. Nobody was really contacted, so
/// both rates are organic: what customers did anyway.
public struct GroupReturns: Sendable, Equatable {
    /// Sent decisions.
    public var targeted = ReturnCount()
    /// Held-out decisions, measured the same way.
    public var heldOut = ReturnCount()

    public init() {}

    mutating func add(_ d: SimulatedDecision) {
        switch d.status {
        case .sent: targeted.add(d.returned)
        case .heldOut: heldOut.add(d.returned)
        default: break
        }
    }
}
