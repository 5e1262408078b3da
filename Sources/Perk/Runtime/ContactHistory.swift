/// For each contact policy, the days of each customer's latest contacts under
/// it: as many as the policy allows, oldest first. That is all its check needs:
/// the policy is full when the oldest of them still falls within the period.
///
/// Like `DecisionHistory`, it is kept in arrays indexed by customer, made for a
/// policy the first time one of its contacts is recorded, so a program without
/// policies, or a day without contacts, keeps nothing.
struct ContactHistory: Sendable {
    /// Per policy: how many latest days to keep (its count).
    private let keep: [Int]
    /// Per policy: the latest `keep` contact days per customer, oldest first; empty until its first contact.
    private var latest: [[[Int32]]]

    init(policies: [ContactPolicy]) {
        keep = policies.map(\.count)
        latest = Array(repeating: [], count: policies.count)
    }

    /// The kept contact days of a customer under policy `p`, oldest first.
    func days(policy p: Int, customer: Int) -> [Int32] {
        latest[p].isEmpty ? [] : latest[p][customer]
    }

    /// The day of the `keep`-th latest contact, or nil if there were fewer.
    func oldestKept(policy p: Int, customer: Int) -> Int32? {
        guard !latest[p].isEmpty, latest[p][customer].count == keep[p] else { return nil }
        return latest[p][customer].first
    }

    /// Records a contact made on `day` (days only move forward).
    mutating func record(policy p: Int, customer: Int, day: Int32, customers: Int) {
        guard keep[p] > 0 else { return }
        if latest[p].isEmpty { latest[p] = Array(repeating: [], count: customers) }
        if latest[p][customer].count == keep[p] { latest[p][customer].removeFirst() }
        latest[p][customer].append(day)
    }
}
