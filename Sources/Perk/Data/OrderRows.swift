import Foundation

/// Orders as loaders collect them, in file order, and their grouping by
/// customer into an `OrderTable`. Both the general `OrderLoader` and the
/// `ParallelOrderLoader` fill these, so a table never depends on which ran.

// MARK: - Good rows

struct UnknownCustomerExample {
    var line: Int
    var orderID: String
    var customerID: String
    var location: CellLocation
}

/// Orders that passed every check, in file order, plus what was left out.
struct OrderRows {
    var customer: [Int32] = []
    var date: [Int32] = []
    var seconds: [Int32] = []
    var amount: [Number] = []
    var lines: [Int32] = []
    var itemStart: [Int32]
    /// Ids into `items`, in order of first appearance until `table` sorts them.
    var itemIDs: [Int32] = []
    var items = ByteInterner()
    /// Per column: the distinct cell texts. Text columns always intern; the
    /// parallel loader interns the other columns too (`internsValues`).
    var text: [ByteInterner]
    var textIDs: [[Int32]]
    /// Per non-text column, one value per row (general loader).
    var values: [[Value]]
    /// Non-text columns are kept as `textIDs` and converted once per distinct
    /// text into `valueOfKey`: a few bytes a row while loading, and each
    /// distinct text checked once.
    let internsValues: Bool
    var valueOfKey: [[Value]]
    /// Per column, when `internsValues`: its texts turned out to be nearly
    /// all different (an external order number), so interning them would
    /// cost more than it saves, and each row's value is kept in `values`
    /// instead (see `makeDirect`).
    private(set) var isDirect: [Bool]
    /// Which fields are kept in the table (see `OrderFieldSelection`); the
    /// others are still checked, by the loader, but not stored.
    let keepsAmount: Bool
    let keepsItems: Bool
    private let keepsColumn: [Bool]
    /// The text columns kept, and every typed column holding other values
    /// (each is checked; `kept` says whether it is stored too), with the
    /// index of each one's cell in a row, worked out once rather than per row.
    private let textColumns: [(column: Int, cell: Int)]
    let valueColumns: [(column: Int, cell: Int, kept: Bool)]
    private let keptValueColumns: [Int]

    var guests = 0
    /// The latest order date of any readable order, as a day number.
    var latestDay: Int32?
    var firstGuest: CellLocation?
    var unknownCustomers = 0
    var unknownExamples: [UnknownCustomerExample] = []

    init(columns: [OrderColumnPlan], expectedCount n: Int, internsValues: Bool = false, fields: OrderFieldSelection = .all) {
        self.internsValues = internsValues
        keepsAmount = fields.includes("amount")
        keepsItems = fields.includes("items")
        let keepsColumn = columns.map { fields.includes($0.name) }
        self.keepsColumn = keepsColumn
        let kept = columns.indices.filter { keepsColumn[$0] }
        textColumns = kept.filter { columns[$0].isText }.map { ($0, columns[$0].index) }
        valueColumns = columns.indices.filter { !columns[$0].isText && columns[$0].isTyped }
            .map { ($0, columns[$0].index, keepsColumn[$0]) }
        keptValueColumns = kept.filter { !columns[$0].isText }
        text = Array(repeating: ByteInterner(), count: columns.count)
        valueOfKey = Array(repeating: [], count: columns.count)
        isDirect = Array(repeating: false, count: columns.count)
        textIDs = columns.indices.map { c in
            var ids: [Int32] = []
            if keepsColumn[c], columns[c].isText || internsValues { ids.reserveCapacity(n) }
            return ids
        }
        values = columns.indices.map { c in
            var values: [Value] = []
            if keepsColumn[c], !columns[c].isText && !internsValues { values.reserveCapacity(n) }
            return values
        }
        customer.reserveCapacity(n)
        date.reserveCapacity(n)
        seconds.reserveCapacity(n)
        lines.reserveCapacity(n)
        if keepsAmount { amount.reserveCapacity(n) }
        itemStart = keepsItems ? [0] : []
        if keepsItems { itemStart.reserveCapacity(n + 1) }
    }

    var count: Int { date.count }

    /// Moves the rows out, leaving none, so a table can release them column by column.
    mutating func take() -> OrderRows {
        var taken = OrderRows(columns: [], expectedCount: 0, internsValues: internsValues)
        swap(&taken, &self)
        return taken
    }

    /// Adds a good order of a known customer. `converted` holds the values of
    /// the non-text columns; text is interned here, so rows left out add no names.
    mutating func append(customer: Int32, time: (day: Int32, seconds: Int32), amount: Number, line: Int,
                         cells row: [RawCell], converted: [Value], layout: OrderLayout,
                         file cells: CellValues) {
        appendShared(customer: customer, time: time, amount: amount, line: line, cells: row, layout: layout, file: cells)
        for c in keptValueColumns { values[c].append(converted[c]) }
    }

    /// As `append(converted:)`, for rows that `internsValues`: `keys` holds
    /// the non-text columns' interned keys, `converted` the values of the
    /// columns kept `isDirect`.
    mutating func append(customer: Int32, time: (day: Int32, seconds: Int32), amount: Number, line: Int,
                         cells row: [RawCell], keys: [Int32], converted: [Value], layout: OrderLayout,
                         file cells: CellValues) {
        appendShared(customer: customer, time: time, amount: amount, line: line, cells: row, layout: layout, file: cells)
        for c in keptValueColumns {
            if isDirect[c] { values[c].append(converted[c]) } else { textIDs[c].append(keys[c]) }
        }
    }

    /// Whether column `c`, interned so far, has so many different texts
    /// after `rowsRead` rows that each row should keep its own value.
    func needsDirect(_ c: Int, rowsRead: Int) -> Bool {
        text[c].count > Self.directAbove && text[c].count * 4 > rowsRead
    }

    /// Distinct texts a column may have before `needsDirect` looks at it:
    /// below this, interning costs little whatever the rows.
    private static let directAbove = 4096

    /// Keeps column `c`'s values row by row from now on: the rows so far get
    /// their keys' values, and the texts are let go.
    mutating func makeDirect(_ c: Int) {
        guard internsValues, !isDirect[c] else { return }
        let valueOfKey = self.valueOfKey[c]
        values[c] = textIDs[c].map { valueOfKey[Int($0)] }
        textIDs[c] = []
        text[c] = ByteInterner()
        self.valueOfKey[c] = []
        isDirect[c] = true
    }

    private mutating func appendShared(customer: Int32, time: (day: Int32, seconds: Int32), amount: Number, line: Int,
                                       cells row: [RawCell], layout: OrderLayout,
                                       file cells: CellValues) {
        self.customer.append(customer)
        date.append(time.day)
        seconds.append(time.seconds)
        lines.append(Int32(clamping: line))
        if keepsAmount { self.amount.append(amount) }
        if keepsItems {
            if let items = layout.items { appendItems(of: row[items], cells: cells) }
            itemStart.append(Int32(itemIDs.count))
        }
        for (c, cell) in textColumns {
            let id = cells.withValue(of: row[cell]) { text in
                text.isEmpty ? -1 : self.text[c].intern(text).id
            }
            textIDs[c].append(id)
        }
    }

    /// Appends the rows `later` read from the part of the file after these
    /// rows, whose line numbers count from `lineBase`. Each of its columns is
    /// released once copied.
    mutating func append(_ later: inout OrderRows, lineBase: Int) {
        func move<T>(_ column: inout [T], to target: inout [T], _ transform: (T) -> T = { $0 }) {
            target.append(contentsOf: column.lazy.map(transform))
            column = []
        }
        let base = Int32(clamping: lineBase)
        let itemMap = items.absorb(later.items)
        let firstItem = Int32(itemIDs.count)
        move(&later.customer, to: &customer)
        move(&later.date, to: &date)
        move(&later.seconds, to: &seconds)
        move(&later.amount, to: &amount)
        move(&later.lines, to: &lines) { $0 + base }
        if keepsItems { later.itemStart.removeFirst() }
        move(&later.itemStart, to: &itemStart) { $0 + firstItem }
        move(&later.itemIDs, to: &itemIDs) { itemMap[Int($0)] }
        for c in text.indices {
            // A column one piece found nearly all different is kept row by row in both.
            if isDirect[c] != later.isDirect[c] {
                makeDirect(c)
                later.makeDirect(c)
            }
            let map = text[c].absorb(later.text[c])
            // Keys new here were added in `later`'s order, so their values follow suit.
            for k in later.valueOfKey[c].indices where Int(map[k]) == valueOfKey[c].count {
                valueOfKey[c].append(later.valueOfKey[c][k])
            }
            move(&later.textIDs[c], to: &textIDs[c]) { $0 < 0 ? -1 : map[Int($0)] }
            move(&later.values[c], to: &values[c])
        }

        func shifted(_ location: CellLocation) -> CellLocation {
            CellLocation(rowLine: location.rowLine + lineBase, rowOffset: location.rowOffset, offset: location.offset)
        }
        guests += later.guests
        if let day = later.latestDay { latestDay = max(latestDay ?? day, day) }
        if firstGuest == nil { firstGuest = later.firstGuest.map(shifted) }
        unknownCustomers += later.unknownCustomers
        for var example in later.unknownExamples where unknownExamples.count < 3 {
            example.line += lineBase
            example.location = shifted(example.location)
            unknownExamples.append(example)
        }
    }

    /// `Oolong; Jasmine Tea`: split at each `;`, each name trimmed, as the
    /// spaces around a `;` belong to the list, not to the names, quoted or
    /// not. The strings of a JSON list are names already, kept as written.
    /// Empty (or all-space) names are dropped.
    mutating func appendItems(of cell: RawCell, cells: CellValues) {
        if cell.encoding == .list {
            for var item in cells.listItems(of: cell) {
                item.withUTF8 { name in
                    if !CellParser.trimmed(name).isEmpty { itemIDs.append(items.intern(name).id) }
                }
            }
            return
        }
        cells.withValue(of: cell) { text in
            var start = 0
            for i in 0...text.count where i == text.count || text[i] == UInt8(ascii: ";") {
                let name = CellParser.trimmed(UnsafeBufferPointer(rebasing: text[start..<i]))
                if !name.isEmpty { itemIDs.append(items.intern(name).id) }
                start = i + 1
            }
        }
    }

    /// The orders grouped by customer, as a table. Columns are moved out of
    /// the rows and regrouped as one task each, spread over every core, and
    /// each task releases its column once it is regrouped. The general
    /// loader's `values` are rearranged in place, so the widest columns are
    /// never held twice.
    mutating func takeTable(source: String, customerCount: Int, columns: [OrderColumnPlan]) -> OrderTable {
        let grouping = OrderGrouping(customer: customer, date: date, seconds: seconds, customerCount: customerCount)
        customer = []
        let order = grouping.order
        func take<T>(_ column: inout [T]) -> [T] {
            let taken = column
            column = []
            return taken
        }
        var values = take(&self.values), textIDs = take(&self.textIDs)
        var date = take(&self.date), seconds = take(&self.seconds), amount = take(&self.amount), lines = take(&self.lines)
        var itemStart = take(&self.itemStart), itemIDs = take(&self.itemIDs)
        let items = self.items, text = self.text, valueOfKey = self.valueOfKey, internsValues = self.internsValues
        let isDirect = self.isDirect
        let keepsItems = self.keepsItems, keepsAmount = self.keepsAmount, keepsColumn = self.keepsColumn

        var groupedCustomer: [Int32] = [], groupedDate: [Int32] = [], groupedSeconds: [Int32] = [], groupedLines: [Int32] = []
        var groupedAmount: [Number] = []
        var groupedItems: (start: [Int32], ids: [Int32]) = ([], [])
        var storage: [OrderColumn.Storage?] = Array(repeating: nil, count: columns.count)
        // Each task writes only its own variable or slot; the biggest go first.
        let fixedTasks = 6
        storage.withUnsafeMutableBufferPointer { storage in
            textIDs.withUnsafeMutableBufferPointer { textIDs in
                values.withUnsafeMutableBufferPointer { values in
                    DispatchQueue.concurrentPerform(iterations: fixedTasks + columns.count) { task in
                        switch task {
                        case 0 where keepsItems:
                            groupedItems = Self.groupedItems(start: &itemStart, ids: &itemIDs, order: order,
                                                             rank: Self.ranks(of: items))
                        case 1 where keepsAmount: groupedAmount = Self.gather(&amount, by: order)
                        case 0, 1: break
                        case 2: groupedDate = Self.gather(&date, by: order)
                        case 3: groupedSeconds = Self.gather(&seconds, by: order)
                        case 4: groupedLines = Self.gather(&lines, by: order)
                        case 5: groupedCustomer = grouping.customerOfEachRow
                        default:
                            let c = task - fixedTasks
                            if !keepsColumn[c] {
                                storage[c] = .notLoaded
                            } else if columns[c].isText {
                                let rank = Self.ranks(of: text[c])
                                let ids = Self.gather(&textIDs[c], by: order) { $0 < 0 ? -1 : rank[Int($0)] }
                                storage[c] = .text(ids: ids, names: Self.sortedStrings(text[c]))
                            } else if internsValues && !isDirect[c] {
                                storage[c] = .keyed(keys: Self.gather(&textIDs[c], by: order), values: valueOfKey[c])
                            } else {
                                grouping.permute(&values[c])
                                storage[c] = .values(take(&values[c]))
                            }
                        }
                    }
                }
            }
        }

        let tableColumns = columns.indices.map { c in
            OrderColumn(name: columns[c].name, type: columns[c].type, storage: storage[c]!)
        }
        return OrderTable(source: source, start: grouping.start, customer: groupedCustomer, date: groupedDate,
                          seconds: groupedSeconds, amount: groupedAmount, itemStart: groupedItems.start,
                          itemIDs: groupedItems.ids, itemNames: Self.sortedStrings(items), columns: tableColumns,
                          lines: groupedLines)
    }

    /// `column` in grouped order, each element passed through `transform`;
    /// the file-order column is released.
    private static func gather<T>(_ column: inout [T], by order: [Int32], _ transform: (T) -> T = { $0 }) -> [T] {
        let rows = column
        column = []
        return rows.withUnsafeBufferPointer { rows in
            order.withUnsafeBufferPointer { order in
                [T](unsafeUninitializedCapacity: order.count) { out, count in
                    for i in order.indices { (out.baseAddress! + i).initialize(to: transform(rows[Int(order[i])])) }
                    count = order.count
                }
            }
        }
    }

    /// Each order's items, in grouped order and renumbered by `rank`; the
    /// file-order lists are released.
    private static func groupedItems(start: inout [Int32], ids: inout [Int32], order: [Int32],
                                     rank: [Int32]) -> (start: [Int32], ids: [Int32]) {
        let oldStart = start, oldIDs = ids
        start = []
        ids = []
        return oldStart.withUnsafeBufferPointer { oldStart in
            oldIDs.withUnsafeBufferPointer { oldIDs in
                rank.withUnsafeBufferPointer { rank in
                    order.withUnsafeBufferPointer { order in
                        let newStart = [Int32](unsafeUninitializedCapacity: order.count + 1) { out, count in
                            out[0] = 0
                            var total = 0
                            for (i, row) in order.enumerated() {
                                total += Int(oldStart[Int(row) + 1] - oldStart[Int(row)])
                                out[i + 1] = Int32(total)
                            }
                            count = order.count + 1
                        }
                        let newIDs = [Int32](unsafeUninitializedCapacity: oldIDs.count) { out, count in
                            var j = 0
                            for row in order {
                                for k in Int(oldStart[Int(row)])..<Int(oldStart[Int(row) + 1]) {
                                    out[j] = rank[Int(oldIDs[k])]
                                    j += 1
                                }
                            }
                            count = j
                        }
                        return (newStart, newIDs)
                    }
                }
            }
        }
    }

    /// For each interned id, its rank among the keys sorted by bytes.
    private static func ranks(of interner: ByteInterner) -> [Int32] {
        var rank = [Int32](repeating: 0, count: interner.count)
        for (r, id) in interner.idsSortedByBytes().enumerated() { rank[Int(id)] = Int32(r) }
        return rank
    }

    private static func sortedStrings(_ interner: ByteInterner) -> [String] {
        interner.idsSortedByBytes().map { interner.string($0) }
    }
}

// MARK: - Grouping

/// Orders grouped by customer and sorted by time within each customer.
///
/// A counting sort by customer keeps file order within each group; each
/// group is then sorted by (date, seconds), ties kept in file order. Groups
/// are small and usually already in order, so this is close to linear.
struct OrderGrouping {
    /// `start[c] ..< start[c + 1]` are customer `c`'s orders; `customerCount + 1` entries.
    let start: [Int32]
    /// Original row of each position in the grouped table.
    let order: [Int32]

    init(customer: [Int32], date: [Int32], seconds: [Int32], customerCount: Int) {
        var start = [Int32](repeating: 0, count: customerCount + 1)
        for c in customer { start[Int(c) + 1] += 1 }
        for c in 0..<customerCount { start[c + 1] += start[c] }
        var next = start
        var order = [Int32](repeating: 0, count: customer.count)
        for (row, c) in customer.enumerated() {
            order[Int(next[Int(c)])] = Int32(row)
            next[Int(c)] += 1
        }
        date.withUnsafeBufferPointer { date in
            seconds.withUnsafeBufferPointer { seconds in
                func precedes(_ a: Int32, _ b: Int32) -> Bool {
                    let da = date[Int(a)], db = date[Int(b)]
                    if da != db { return da < db }
                    let sa = seconds[Int(a)], sb = seconds[Int(b)]
                    if sa != sb { return sa < sb }
                    return a < b
                }
                order.withUnsafeMutableBufferPointer { order in
                    for c in 0..<customerCount {
                        let lo = Int(start[c]), hi = Int(start[c + 1])
                        guard hi - lo > 1 else { continue }
                        var sorted = true
                        for i in (lo + 1)..<hi where precedes(order[i], order[i - 1]) {
                            sorted = false
                            break
                        }
                        if !sorted { order[lo..<hi].sort(by: precedes) }
                    }
                }
            }
        }
        self.start = start
        self.order = order
    }

    /// The customer of each row of the grouped table, read off `start`.
    var customerOfEachRow: [Int32] {
        var customer = [Int32](repeating: 0, count: order.count)
        for c in 0..<(start.count - 1) {
            for row in Int(start[c])..<Int(start[c + 1]) { customer[row] = Int32(c) }
        }
        return customer
    }

    /// Rearranges a column from file order into grouped order, in place, by
    /// following the permutation's cycles: a gathered copy would add the
    /// biggest column again at the peak of a load.
    func permute<T>(_ column: inout [T]) {
        var seen = [UInt64](repeating: 0, count: (order.count + 63) / 64)
        seen.withUnsafeMutableBufferPointer { done in
            order.withUnsafeBufferPointer { order in
                column.withUnsafeMutableBufferPointer { a in
                    for i in 0..<a.count where done[i >> 6] & (1 << UInt64(i & 63)) == 0 {
                        let first = a[i]
                        var j = i
                        while true {
                            done[j >> 6] |= 1 << UInt64(j & 63)
                            let k = Int(order[j])
                            if k == i {
                                a[j] = first
                                break
                            }
                            a[j] = a[k]
                            j = k
                        }
                    }
                }
            }
        }
    }
}
