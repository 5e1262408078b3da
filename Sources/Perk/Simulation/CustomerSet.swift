/// A set of customer rows, as a bitset. A simulation asks "have we seen this
/// customer for this rule and status?" millions of times; a bit per customer
/// answers it without hashing, and two sets intersect a word at a time.
public struct CustomerSet: Sendable, Equatable {
    private var words: [UInt64]
    public private(set) var count = 0

    /// An empty set for customer rows `0 ..< capacity`.
    public init(capacity: Int) {
        words = Array(repeating: 0, count: (max(0, capacity) + 63) / 64)
    }

    public func contains(_ customer: Int) -> Bool {
        words[customer >> 6] & (1 << UInt64(customer & 63)) != 0
    }

    /// Adds the customer; true when it was not in the set before.
    @discardableResult
    public mutating func insert(_ customer: Int) -> Bool {
        let bit: UInt64 = 1 << UInt64(customer & 63)
        guard words[customer >> 6] & bit == 0 else { return false }
        words[customer >> 6] |= bit
        count += 1
        return true
    }

    /// Adds or removes the customer.
    public mutating func set(_ customer: Int, _ member: Bool) {
        let bit: UInt64 = 1 << UInt64(customer & 63)
        let was = words[customer >> 6] & bit != 0
        guard was != member else { return }
        words[customer >> 6] ^= bit
        count += member ? 1 : -1
    }

    /// How many customers are in both sets.
    public func intersectionCount(_ other: CustomerSet) -> Int {
        zip(words, other.words).reduce(0) { $0 + ($1.0 & $1.1).nonzeroBitCount }
    }

    /// The customers in ascending row order.
    public var members: [Int] {
        var out: [Int] = []
        out.reserveCapacity(count)
        for (i, word) in words.enumerated() where word != 0 {
            var w = word
            while w != 0 {
                out.append(i * 64 + w.trailingZeroBitCount)
                w &= w - 1
            }
        }
        return out
    }
}
