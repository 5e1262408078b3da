/// Customers, one row each, sorted by `customer_id` byte-wise so every command
/// processes them in the same order. Columns are stored column-wise.
public struct CustomerTable: Sendable {
    /// Where the rows came from: a path, or `<sample shop>`.
    public var source: String
    /// Customer ids, ascending by UTF-8 bytes.
    public var ids: [String]
    /// Every column but `customer_id`, in the file's order.
    public var columns: [CustomerColumn]
    /// The 1-based line each customer's row started on, for messages.
    public var lines: [Int32]

    public init(source: String, ids: [String], columns: [CustomerColumn], lines: [Int32]) {
        self.source = source
        self.ids = ids
        self.columns = columns
        self.lines = lines
    }

    public var count: Int { ids.count }

    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// The row of a customer id (binary search over the sorted ids).
    public func index(of id: String) -> Int? { ids.indexInByteOrder(of: id) }
}

extension Array where Element == String {
    /// The index of `key` in an array sorted by UTF-8 bytes, found by binary
    /// search without allocating; nil when absent.
    func indexInByteOrder(of key: String) -> Int? {
        var lo = 0, hi = count
        while lo < hi {
            let mid = (lo + hi) / 2
            if self[mid].utf8.lexicographicallyPrecedes(key.utf8) { lo = mid + 1 } else { hi = mid }
        }
        return lo < count && self[lo] == key ? lo : nil
    }
}

public struct CustomerColumn: Sendable {
    public var name: String
    public var type: PerkType
    /// One value per customer, aligned with `CustomerTable.ids`; `.missing` for empty cells.
    public var values: [Value]

    public init(name: String, type: PerkType, values: [Value]) {
        self.name = name
        self.type = type
        self.values = values
    }
}

/// Every order of known customers, column-wise, grouped by customer and sorted by
/// time within each customer, so an order window is a binary search.
public struct OrderTable: Sendable {
    public var source: String
    /// Orders of customer `c` are the rows `start[c] ..< start[c + 1]`; `count + 1` entries.
    public var start: [Int32]
    /// The row of the customer in `CustomerTable`.
    public var customer: [Int32]
    /// `LocalDate.day` of `ordered_at`.
    public var date: [Int32]
    /// Seconds since midnight of `ordered_at`, or -1 when only a date was given.
    public var seconds: [Int32]
    /// Empty, as are `itemStart` and `itemIDs`, when a load left them out:
    /// see `OrderFieldSelection`.
    public var amount: [Number]
    /// Items of order `i` are `itemIDs[itemStart[i] ..< itemStart[i + 1]]`,
    /// naming `itemNames`; `count + 1` entries.
    public var itemStart: [Int32]
    public var itemIDs: [Int32]
    /// Distinct item names, sorted; an item id indexes this array.
    public var itemNames: [String]
    /// `store`, `channel`, `discount`, `coupon_code` and any other column.
    public var columns: [OrderColumn]
    /// 1-based line of each order in its file, for messages.
    public var lines: [Int32]

    public init(source: String, start: [Int32], customer: [Int32], date: [Int32], seconds: [Int32],
                amount: [Number], itemStart: [Int32], itemIDs: [Int32], itemNames: [String],
                columns: [OrderColumn], lines: [Int32]) {
        self.source = source
        self.start = start
        self.customer = customer
        self.date = date
        self.seconds = seconds
        self.amount = amount
        self.itemStart = itemStart
        self.itemIDs = itemIDs
        self.itemNames = itemNames
        self.columns = columns
        self.lines = lines
    }

    public var count: Int { date.count }

    /// The latest order date, if there are orders.
    public var latestDate: LocalDate? { date.max().map(LocalDate.init(day:)) }
    public var earliestDate: LocalDate? { date.min().map(LocalDate.init(day:)) }

    public func columnIndex(named name: String) -> Int? {
        columns.firstIndex { $0.name == name }
    }

    /// Rows of customer `c` dated in `from ..< to` (days), found by binary search.
    public func rows(of c: Int, from: Int32, to: Int32) -> Range<Int> {
        let lo = Int(start[c]), hi = Int(start[c + 1])
        return lowerBound(from, lo, hi) ..< lowerBound(to, lo, hi)
    }

    /// Rows of customer `c` dated before `day`: one search, not two.
    public func rows(of c: Int, before day: Int32) -> Range<Int> {
        let lo = Int(start[c])
        return lo ..< lowerBound(day, lo, Int(start[c + 1]))
    }

    /// The first row in `lo ..< hi` (one customer's rows) dated on or after `day`.
    func lowerBound(_ day: Int32, _ lo: Int, _ hi: Int) -> Int {
        var lo = lo, hi = hi
        while lo < hi {
            let mid = (lo + hi) / 2
            if date[mid] < day { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}

public struct OrderColumn: Sendable {
    public enum Storage: Sendable {
        /// Text interned: `ids[i]` indexes `names`, -1 for an empty cell.
        case text(ids: [Int32], names: [String])
        /// Each distinct value once: `keys[i]` indexes `values`. A column such
        /// as a discount holds a few values over a million orders.
        case keyed(keys: [Int32], values: [Value])
        case values([Value])
        /// Left out of a load that was told no one reads it (`OrderFieldSelection`).
        case notLoaded
    }

    public var name: String
    public var type: PerkType
    public var storage: Storage

    public init(name: String, type: PerkType, storage: Storage) {
        self.name = name
        self.type = type
        self.storage = storage
    }

    public var isLoaded: Bool {
        if case .notLoaded = storage { return false }
        return true
    }

    public func value(at row: Int) -> Value {
        switch storage {
        case .text(let ids, let names):
            let id = ids[row]
            return id < 0 ? .missing : .text(names[Int(id)])
        case .keyed(let keys, let values):
            return values[Int(keys[row])]
        case .values(let values):
            return values[row]
        case .notLoaded:
            preconditionFailure("orders.\(name) was read, but the load was told to leave it out")
        }
    }
}

/// What loading found besides the rows: counts and the rows it could not use.
public struct LoadReport: Sendable {
    public var customersRead = 0
    public var ordersRead = 0
    /// Orders with an empty `customer_id`: counted, left out of profiles.
    public var guestOrders = 0
    /// Orders naming a customer id that is not in the customers file.
    public var unknownCustomerOrders = 0
    /// The latest date of any order read, guest orders and unknown customers'
    /// orders included: the last day the data covers.
    public var latestOrderDate: LocalDate?
    /// Rows skipped because of `--skip-bad-rows`.
    public var skippedRows = 0
    /// Errors and warnings, each naming file, line and column.
    public var diagnostics: [Diagnostic] = []
    /// Each file read and the loader that read it (see `LoaderPath`).
    public var loads: [FileLoad] = []

    public init() {}
}
