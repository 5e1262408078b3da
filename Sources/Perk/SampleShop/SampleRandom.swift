/// The sample shop's random numbers: SplitMix64 with integer-only helpers.
///
/// The sample data must be byte-identical on every machine and every Swift
/// release, so nothing here goes through `SystemRandomNumberGenerator` or the
/// standard library's `random(in:using:)` (whose algorithm is not promised to stay
/// the same), and nothing uses floating point. The type deliberately does not
/// conform to `RandomNumberGenerator`, so those APIs cannot be used by accident.
struct SampleRandom {
    private var state: UInt64

    init(seed: UInt64) { state = seed }

    /// An independent stream for one purpose and one index, such as "the profile of
    /// customer 17". Drawing per stream keeps a change in one part of the generator
    /// from reshuffling everything else.
    init(seed: UInt64, stream: Stream, index: Int = 0) {
        var mixer = SampleRandom(seed: seed)
        let base = mixer.next()
        var second = SampleRandom(seed: base ^ (stream.rawValue &* 0xD1B5_4A32_D192_ED03)
            ^ (UInt64(truncatingIfNeeded: index) &* 0x8CB9_2BA7_2F3D_8DD7))
        state = second.next()
    }

    /// The purposes that get their own stream; raw values are part of the output
    /// format (changing one changes the data), so they are spelled out.
    enum Stream: UInt64 {
        case profile = 1
        case schedule = 2
        case guests = 3
        case orderDetails = 4
        case tiers = 5
        case customerExtras = 6
        /// `--export-like`: the shuffled columns and extra cells of each file.
        case exportCustomers = 7
        case exportOrders = 8
    }

    // MARK: Drawing

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in `0 ..< n` without modulo bias (Lemire's multiply-and-reject);
    /// 0 when `n <= 1`.
    mutating func below(_ n: Int) -> Int {
        guard n > 1 else { return 0 }
        let bound = UInt64(n)
        var product = next().multipliedFullWidth(by: bound)
        if product.low < bound {
            let threshold = (0 &- bound) % bound
            while product.low < threshold { product = next().multipliedFullWidth(by: bound) }
        }
        return Int(product.high)
    }

    /// Uniform in `range`.
    mutating func between(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// True with probability `perMille` / 1000.
    mutating func chance(perMille: Int) -> Bool { below(1000) < perMille }
}

/// Picks an index with probability proportional to fixed integer weights.
struct SampleWeightedChoice {
    /// `cumulative[i]` is the sum of the weights of `0 ... i`.
    private let cumulative: [Int]

    init(_ weights: [Int]) {
        var running = 0
        cumulative = weights.map { running += max(0, $0); return running }
    }

    var isEmpty: Bool { (cumulative.last ?? 0) == 0 }

    /// An index with a positive weight; 0 when every weight is zero.
    func pick(_ rng: inout SampleRandom) -> Int {
        guard let total = cumulative.last, total > 0 else { return 0 }
        let r = rng.below(total)
        // First index whose running total exceeds r (binary search: the day table is long).
        var lo = 0, hi = cumulative.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if cumulative[mid] > r { hi = mid } else { lo = mid + 1 }
        }
        return lo
    }
}
