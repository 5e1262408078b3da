/// The code of a sent coupon, which the CRM or the till honours: ten
/// characters in two groups, like `7KQ3M-X9PTH`, from an alphabet without
/// `0`, `O`, `1` and `I`, so nobody reading it aloud or typing it can mix
/// them up.
///
/// A code is derived from the decision (rule, customer, day and which of the
/// rule's coupons it is), so every machine gives the same decision the same
/// code, and committing a day again after a crash issues the same codes. Two
/// decisions can hash alike; `CouponCodeIssuer` then moves the later one on,
/// so codes stay unique within a journal.
public struct CouponCode: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// 50 bits, five per character.
    public let value: UInt64

    static let alphabet: [UInt8] = Array("23456789ABCDEFGHJKLMNPQRSTUVWXYZ".utf8)
    static let characters = 10
    static let mask: UInt64 = (1 << 50) - 1
    /// Where the dash goes, and the code's length with it.
    static let groupLength = 5
    static let textLength = characters + 1

    init(value: UInt64) { self.value = value & CouponCode.mask }

    /// The code for the `attempt`th try (0 first) at a code for the
    /// `ordinal`th coupon (0 first) of a rule's decision for a customer on a day.
    public init(rule: String, customerID: String, day: LocalDate, ordinal: Int, attempt: Int = 0) {
        // FNV-1a over the parts, each ended by a zero byte so "ab"+"c" and
        // "a"+"bc" differ, then a finaliser that spreads every input bit
        // over every output bit.
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        func add<S: Sequence>(_ bytes: S) where S.Element == UInt8 {
            for byte in bytes { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3 }
            hash = (hash ^ 0) &* 0x0000_0100_0000_01B3
        }
        add("perk-coupon".utf8)
        add(rule.utf8)
        add(customerID.utf8)
        add(day.description.utf8)
        add(String(ordinal).utf8)
        add(String(attempt).utf8)
        hash ^= hash >> 33
        hash &*= 0xff51_afd7_ed55_8ccd
        hash ^= hash >> 33
        hash &*= 0xc4ce_b9fe_1a85_ec53
        hash ^= hash >> 33
        self.init(value: hash)
    }

    /// Reads `7KQ3M-X9PTH` back; nil for anything else, lower case included.
    public init?(parsing bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count == CouponCode.textLength, bytes[CouponCode.groupLength] == UInt8(ascii: "-") else { return nil }
        // A year of journal reads a million codes of unpredictable characters:
        // one table lookup each, and one test for all of them at the end.
        let parsed: UInt64? = CouponCode.digits.withUnsafeBufferPointer { digits in
            var value: UInt64 = 0, invalid: UInt8 = 0
            for i in 0..<CouponCode.textLength where i != CouponCode.groupLength {
                let digit = digits[Int(bytes[i])]
                invalid |= digit & 0x80
                value = value << 5 | UInt64(digit & 31)
            }
            return invalid == 0 ? value : nil
        }
        guard let parsed else { return nil }
        self.init(value: parsed)
    }

    public init?(parsing text: String) {
        guard let code = Array(text.utf8).withUnsafeBufferPointer({ CouponCode(parsing: $0) }) else { return nil }
        self = code
    }

    public var description: String {
        var out: [UInt8] = []
        out.reserveCapacity(CouponCode.textLength)
        for i in 0..<CouponCode.characters {
            if i == CouponCode.groupLength { out.append(UInt8(ascii: "-")) }
            let shift = UInt64(5 * (CouponCode.characters - 1 - i))
            out.append(CouponCode.alphabet[Int(value >> shift & 31)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    public static func < (a: CouponCode, b: CouponCode) -> Bool { a.value < b.value }

    /// Each byte's value in `alphabet`, or 0xFF for a byte not in it.
    private static let digits: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (i, b) in alphabet.enumerated() { table[Int(b)] = UInt8(i) }
        return table
    }()
}

/// Hands out coupon codes for one day's decisions, in plan order, each one
/// new to the journal: a code already taken is derived again with the next
/// attempt number. The journal and the day fix the result, so the same
/// journal and plan give the same codes on every machine.
public struct CouponCodeIssuer: Sendable {
    private var taken: CouponCodes

    public init(taken: CouponCodes) {
        self.taken = taken
    }

    public mutating func issue(rule: String, customerID: String, day: LocalDate, ordinal: Int) -> CouponCode {
        var attempt = 0
        while true {
            let code = CouponCode(rule: rule, customerID: customerID, day: day, ordinal: ordinal, attempt: attempt)
            if taken.insert(code) { return code }
            attempt += 1
        }
    }
}

/// The coupon codes a journal has issued: a year can hold millions.
public struct CouponCodes: Sendable, ExpressibleByArrayLiteral {
    private var words: WordSet

    public init(minimumCapacity: Int = 0) {
        words = WordSet(minimumCapacity: minimumCapacity)
    }

    public init(arrayLiteral codes: CouponCode...) {
        self.init(minimumCapacity: codes.count)
        for code in codes { insert(code) }
    }

    public var count: Int { words.count }

    /// Adds `code`; false when it was issued already.
    @discardableResult
    public mutating func insert(_ code: CouponCode) -> Bool { words.insert(code.value) }

    public func contains(_ code: CouponCode) -> Bool { words.contains(code.value) }
}
