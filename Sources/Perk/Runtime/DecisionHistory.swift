/// For each rule with a `limit` or a cooldown, what its limit and cooldown
/// checks need to know of each customer: how many decisions counted, and the
/// days of the latest few (as many as the cooldown allows in its period).
///
/// A simulation asks this for every matched rule of every customer on every
/// day, so it is kept in arrays indexed by customer, made for a rule the first
/// time one of its decisions counts; rules without limits keep nothing.
struct DecisionHistory: Sendable {
    private let counted: [Bool]
    /// Per rule: decisions counted per customer; empty until the rule's first.
    private var counts: [[Int32]]
    /// Per rule: the latest decisions' days, as many as its cooldown's count.
    private var latest: LatestDays

    init(rules: [CheckedRule]) {
        counted = rules.map { $0.lifetimeLimit != nil }
        counts = Array(repeating: [], count: rules.count)
        latest = LatestDays(keep: rules.map { $0.cooldown?.count ?? 0 })
    }

    func count(rule r: Int, customer: Int) -> Int {
        counts[r].isEmpty ? 0 : Int(counts[r][customer])
    }

    /// The day of the cooldown's count-th latest decision, or nil if there were fewer.
    func oldestKept(rule r: Int, customer: Int) -> Int32? {
        latest.oldestKept(r, customer: customer)
    }

    /// Records a decision that counts, made on `day` (days only move forward).
    mutating func record(rule r: Int, customer: Int, day: Int32, customers: Int) {
        if counted[r] {
            if counts[r].isEmpty { counts[r] = Array(repeating: 0, count: customers) }
            counts[r][customer] += 1
        }
        latest.record(r, customer: customer, day: day, customers: customers)
    }
}

/// For each of a few keys (a rule's cooldown, a contact policy), the days of
/// each customer's latest events, as many as the key keeps, oldest first:
/// all a check of "at most N in any period" needs, since it is full when the
/// oldest of the latest N still falls within the period.
///
/// Kept in arrays indexed by customer, made for a key at its first event, so
/// a key that keeps nothing, or has no events, costs nothing.
struct LatestDays: Sendable {
    /// Per key: how many latest days to keep; 0 keeps none.
    private let keep: [Int]
    /// Per key: the latest days per customer, oldest first; empty until its first event.
    private var latest: [[[Int32]]]

    init(keep: [Int]) {
        self.keep = keep
        latest = Array(repeating: [], count: keep.count)
    }

    /// The kept days of a customer under key `k`, oldest first.
    func days(_ k: Int, customer: Int) -> [Int32] {
        latest[k].isEmpty ? [] : latest[k][customer]
    }

    /// The day of the `keep`-th latest event, or nil if there were fewer.
    func oldestKept(_ k: Int, customer: Int) -> Int32? {
        guard !latest[k].isEmpty, latest[k][customer].count == keep[k] else { return nil }
        return latest[k][customer].first
    }

    /// Records an event on `day` (days only move forward).
    mutating func record(_ k: Int, customer: Int, day: Int32, customers: Int) {
        guard keep[k] > 0 else { return }
        if latest[k].isEmpty { latest[k] = Array(repeating: [], count: customers) }
        if latest[k][customer].count == keep[k] { latest[k][customer].removeFirst() }
        latest[k][customer].append(day)
    }
}
