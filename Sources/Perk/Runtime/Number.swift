/// An exact number: integers, decimals and money, as a reduced fraction.
///
/// Money must add up to the cent and `avg_order_value` must be exact (rounding is
/// for display only), so numbers are never binary floating point. A fraction of two
/// `Int64`s covers amounts with any number of decimals and the exact quotients
/// of averages; arithmetic that would overflow reports it instead of wrapping.
///
/// The numerator never holds `Int64.min`, so the range is symmetric and negating
/// a number (or taking `abs`) can never overflow.
public struct Number: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Numerator; carries the sign.
    public private(set) var numerator: Int64
    /// Denominator; always positive, and coprime with the numerator.
    public private(set) var denominator: Int64

    public static let zero = Number(0)
    public static let one = Number(1)

    public init(_ integer: Int) {
        precondition(integer != Int(Int64.min), "Number(Int64.min)")
        numerator = Int64(integer)
        denominator = 1
    }

    /// `integer` is never `Int64.min` (which has no negation); counts, days and
    /// years are far from it.
    public init(_ integer: Int64) {
        precondition(integer != .min, "Number(Int64.min)")
        numerator = integer
        denominator = 1
    }

    /// `units / 10^scale`, as parsed from `12.50` (units 1250, scale 2).
    public init?(units: Int64, scale: Int) {
        guard scale >= 0, scale <= 18 else { return nil }
        var den: Int64 = 1
        for _ in 0..<scale { den *= 10 }
        self.init(reducing: Int128(units), Int128(den))
    }

    /// Builds n/d in lowest terms; nil when d is zero or the result does not fit.
    public init?(reducing n: Int128, _ d: Int128) {
        guard d != 0 else { return nil }
        var n = n, d = d
        if d < 0 { n = -n; d = -d }
        let g = Number.gcd(n.magnitude, d.magnitude)
        if g > 1 { n /= Int128(g); d /= Int128(g) }
        guard let nn = Int64(exactly: n), nn != .min, let dd = Int64(exactly: d) else { return nil }
        numerator = nn
        denominator = dd
    }

    /// Parses `12`, `-3`, `12.50`, `0.5`. No exponents, no thousands separators.
    public init?(parsing text: Substring) {
        var bytes = Array(text.utf8)[...]
        var negative = false
        if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
            negative = first == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return nil }
        var units: Int128 = 0
        var scale = 0
        var seenDot = false
        var digits = 0
        for b in bytes {
            if b == UInt8(ascii: ".") {
                if seenDot { return nil }
                seenDot = true
                continue
            }
            guard b >= 48, b <= 57 else { return nil }
            units = units * 10 + Int128(b - 48)
            digits += 1
            if seenDot { scale += 1 }
            if digits > 30 { return nil }
        }
        guard digits > 0, scale <= 18 else { return nil }
        var den: Int128 = 1
        for _ in 0..<scale { den *= 10 }
        self.init(reducing: negative ? -units : units, den)
    }

    public init?(parsing text: String) { self.init(parsing: Substring(text)) }

    public var isInteger: Bool { denominator == 1 }
    public var isNegative: Bool { numerator < 0 }
    public var isZero: Bool { numerator == 0 }

    /// The integer part, rounded toward zero.
    public var truncated: Int64 { numerator / denominator }

    /// The largest integer not above this number.
    public var floor: Int64 {
        let q = numerator / denominator
        return (numerator % denominator != 0 && numerator < 0) ? q - 1 : q
    }

    // MARK: Arithmetic (nil on overflow or division by zero)

    public func adding(_ o: Number) -> Number? {
        if denominator == o.denominator {
            let (s, overflow) = numerator.addingReportingOverflow(o.numerator)
            if !overflow, s != .min, denominator == 1 { return Number(s) }
            if !overflow, s != .min { return Number(reducing: Int128(s), Int128(denominator)) }
        }
        return Number(reducing: Int128(numerator) * Int128(o.denominator) + Int128(o.numerator) * Int128(denominator),
                      Int128(denominator) * Int128(o.denominator))
    }

    public func subtracting(_ o: Number) -> Number? { adding(o.negated) }

    public func multiplying(_ o: Number) -> Number? {
        Number(reducing: Int128(numerator) * Int128(o.numerator), Int128(denominator) * Int128(o.denominator))
    }

    public func dividing(by o: Number) -> Number? {
        guard o.numerator != 0 else { return nil }
        return Number(reducing: Int128(numerator) * Int128(o.denominator), Int128(denominator) * Int128(o.numerator))
    }

    /// `p` percent of this number (`self × p / 100`), computed in one step so
    /// that a product too large on its way is not an overflow when the result fits.
    public func percent(_ p: Number) -> Number? {
        var n = Int128(numerator) * Int128(p.numerator), d = Int128(denominator) * Int128(p.denominator)
        let g = Int128(Number.gcd(n.magnitude, d.magnitude))
        if g > 1 { n /= g; d /= g }
        // n/d is in lowest terms; dividing by 100 needs only the part of 100 n does not cancel.
        let h = Int128(Number.gcd(n.magnitude, 100))
        n /= h
        let (scaled, overflow) = d.multipliedReportingOverflow(by: 100 / h)
        guard !overflow else { return nil }
        return Number(reducing: n, scaled)
    }

    public var negated: Number {
        var n = self
        n.numerator = -numerator
        return n
    }

    public static func < (a: Number, b: Number) -> Bool {
        if a.denominator == b.denominator { return a.numerator < b.numerator }
        return Int128(a.numerator) * Int128(b.denominator) < Int128(b.numerator) * Int128(a.denominator)
    }

    public static func min(_ a: Number, _ b: Number) -> Number { a < b ? a : b }
    public static func max(_ a: Number, _ b: Number) -> Number { a < b ? b : a }

    // MARK: Display

    /// Exact decimal text when the number has one (`12.5`, `-3`), otherwise
    /// rounded half away from zero to six places (`33.333333`).
    public var description: String {
        if let exact = exactDecimal(maxScale: 18) { return exact }
        return rounded(places: 6)
    }

    /// Money style: at least `places` decimals, rounded half away from zero.
    /// `formatted(places: 2)` turns 12.5 into `12.50` and 100/3 into `33.33`.
    public func formatted(places: Int) -> String {
        rounded(places: places)
    }

    /// Exact text with no more than `maxScale` decimals, or nil.
    func exactDecimal(maxScale: Int) -> String? {
        var scale = 0
        var den = denominator
        var pow10: Int128 = 1
        // A fraction has a finite decimal form only if its denominator is 2^a 5^b.
        while den % 2 == 0 { den /= 2 }
        while den % 5 == 0 { den /= 5 }
        guard den == 1 else { return nil }
        while (pow10 % Int128(denominator)) != 0 {
            pow10 *= 10
            scale += 1
            if scale > maxScale { return nil }
        }
        let units = Int128(numerator) * (pow10 / Int128(denominator))
        return Number.decimalText(units: units, scale: scale)
    }

    private func rounded(places: Int) -> String {
        var pow10: Int128 = 1
        for _ in 0..<places { pow10 *= 10 }
        let scaled = Int128(numerator) * pow10
        let d = Int128(denominator)
        var q = scaled / d
        let r = scaled % d
        if r.magnitude * 2 >= d.magnitude { q += scaled < 0 ? -1 : 1 }
        return Number.decimalText(units: q, scale: places)
    }

    private static func decimalText(units: Int128, scale: Int) -> String {
        let negative = units < 0
        var digits = String(units.magnitude)
        if scale > 0 {
            if digits.count <= scale { digits = String(repeating: "0", count: scale - digits.count + 1) + digits }
            digits.insert(".", at: digits.index(digits.endIndex, offsetBy: -scale))
        }
        return (negative ? "-" : "") + digits
    }

    private static func gcd(_ a: UInt128, _ b: UInt128) -> UInt128 {
        var a = a, b = b
        while b != 0 { (a, b) = (b, a % b) }
        return a
    }
}
