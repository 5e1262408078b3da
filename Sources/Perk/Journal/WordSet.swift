/// A set of 64-bit words, for the journal's millions of coupon codes and
/// decisions: open addressing with linear probing, no per-element hashing
/// beyond one multiplication, so it costs a few nanoseconds an insert.
struct WordSet: Sendable {
    /// `word + 1` in each used slot; 0 marks an empty one. (The largest
    /// word cannot be stored; callers keep their words well below it.)
    private var slots: [UInt64]
    private var shift: UInt64
    private(set) var count = 0

    init(minimumCapacity: Int = 0) {
        var size = 16
        while size < minimumCapacity * 2 { size *= 2 }
        slots = Array(repeating: 0, count: size)
        shift = UInt64(64 - size.trailingZeroBitCount)
    }

    /// Adds `word`; false when it was there already.
    @discardableResult
    mutating func insert(_ word: UInt64) -> Bool {
        if (count + 1) * 2 > slots.count { grow() }
        let stored = word &+ 1
        let mask = slots.count - 1
        var i = slot(of: word)
        while true {
            let s = slots[i]
            if s == 0 {
                slots[i] = stored
                count += 1
                return true
            }
            if s == stored { return false }
            i = (i + 1) & mask
        }
    }

    func contains(_ word: UInt64) -> Bool {
        let stored = word &+ 1
        let mask = slots.count - 1
        var i = slot(of: word)
        while slots[i] != 0 {
            if slots[i] == stored { return true }
            i = (i + 1) & mask
        }
        return false
    }

    /// Fibonacci hashing: the golden-ratio multiple's top bits, which spread
    /// even keys that differ only in their low bits.
    @inline(__always)
    private func slot(of word: UInt64) -> Int {
        Int(truncatingIfNeeded: (word &* 0x9E37_79B9_7F4A_7C15) >> shift)
    }

    private mutating func grow() {
        let old = slots
        slots = Array(repeating: 0, count: old.count * 2)
        shift -= 1
        count = 0
        for s in old where s != 0 { insert(s &- 1) }
    }
}
