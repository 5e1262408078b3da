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
/// Each key keeps one flat ring of N days per customer, made at its first
/// event: no array per customer, so taking in a year of journal or
/// simulating a quarter allocates once per key, not once per customer.
struct LatestDays: Sendable {
    /// Per key: how many latest days to keep; 0 keeps none.
    private let keep: [Int]
    /// Per key: `keep` days per customer, a ring; empty until its first event.
    private var rings: [[Int32]]
    /// Per key: events recorded per customer; where the ring's oldest day is.
    private var recorded: [[UInt32]]

    init(keep: [Int]) {
        self.keep = keep
        rings = Array(repeating: [], count: keep.count)
        recorded = Array(repeating: [], count: keep.count)
    }

    /// The kept days of a customer under key `k`, oldest first.
    func days(_ k: Int, customer: Int) -> [Int32] {
        guard !recorded[k].isEmpty else { return [] }
        let n = keep[k], count = Int(recorded[k][customer])
        let first = count >= n ? count % n : 0
        return (0..<min(count, n)).map { rings[k][customer * n + (first + $0) % n] }
    }

    /// The day of the `keep`-th latest event, or nil if there were fewer.
    func oldestKept(_ k: Int, customer: Int) -> Int32? {
        guard !recorded[k].isEmpty else { return nil }
        let n = keep[k], count = Int(recorded[k][customer])
        return count >= n ? rings[k][customer * n + count % n] : nil
    }

    /// Records an event on `day` (days only move forward).
    mutating func record(_ k: Int, customer: Int, day: Int32, customers: Int) {
        let n = keep[k]
        guard n > 0 else { return }
        if recorded[k].isEmpty {
            rings[k] = Array(repeating: 0, count: customers * n)
            recorded[k] = Array(repeating: 0, count: customers)
        }
        let count = Int(recorded[k][customer])
        rings[k][customer * n + count % n] = day
        recorded[k][customer] = UInt32(truncatingIfNeeded: count + 1)
    }
}
