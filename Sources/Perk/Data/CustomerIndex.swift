/// Finds a customer's row from the customer id written in an order.
///
/// Every order looks up its customer, and with a hundred thousand customers a
/// hash table is bigger than the processor's caches, so each lookup waits on
/// memory. Most shops number their customers: when every id is one prefix
/// followed by digits of one width (`C000001`, `C000002`, ...), or by a number
/// written without leading zeros (`C1`, `C2`, ... `C100000`, as CRM exports
/// write them), the digits index a small array instead. The answer is the
/// same either way, byte for byte: an id of another prefix, or of another
/// width, or with a leading zero where the customers' ids have none, cannot
/// be a customer's.
struct CustomerIndex: Sendable {
    /// With numbered ids, each is `prefix` + `width` digits (or, with a
    /// `width` of 0, + a number without leading zeros) and `rowOfNumber[n]`
    /// is the row of number `n`, or -1.
    private let prefix: [UInt8]
    private let width: Int
    private let rowOfNumber: [Int32]
    /// Ids that are not numbered alike, by their bytes.
    private let hashed: ByteInterner?

    /// Ids must be unique, as a loaded customers table's are.
    init(ids: [String]) {
        if let (prefix, width, rowOfNumber) = Self.numbered(ids) {
            (self.prefix, self.width, self.rowOfNumber, hashed) = (prefix, width, rowOfNumber, nil)
        } else {
            (prefix, width, rowOfNumber, hashed) = ([], 0, [], Self.interned(ids))
        }
    }

    /// The row of the customer with this id, or nil.
    @inline(__always)
    func row(of id: UnsafeBufferPointer<UInt8>) -> Int32? {
        if let hashed { return hashed.id(of: id) }
        if width > 0 {
            guard id.count == prefix.count + width else { return nil }
        } else {
            let digits = id.count - prefix.count
            guard digits >= 1, digits <= Self.maxDigits, digits == 1 || id[prefix.count] != UInt8(ascii: "0") else { return nil }
        }
        for i in prefix.indices where id[i] != prefix[i] { return nil }
        var n = 0
        for i in prefix.count..<id.count {
            let digit = id[i] &- UInt8(ascii: "0")
            guard digit < 10 else { return nil }
            n = n * 10 + Int(digit)
        }
        guard n < rowOfNumber.count else { return nil }
        let row = rowOfNumber[n]
        return row < 0 ? nil : row
    }

    /// True when ids are looked up by their digits, for tests.
    var isNumbered: Bool { hashed == nil }

    private static func interned(_ ids: [String]) -> ByteInterner {
        // Ids are unique, so each key's id is its customer's row.
        var interner = ByteInterner(capacity: ids.count)
        for id in ids { _ = interner.intern(id) }
        return interner
    }

    /// Numbers are at most this many digits, so they fit an `Int` with room.
    private static let maxDigits = 9

    /// The digit-indexed lookup, when the ids allow it and the numbers are
    /// dense enough that the array stays small (at most 8 entries a customer):
    /// digits of one width, or else numbers without leading zeros.
    private static func numbered(_ ids: [String]) -> (prefix: [UInt8], width: Int, rowOfNumber: [Int32])? {
        guard let first = ids.first else { return nil }
        let firstBytes = Array(first.utf8)
        let digits = firstBytes.reversed().prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
        guard digits > 0, digits <= maxDigits else { return nil }
        let prefix = Array(firstBytes.dropLast(digits))
        return numbered(ids, prefix: prefix, width: digits) ?? numbered(ids, prefix: prefix, width: 0)
    }

    /// As above, for ids of `prefix` and `width` digits (0: without leading zeros).
    private static func numbered(_ ids: [String], prefix: [UInt8],
                                 width: Int) -> (prefix: [UInt8], width: Int, rowOfNumber: [Int32])? {
        let limit = 8 * ids.count + 1024
        var rowOfNumber: [Int32] = []
        for (row, id) in ids.enumerated() {
            var id = id
            let number = id.withUTF8 { bytes -> Int? in
                let digits = bytes.count - prefix.count
                if width > 0 {
                    guard digits == width else { return nil }
                } else {
                    guard digits >= 1, digits <= maxDigits,
                          digits == 1 || bytes[prefix.count] != UInt8(ascii: "0") else { return nil }
                }
                guard bytes.prefix(prefix.count).elementsEqual(prefix) else { return nil }
                var n = 0
                for b in bytes[prefix.count...] {
                    guard b >= UInt8(ascii: "0"), b <= UInt8(ascii: "9") else { return nil }
                    n = n * 10 + Int(b - UInt8(ascii: "0"))
                }
                return n
            }
            guard let number, number < limit else { return nil }
            if number >= rowOfNumber.count {
                rowOfNumber += repeatElement(-1, count: max(number + 1, rowOfNumber.count * 2) - rowOfNumber.count)
            }
            guard rowOfNumber[number] < 0 else { return nil }
            rowOfNumber[number] = Int32(row)
        }
        return (prefix, width, rowOfNumber)
    }
}
