/// For each rule with a `limit` or a cooldown, what its limit and cooldown
/// checks need to know of each customer: how many decisions counted, and the
/// days of the latest few (as many as the cooldown allows in its period).
///
/// A simulation asks this for every matched rule of every customer on every
/// day, so it is kept in arrays indexed by customer, made for a rule the first
/// time one of its decisions counts; rules without limits keep nothing.
struct DecisionHistory: Sendable {
    /// Per rule: how many latest days to keep (the cooldown's count), 0 without a cooldown.
    private let keep: [Int]
    private let counted: [Bool]
    /// Per rule: decisions counted per customer; empty until the rule's first.
    private var counts: [[Int32]]
    /// Per rule: the latest `keep` days per customer, oldest first; empty until the rule's first.
    private var latest: [[[Int32]]]

    init(rules: [CheckedRule]) {
        keep = rules.map { $0.cooldown?.count ?? 0 }
        counted = rules.map { $0.lifetimeLimit != nil }
        counts = Array(repeating: [], count: rules.count)
        latest = Array(repeating: [], count: rules.count)
    }

    func count(rule r: Int, customer: Int) -> Int {
        counts[r].isEmpty ? 0 : Int(counts[r][customer])
    }

    /// The day of the `keep`-th latest decision, or nil if there were fewer.
    func oldestKept(rule r: Int, customer: Int) -> Int32? {
        guard !latest[r].isEmpty, latest[r][customer].count == keep[r] else { return nil }
        return latest[r][customer].first
    }

    /// Records a decision that counts, made on `day` (days only move forward).
    mutating func record(rule r: Int, customer: Int, day: Int32, customers: Int) {
        if counted[r] {
            if counts[r].isEmpty { counts[r] = Array(repeating: 0, count: customers) }
            counts[r][customer] += 1
        }
        guard keep[r] > 0 else { return }
        if latest[r].isEmpty { latest[r] = Array(repeating: [], count: customers) }
        if latest[r][customer].count == keep[r] { latest[r][customer].removeFirst() }
        latest[r][customer].append(day)
    }
}
