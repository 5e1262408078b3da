import Foundation
/// Loads an orders file into an `OrderTable`, grouped by customer.
///
/// Built for a million orders: cells are checked as bytes, ids are found in
/// byte-keyed tables, repeated text is interned, and grouping is a counting
/// sort by customer, so no per-order tuples are ever sorted.
struct OrderLoader<Source: RecordSource> {
    private var source: Source
    private let customers: CustomerTable
    private let options: LoadOptions
    private let diagnostics: DataDiagnostics

    static var requiredColumns: [String] { ["order_id", "customer_id", "ordered_at", "amount"] }

    /// Optional columns whose type is known without looking at them.
    private static var knownTypes: [String: PerkType] {
        ["store": .text, "channel": .text, "coupon_code": .text, "discount": .number]
    }

    init(source: Source, path: String, customers: CustomerTable, options: LoadOptions) {
        self.source = source
        self.customers = customers
        self.options = options
        diagnostics = DataDiagnostics(path: path, bytes: source.bytes)
    }

    /// A column stored in `OrderTable.columns`.
    private struct Column {
        var index: Int
        var name: String
        var type: PerkType
        var isInferred: Bool
        /// Text is interned: one id per order and each distinct text once.
        var isText: Bool { type == .text }
    }

    /// Where the required columns are.
    private struct Layout {
        var orderID: Int
        var customerID: Int
        var orderedAt: Int
        var amount: Int
        var items: Int?
    }

    mutating func load() -> (OrderTable?, LoadReport) {
        var report = LoadReport()
        let headerProblems = HeaderCheck.problems(of: source, what: "order_id,customer_id,ordered_at,amount", with: diagnostics)
        if !headerProblems.isEmpty {
            report.diagnostics = headerProblems
            return (nil, report)
        }
        let names = source.columnNames
        let missing = Self.requiredColumns.filter { !names.contains($0) }
        if !missing.isEmpty {
            report.diagnostics.append(missingColumns(missing))
            return (nil, report)
        }
        func index(_ name: String) -> Int { names.firstIndex(of: name) ?? 0 }
        let layout = Layout(orderID: index("order_id"), customerID: index("customer_id"), orderedAt: index("ordered_at"),
                            amount: index("amount"), items: names.firstIndex(of: "items"))

        let declared = options.schema?.orderColumns ?? [:]
        report.diagnostics += HeaderCheck.absentDeclarations(declared, in: source, prefix: "orders.", with: diagnostics)
        let fixed = Set(Self.requiredColumns + ["items"])
        var columns = names.indices.filter { !fixed.contains(names[$0]) }.map { i -> Column in
            let type = declared[names[i]] ?? Self.knownTypes[names[i]]
            return Column(index: i, name: names[i], type: type ?? .text, isInferred: type == nil)
        }
        var fatal: [Diagnostic] = []
        var T = Date()
        inferTypes(of: &columns, fatal: &fatal)
        print("infer", Date().timeIntervalSince(T)); T = Date()

        var bad = BadRowCollector(skipBadRows: options.skipBadRows)
        let orders = readRows(layout: layout, columns: columns, bad: &bad, fatal: &fatal, report: &report)
        print("rows", Date().timeIntervalSince(T)); T = Date()
        defer { print("table", Date().timeIntervalSince(T)) }

        report.diagnostics += fatal
        report.guestOrders = orders.guests
        report.unknownCustomerOrders = orders.unknownCustomers
        if orders.guests > 0, let first = orders.firstGuest { report.diagnostics.append(guestWarning(orders.guests, at: first)) }
        if orders.unknownCustomers > 0 { report.diagnostics.append(unknownCustomerWarning(orders)) }
        let failed = bad.finish(into: &report, with: diagnostics)
        if failed || !fatal.isEmpty { return (nil, report) }
        if report.ordersRead == 0 {
            report.diagnostics.append(diagnostics.warning(.noRows, "\(diagnostics.path) has a header but no orders",
                                                          at: source.headerLocation))
        }
        return (orders.table(source: diagnostics.path, customerCount: customers.count, columns: columns.map { ($0.name, $0.type) }),
                report)
    }

    // MARK: Header

    private func missingColumns(_ missing: [String]) -> Diagnostic {
        let names = source.columnNames
        let suggestions = missing.compactMap { name in
            NameSuggestion.closest(to: name, among: names).map { "`\($0)` for \(name)" }
        }
        let list = missing.joined(separator: ", ")
        return diagnostics.error(
            .missingColumn,
            "\(diagnostics.path) is missing the required \(missing.count == 1 ? "column" : "columns") \(list)",
            at: source.headerLocation,
            notes: ["the columns are: \(HeaderCheck.headerList(names))",
                    "orders need order_id, customer_id, ordered_at and amount"],
            help: suggestions.isEmpty ? "add the missing columns to the header and fill them in"
                : "did you mean \(suggestions.joined(separator: ", "))? rename them to the required names")
    }

    // MARK: Types

    private mutating func inferTypes(of columns: inout [Column], fatal: inout [Diagnostic]) {
        let toInfer = columns.indices.filter { columns[$0].isInferred }
        guard !toInfer.isEmpty else { return }
        var inferrers = toInfer.map { ColumnTypeInferrer(columnName: columns[$0].name) }
        var row = RawRow()
        let bytes = source.bytes
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while source.next(into: &row) {
                if row.isMisaligned { continue }
                for (k, c) in toInfer.enumerated() {
                    let cell = row.cells[columns[c].index]
                    cells.withValue(of: cell) { inferrers[k].observe(bytes: $0, at: row.location(of: cell)) }
                }
            }
        }
        source.rewind()
        for (k, c) in toInfer.enumerated() {
            let inferred = inferrers[k].result
            columns[c].type = inferred.type
            if let problem = inferred.problem, problem.kind == .tierOutsideDefaultOrder {
                fatal.append(diagnostics.error(
                    .undeclaredTier,
                    "tier \(CellMessages.shown(problem.text)) is not one of MEMBER, SILVER, GOLD, VIP, so Perk does not know how it ranks",
                    at: problem.location,
                    help: "declare the order in a schema file, like `orders.tier: enum MEMBER < SILVER < GOLD < VIP`"))
            }
        }
    }

    // MARK: Warnings

    private func guestWarning(_ count: Int, at location: CellLocation) -> Diagnostic {
        let orders = count == 1 ? "1 order has" : "\(count) orders have"
        return diagnostics.warning(
            .guestOrders, "\(orders) no customer_id (guest orders); they are counted but left out of customer profiles",
            at: location)
    }

    private func unknownCustomerWarning(_ orders: Orders) -> Diagnostic {
        let count = orders.unknownCustomers
        let customersFile = customers.source
        let head = count == 1 ? "1 order names a customer who is" : "\(count) orders name customers who are"
        let notes = orders.unknownExamples.map {
            "\(diagnostics.path):\($0.line): order \($0.orderID) names customer \($0.customerID), who is not in \(customersFile)"
        }
        let more = count > orders.unknownExamples.count ? ["and \(count - orders.unknownExamples.count) more"] : []
        return diagnostics.warning(
            .unknownCustomers, "\(head) not in \(customersFile); these orders are left out",
            at: orders.unknownExamples.first?.location ?? source.headerLocation, notes: notes + more,
            help: "add the customers to \(customersFile), or check the ids in \(diagnostics.path) for typos")
    }

    // MARK: Rows

    private struct UnknownCustomerExample {
        var line: Int
        var orderID: String
        var customerID: String
        var location: CellLocation
    }

    /// Orders that passed every check, in file order, plus what was left out.
    private struct Orders {
        var customer: [Int32] = []
        var date: [Int32] = []
        var seconds: [Int32] = []
        var amount: [Number] = []
        var lines: [Int32] = []
        var itemStart: [Int32] = [0]
        /// Ids into `items`, in order of first appearance until `table` sorts them.
        var itemIDs: [Int32] = []
        var items = ByteInterner()
        var text: [ByteInterner]
        var textIDs: [[Int32]]
        var values: [[Value]]

        var guests = 0
        var firstGuest: CellLocation?
        var unknownCustomers = 0
        var unknownExamples: [UnknownCustomerExample] = []

        init(columns: [Column], expectedCount n: Int) {
            text = Array(repeating: ByteInterner(), count: columns.count)
            textIDs = columns.map { column in
                var ids: [Int32] = []
                if column.isText { ids.reserveCapacity(n) }
                return ids
            }
            values = columns.map { column in
                var values: [Value] = []
                if !column.isText { values.reserveCapacity(n) }
                return values
            }
            customer.reserveCapacity(n)
            date.reserveCapacity(n)
            seconds.reserveCapacity(n)
            amount.reserveCapacity(n)
            lines.reserveCapacity(n)
            itemStart.reserveCapacity(n + 1)
        }

        var count: Int { date.count }

        func table(source: String, customerCount: Int, columns: [(name: String, type: PerkType)]) -> OrderTable {
            let grouping = OrderGrouping(customer: customer, date: date, seconds: seconds, customerCount: customerCount)
            let order = grouping.order
            func gather<T>(_ a: [T]) -> [T] { order.map { a[Int($0)] } }

            let itemRank = Self.ranks(of: items)
            var newItemStart: [Int32] = [0]
            newItemStart.reserveCapacity(count + 1)
            var newItemIDs: [Int32] = []
            newItemIDs.reserveCapacity(itemIDs.count)
            for row in order {
                for k in Int(itemStart[Int(row)])..<Int(itemStart[Int(row) + 1]) { newItemIDs.append(itemRank[Int(itemIDs[k])]) }
                newItemStart.append(Int32(newItemIDs.count))
            }

            let tableColumns = columns.indices.map { c -> OrderColumn in
                if columns[c].type == .text {
                    let rank = Self.ranks(of: text[c])
                    let ids = order.map { row -> Int32 in
                        let id = textIDs[c][Int(row)]
                        return id < 0 ? -1 : rank[Int(id)]
                    }
                    return OrderColumn(name: columns[c].name, type: .text,
                                       storage: .text(ids: ids, names: Self.sortedStrings(text[c])))
                }
                return OrderColumn(name: columns[c].name, type: columns[c].type, storage: .values(gather(values[c])))
            }
            return OrderTable(source: source, start: grouping.start, customer: gather(customer), date: gather(date),
                              seconds: gather(seconds), amount: gather(amount), itemStart: newItemStart,
                              itemIDs: newItemIDs, itemNames: Self.sortedStrings(items), columns: tableColumns,
                              lines: gather(lines))
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

    private enum Buyer {
        case guest
        case unknown
        case known(Int32)
    }

    private mutating func readRows(layout: Layout, columns: [Column], bad: inout BadRowCollector,
                                   fatal: inout [Diagnostic], report: inout LoadReport) -> Orders {
        let expected = source.estimatedRowCount
        var orders = Orders(columns: columns, expectedCount: expected)
        var orderIDs = ByteInterner(capacity: expected, bytesPerKey: 12)
        var firstLineOfOrder: [Int32] = []
        firstLineOfOrder.reserveCapacity(expected)
        var customerKeys = ByteInterner(capacity: customers.count)
        var rowOfCustomerKey: [Int32] = []
        rowOfCustomerKey.reserveCapacity(customers.count)
        for (row, id) in customers.ids.enumerated() where customerKeys.intern(id).isNew {
            rowOfCustomerKey.append(Int32(row))
        }
        var scratch = [Value](repeating: .missing, count: columns.count)
        var row = RawRow()
        let bytes = source.bytes
        let diagnostics = self.diagnostics

        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while source.next(into: &row) {
                report.ordersRead += 1
                if EXP == 1 { continue }
                bad.startRow()
                bad.reportStructure(of: row, with: diagnostics, fatal: &fatal)
                if row.isMisaligned { continue }

                func fail(_ code: DataCode, _ message: String, _ cell: RawCell, notes: [String] = [], help: String? = nil) {
                    bad.report(row: row.startLocation) {
                        diagnostics.error(code, message, at: row.location(of: cell), notes: notes, help: help)
                    }
                }

                // order_id: present and unique.
                let orderCell = row.cells[layout.orderID]
                cells.withValue(of: orderCell) { id in
                    if id.isEmpty {
                        fail(.emptyRequired, "order_id is empty: every order needs an id", orderCell)
                        return
                    }
                    let (key, isNew) = orderIDs.intern(id)
                    if isNew {
                        firstLineOfOrder.append(Int32(clamping: row.line))
                    } else {
                        let first = firstLineOfOrder[Int(key)]
                        fail(.duplicateOrder, "order \(CellMessages.shown(String(decoding: id, as: UTF8.self))) appears twice",
                             orderCell, notes: ["it first appears on line \(first)"],
                             help: "each order needs its own order_id; remove the repeated row or fix the id")
                    }
                }

                if EXP == 2 { continue }
                // customer_id: empty for a guest, else one of the customers.
                let customerCell = row.cells[layout.customerID]
                let buyer: Buyer = cells.withValue(of: customerCell) { id in
                    if id.isEmpty { return .guest }
                    guard let key = customerKeys.id(of: id) else { return .unknown }
                    return .known(rowOfCustomerKey[Int(key)])
                }

                if EXP == 3 { continue }
                // ordered_at: a date, or a local date and time.
                let timeCell = row.cells[layout.orderedAt]
                var day: Int32 = 0, seconds: Int32 = -1
                cells.withValue(of: timeCell) { text in
                    if text.isEmpty {
                        fail(.emptyRequired, "ordered_at is empty: every order needs a date", timeCell)
                        return
                    }
                    switch CellParser.dateOrDateTime(text) {
                    case .success(let time):
                        day = time.day
                        seconds = time.seconds
                    case .failure(let failure):
                        let value = CellMessages.shown(String(decoding: text, as: UTF8.self))
                        if case .impossible(let reason) = failure {
                            let what = text.count == 10 ? "a date" : "a date and time"
                            fail(.impossibleDate, "ordered_at \(value) is not \(what): \(reason)", timeCell)
                        } else {
                            fail(.badValue, "ordered_at \(value) is not a date or a date and time", timeCell,
                                 help: "write YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], like 2025-03-01 or 2025-03-01 14:30")
                        }
                    }
                }

                // amount: an exact decimal, not below zero.
                let amountCell = row.cells[layout.amount]
                var amount = Number.zero
                cells.withValue(of: amountCell) { text in
                    if text.isEmpty {
                        fail(.emptyRequired, "amount is empty: every order needs an amount", amountCell)
                        return
                    }
                    switch CellParser.number(text) {
                    case .success(let n) where n.isNegative:
                        fail(.negativeAmount,
                             "amount \(String(decoding: text, as: UTF8.self)) is negative: an order amount cannot be below zero",
                             amountCell, help: "for a refund, lower or remove the original order instead")
                    case .success(let n):
                        amount = n
                    case .failure(let failure):
                        let p = CellMessages.problem(column: "amount", text: String(decoding: text, as: UTF8.self),
                                                     type: .number, failure: failure)
                        fail(p.code, p.message, amountCell, help: p.help)
                    }
                }

                // Other columns: text is interned once the row is known good.
                for (c, column) in columns.enumerated() {
                    let cell = row.cells[column.index]
                    if cell.encoding == .list {
                        fail(.badValue, "\(column.name) holds a list, but only items may", cell)
                        continue
                    }
                    if column.isText { continue }
                    switch cells.withValue(of: cell, { CellConversion.value($0, as: column.type) }) {
                    case .success(let value):
                        scratch[c] = value
                    case .failure(let failure):
                        let p = CellMessages.problem(column: column.name, text: cells.text(of: cell),
                                                     type: column.type, failure: failure)
                        fail(p.code, p.message, cell, help: p.help)
                    }
                }

                if bad.currentRowIsBad || EXP == 4 { continue }
                let customerRow: Int32
                switch buyer {
                case .guest:
                    orders.guests += 1
                    if orders.firstGuest == nil { orders.firstGuest = row.location(of: customerCell) }
                    continue
                case .unknown:
                    orders.unknownCustomers += 1
                    if orders.unknownExamples.count < 3 {
                        orders.unknownExamples.append(UnknownCustomerExample(
                            line: row.line, orderID: cells.text(of: orderCell), customerID: cells.text(of: customerCell),
                            location: row.location(of: customerCell)))
                    }
                    continue
                case .known(let r):
                    customerRow = r
                }

                orders.customer.append(customerRow)
                orders.date.append(day)
                orders.seconds.append(seconds)
                orders.amount.append(amount)
                orders.lines.append(Int32(clamping: row.line))
                if let itemsColumn = layout.items {
                    Self.appendItems(of: row.cells[itemsColumn], cells: cells, to: &orders)
                }
                orders.itemStart.append(Int32(orders.itemIDs.count))
                for (c, column) in columns.enumerated() {
                    if column.isText {
                        let id = cells.withValue(of: row.cells[column.index]) { text in
                            text.isEmpty ? -1 : orders.text[c].intern(text).id
                        }
                        orders.textIDs[c].append(id)
                    } else {
                        orders.values[c].append(scratch[c])
                    }
                }
            }
        }
        return orders
    }

    /// `Oolong; Jasmine Tea` (or a JSON list): trimmed, empty parts dropped.
    private static func appendItems(of cell: RawCell, cells: CellValues, to orders: inout Orders) {
        if cell.encoding == .list {
            for var item in cells.listItems(of: cell) {
                item.withUTF8 { bytes in
                    let name = CellParser.trimmed(bytes)
                    if !name.isEmpty { orders.itemIDs.append(orders.items.intern(name).id) }
                }
            }
            return
        }
        cells.withValue(of: cell) { text in
            var start = 0
            for i in 0...text.count where i == text.count || text[i] == UInt8(ascii: ";") {
                let name = CellParser.trimmed(UnsafeBufferPointer(rebasing: text[start..<i]))
                if !name.isEmpty { orders.itemIDs.append(orders.items.intern(name).id) }
                start = i + 1
            }
        }
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
}

let EXP = Int(ProcessInfo.processInfo.environment["EXP"] ?? "0") ?? 0
