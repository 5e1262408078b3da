/// Loads an orders file into an `OrderTable`, grouped by customer.
///
/// Built for a million orders: cells are checked as bytes, ids are found in
/// byte-keyed tables, repeated text is interned, and grouping is a counting
/// sort by customer, so no per-order tuples are ever sorted.
struct OrderLoader<Source: RecordSource> {
    private var source: Source
    private let customers: CustomerTable
    private let options: LoadOptions
    private let sample: ColumnSample
    private let diagnostics: DataDiagnostics

    static var requiredColumns: [String] { ["order_id", "customer_id", "ordered_at", "amount"] }

    /// Rows are read this many at a time: looking up a whole batch's ids in one
    /// tight loop lets the processor wait for several table slots at once, where
    /// a loop over whole rows would wait for each in turn.
    private static var batchSize: Int { 32 }

    /// Where the columns with fixed meanings are, and how each other column is
    /// stored: its declared or known type, or the type the sample proposes.
    static func plan(columnNames names: [String], options: LoadOptions,
                     sample: ColumnSample) -> (layout: OrderLayout, columns: [OrderColumnPlan]) {
        let declared = options.schema?.orderColumns ?? [:]
        func index(_ name: String) -> Int { names.firstIndex(of: name) ?? 0 }
        let layout = OrderLayout(orderID: index("order_id"), customerID: index("customer_id"), orderedAt: index("ordered_at"),
                                 amount: index("amount"), items: names.firstIndex(of: "items"))
        let fixed = Set(requiredColumns + ["items"])
        let columns = names.indices.filter { !fixed.contains(names[$0]) }.map { i -> OrderColumnPlan in
            let (type, origin) = ColumnTyping.type(of: names[i], declared: declared, known: ColumnTyping.knownOrderTypes,
                                                   sample: sample)
            let strict = ColumnTyping.isStrict(names[i], origin: origin, standard: false, named: options.namedColumns.orders)
            return OrderColumnPlan(index: i, name: names[i], type: type, origin: origin, isStrict: strict,
                                   isTyped: strict || options.orderFields.includes(names[i]))
        }
        return (layout, columns)
    }

    init(source: Source, path: String, customers: CustomerTable, options: LoadOptions, sample: ColumnSample? = nil) {
        self.source = source
        self.customers = customers
        self.options = options
        self.sample = sample ?? source.sample
        diagnostics = DataDiagnostics(path: path, bytes: source.bytes)
    }

    mutating func load() -> (OrderTable?, LoadReport) {
        var report = LoadReport()
        if source.isEmpty, source.columnsComeFromRows {
            // A JSON Lines file with no objects holds no orders, as a CSV file
            // with a header and no rows does: the same warning, not an error.
            // Its columns would come from its rows, so they are the schema's.
            report.diagnostics.append(HeaderCheck.noRows("orders", in: source, with: diagnostics))
            let declared = options.schema?.orderColumns ?? [:]
            let (_, columns) = Self.plan(columnNames: Self.requiredColumns + declared.keys.sorted(), options: options, sample: sample)
            var rows = OrderRows(columns: columns, expectedCount: 0)
            return (rows.takeTable(source: diagnostics.path, customerCount: customers.count, columns: columns), report)
        }
        let names = source.columnNames
        let absent = Self.requiredColumns.filter { !names.contains($0) }
        let missing = absent.isEmpty ? nil : missingColumns(absent)
        report.diagnostics = HeaderCheck.refusal(&source, example: "order_id,customer_id,ordered_at,amount", missing: missing,
                                                 with: diagnostics)
        guard report.diagnostics.isEmpty else { return (nil, report) }
        let declared = options.schema?.orderColumns ?? [:]
        report.diagnostics += HeaderCheck.absentDeclarations(declared, in: source, prefix: "orders.", with: diagnostics)
        var (layout, columns) = Self.plan(columnNames: names, options: options, sample: sample)
        let fatal = columns.compactMap { column in
            ColumnTyping.undeclaredTier(column.name, origin: column.origin, sample: sample).map {
                CellMessages.undeclaredTier($0, declaration: "orders." + column.name, with: diagnostics)
            }
        }
        report.diagnostics += ConformancePass.conform(&source, &columns, prefix: "orders.", with: diagnostics)

        var checker = OrderRowChecker(layout: layout, columns: columns, customers: customers,
                                      expectedCount: source.estimatedRowCount, diagnostics: diagnostics,
                                      skipBadRows: options.skipBadRows, batchSize: Self.batchSize, fields: options.orderFields)
        readRows(into: &checker)
        var orders = checker.takeRows()

        report.ordersRead = checker.ordersRead
        report.diagnostics += fatal + checker.fatal
        let failed = checker.bad.finish(into: &report, with: diagnostics, rowsRead: checker.ordersRead, what: "orders")
        report.guestOrders = orders.guests
        report.latestOrderDate = orders.latestDay.map(LocalDate.init(day:))
        report.unknownCustomerOrders = orders.unknownCustomers
        if orders.guests > 0, let first = orders.firstGuest {
            report.diagnostics.append(OrderWarnings.guests(orders.guests, at: first, with: diagnostics))
        }
        if orders.unknownCustomers > 0 {
            report.diagnostics.append(OrderWarnings.unknownCustomers(
                orders, at: orders.unknownExamples.first?.location ?? source.headerLocation,
                customersFile: customers.source, with: diagnostics))
        }
        if failed || !fatal.isEmpty || !checker.fatal.isEmpty { return (nil, report) }
        if report.ordersRead == 0 {
            report.diagnostics.append(HeaderCheck.noRows("orders", in: source, with: diagnostics))
        }
        return (orders.takeTable(source: diagnostics.path, customerCount: customers.count, columns: columns), report)
    }

    private mutating func readRows(into checker: inout OrderRowChecker) {
        var batch = [RawRow](repeating: RawRow(), count: Self.batchSize)
        var lookups = [OrderLookup](repeating: OrderLookup(), count: Self.batchSize)
        let bytes = source.bytes
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            var more = true
            while more {
                var count = 0
                while count < batch.count, source.next(into: &batch[count]) { count += 1 }
                more = count == batch.count
                checker.lookUp(batch, count: count, cells: cells, into: &lookups)
                for k in 0..<count {
                    checker.check(batch[k], lookup: lookups[k], cells: cells)
                }
            }
        }
    }

    // MARK: Header

    private func missingColumns(_ missing: [String]) -> Diagnostic {
        let names = source.columnNames
        let suggestions = missing.compactMap { name in
            Suggest.closest(to: name, among: names).map { "`\($0)` for \(name)" }
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
}

// MARK: - Plan

/// A column stored in `OrderTable.columns`.
struct OrderColumnPlan: ColumnPlan {
    var index: Int
    var name: String
    var type: PerkType { didSet { isText = type == .text } }
    var origin: ColumnTypeOrigin
    var isStrict: Bool
    /// False for a column the command leaves out of the table that no rule
    /// names and no schema declares: nothing will read its cells, so they
    /// are not converted (see `ColumnPlan.isTyped`).
    var isTyped: Bool
    /// Text is interned: one id per order and each distinct text once. Kept
    /// beside `type`, as comparing types for every cell costs more than the cell.
    private(set) var isText: Bool

    init(index: Int, name: String, type: PerkType, origin: ColumnTypeOrigin, isStrict: Bool, isTyped: Bool = true) {
        self.index = index
        self.name = name
        self.type = type
        self.origin = origin
        self.isStrict = isStrict
        self.isTyped = isTyped
        isText = type == .text
    }
}

/// Where the columns with fixed meanings are.
struct OrderLayout {
    var orderID: Int
    var customerID: Int
    var orderedAt: Int
    var amount: Int
    var items: Int?
}

/// What a row's ids were found to be, looked up a batch at a time.
private struct OrderLookup {
    enum Buyer {
        case guest
        case unknown
        case known(Int32)
    }

    var buyer = Buyer.guest
    /// The key of the order id when an earlier batch had it, or -1.
    var earlierOrderKey: Int32 = -1
}

// MARK: - Checking rows

/// Checks order rows one at a time, keeps the good ones and counts the rest.
private struct OrderRowChecker {
    let layout: OrderLayout
    let columns: [OrderColumnPlan]
    let diagnostics: DataDiagnostics
    private(set) var rows: OrderRows
    private(set) var bad: BadRowCollector
    private(set) var fatal: [Diagnostic] = []
    private(set) var ordersRead = 0

    private var orderIDs: ByteInterner
    private var firstLineOfOrder: [Int32] = []
    private var customerKeys: ByteInterner
    private var rowOfCustomerKey: [Int32] = []
    /// One converted value per non-text column of the current row.
    private var scratch: [Value]
    private var converter = CellConverter()
    private var amounts = DecimalCache()
    // Per-batch scratch for `lookUp`.
    private var customerProbes: [ByteInterner.Probe]
    private var orderProbes: [ByteInterner.Probe]
    private var customerSlots: [UInt64]
    private var orderSlots: [UInt64]

    init(layout: OrderLayout, columns: [OrderColumnPlan], customers: CustomerTable, expectedCount: Int,
         diagnostics: DataDiagnostics, skipBadRows: Bool, batchSize: Int, fields: OrderFieldSelection) {
        customerProbes = Array(repeating: ByteInterner.Probe(), count: batchSize)
        orderProbes = customerProbes
        customerSlots = Array(repeating: 0, count: batchSize)
        orderSlots = customerSlots
        self.layout = layout
        self.columns = columns
        self.diagnostics = diagnostics
        // The fields kept are those the parallel loader keeps, so a table
        // never depends on which loader made it.
        rows = OrderRows(columns: columns, expectedCount: expectedCount, fields: fields)
        bad = BadRowCollector(skipBadRows: skipBadRows)
        orderIDs = ByteInterner(capacity: expectedCount, bytesPerKey: 12)
        firstLineOfOrder.reserveCapacity(expectedCount)
        customerKeys = ByteInterner(capacity: customers.count)
        rowOfCustomerKey.reserveCapacity(customers.count)
        for (row, id) in customers.ids.enumerated() where customerKeys.intern(id).isNew {
            rowOfCustomerKey.append(Int32(row))
        }
        scratch = [Value](repeating: .missing, count: columns.count)
    }

    /// Finds the customers and earlier order ids of a batch of rows. Each
    /// step runs over the whole batch, so the table loads of different rows
    /// overlap (see `ByteInterner.firstSlots`).
    mutating func lookUp(_ batch: [RawRow], count: Int, cells: CellValues, into lookups: inout [OrderLookup]) {
        for k in 0..<count where !batch[k].isMisaligned {
            customerProbes[k] = cells.withValue(of: batch[k].cells[layout.customerID]) { ByteInterner.Probe($0) }
            orderProbes[k] = cells.withValue(of: batch[k].cells[layout.orderID]) { ByteInterner.Probe($0) }
        }
        customerKeys.firstSlots(of: customerProbes, count: count, into: &customerSlots)
        orderIDs.firstSlots(of: orderProbes, count: count, into: &orderSlots)
        for k in 0..<count where !batch[k].isMisaligned {
            let row = batch[k]
            lookups[k].buyer = cells.withValue(of: row.cells[layout.customerID]) { id in
                if id.isEmpty { return .guest }
                guard let key = customerKeys.id(of: id, probe: customerProbes[k], firstSlot: customerSlots[k]) else {
                    return .unknown
                }
                return .known(rowOfCustomerKey[Int(key)])
            }
            lookups[k].earlierOrderKey = cells.withValue(of: row.cells[layout.orderID]) {
                orderIDs.id(of: $0, probe: orderProbes[k], firstSlot: orderSlots[k]) ?? -1
            }
        }
    }

    /// The rows kept, moved out so the table can release them column by column.
    mutating func takeRows() -> OrderRows {
        rows.take()
    }

    mutating func check(_ row: RawRow, lookup: OrderLookup, cells: CellValues) {
        ordersRead += 1
        bad.startRow()
        bad.reportStructure(of: row, with: diagnostics, fatal: &fatal)
        if row.isMisaligned { return }
        if let (name, cell) = listInRequiredColumn(row) {
            fail(row, .badValue, "\(name) holds a list, but only items may", cell)
            return
        }

        checkOrderID(row, lookup.earlierOrderKey, cells)
        let time = orderedAt(row, cells)
        let amount = amount(row, cells)
        convertOtherColumns(row, cells)
        if bad.currentRowIsBad { return }

        // The shop's last day of data counts every readable order, guests' too.
        rows.latestDay = max(rows.latestDay ?? time.day, time.day)
        let customerCell = row.cells[layout.customerID]
        switch lookup.buyer {
        case .guest:
            rows.guests += 1
            if rows.firstGuest == nil { rows.firstGuest = row.location(of: customerCell) }
        case .unknown:
            rows.unknownCustomers += 1
            if rows.unknownExamples.count < 3 {
                rows.unknownExamples.append(UnknownCustomerExample(
                    line: row.line, orderID: cells.text(of: row.cells[layout.orderID]), customerID: cells.text(of: customerCell),
                    location: row.location(of: customerCell)))
            }
        case .known(let customer):
            rows.append(customer: customer, time: time, amount: amount, line: row.line, cells: row.cells, converted: scratch,
                        layout: layout, file: cells)
        }
    }

    // MARK: Cells

    /// A JSON list where one value is needed; checked without building anything.
    private func listInRequiredColumn(_ row: RawRow) -> (String, RawCell)? {
        if row.cells[layout.orderID].encoding == .list { return ("order_id", row.cells[layout.orderID]) }
        if row.cells[layout.customerID].encoding == .list { return ("customer_id", row.cells[layout.customerID]) }
        if row.cells[layout.orderedAt].encoding == .list { return ("ordered_at", row.cells[layout.orderedAt]) }
        if row.cells[layout.amount].encoding == .list { return ("amount", row.cells[layout.amount]) }
        return nil
    }

    private mutating func fail(_ row: RawRow, _ code: DataCode, _ message: String, _ cell: RawCell,
                               notes: [String] = [], help: String? = nil, mistake: CellMistakeSighting? = nil) {
        let diagnostics = self.diagnostics
        bad.report(row: row.startLocation, mistake: mistake) {
            diagnostics.error(code, message, at: row.location(of: cell), notes: notes, help: help)
        }
    }

    /// order_id: present and unique.
    private mutating func checkOrderID(_ row: RawRow, _ earlierKey: Int32, _ cells: CellValues) {
        let cell = row.cells[layout.orderID]
        cells.withValue(of: cell) { id in
            if id.isEmpty {
                fail(row, .emptyRequired, "order_id is empty: every order needs an id", cell)
                return
            }
            let (key, isNew) = earlierKey >= 0 ? (earlierKey, false) : orderIDs.intern(id)
            if isNew {
                firstLineOfOrder.append(Int32(clamping: row.line))
            } else {
                fail(row, .duplicateOrder, "order \(CellMessages.shown(String(decoding: id, as: UTF8.self))) appears twice",
                     cell, notes: ["it first appears on line \(firstLineOfOrder[Int(key)])"],
                     help: "each order needs its own order_id; remove the repeated row or fix the id")
            }
        }
    }

    /// ordered_at: a date, or a local date and time; seconds are -1 for a date.
    private mutating func orderedAt(_ row: RawRow, _ cells: CellValues) -> (day: Int32, seconds: Int32) {
        let cell = row.cells[layout.orderedAt]
        return cells.withValue(of: cell) { value in
            let text = CellParser.trimmed(value)
            switch OrderCells.orderedAt(value) {
            case .success(let time):
                return time
            case .failure(.empty):
                fail(row, .emptyRequired, "ordered_at is empty: every order needs a date", cell)
            case .failure(.negative):
                break  // only amounts can be negative
            case .failure(.invalid(.impossible(let reason))):
                let what = text.count == 10 ? "a date" : "a date and time"
                fail(row, .impossibleDate, "ordered_at \(CellMessages.shown(String(decoding: text, as: UTF8.self))) is not \(what): \(reason)", cell)
            case .failure(.invalid(.wrongShape)):
                let written = String(decoding: text, as: UTF8.self)
                fail(row, .badValue, "ordered_at \(CellMessages.shown(written)) is not a date or a date and time",
                     cell, help: "write YYYY-MM-DD or YYYY-MM-DD HH:MM[:SS], like 2025-03-01 or 2025-03-01 14:30",
                     mistake: CellMistake.ofDateOrDateTime(written).map {
                         CellMistakeSighting(mistake: $0, column: "ordered_at", text: written, location: row.location(of: cell))
                     })
            }
            return (0, -1)
        }
    }

    /// amount: an exact decimal, not below zero.
    private mutating func amount(_ row: RawRow, _ cells: CellValues) -> Number {
        let cell = row.cells[layout.amount]
        return cells.withValue(of: cell) { value in
            let text = CellParser.trimmed(value)
            switch OrderCells.amount(value, &amounts) {
            case .failure(.empty):
                fail(row, .emptyRequired, "amount is empty: every order needs an amount", cell)
            case .failure(.negative):
                fail(row, .negativeAmount,
                     "amount \(CellMessages.shown(String(decoding: text, as: UTF8.self))) is negative: an order amount cannot be below zero",
                     cell, help: "for a refund, lower or remove the original order instead")
            case .success(let n):
                return n
            case .failure(.invalid(let failure)):
                let written = String(decoding: text, as: UTF8.self)
                let p = CellMessages.problem(column: "amount", text: written, type: .number, failure: failure)
                fail(row, p.code, p.message, cell, help: p.help,
                     mistake: CellMistakeSighting.of(written, type: .number, failure: failure, column: "amount",
                                                     at: row.location(of: cell)))
            }
            return .zero
        }
    }

    /// Converts the non-text columns into `scratch`; text waits until the row
    /// is known good, so rows left out add no names.
    private mutating func convertOtherColumns(_ row: RawRow, _ cells: CellValues) {
        for c in columns.indices {
            let column = columns[c]
            let cell = row.cells[column.index]
            if cell.encoding == .list {
                fail(row, .badValue, "\(column.name) holds a list, but only items may", cell)
                continue
            }
            if column.isText || !column.isTyped { continue }
            switch cells.withValue(of: cell, { converter.value($0, as: column.type) }) {
            case .success(let value):
                scratch[c] = value
            case .failure(let failure):
                let text = cells.text(of: cell)
                let p = CellMessages.problem(column: column.name, text: text, type: column.type, failure: failure)
                let notes = column.origin == .sampled && failure == .wrongShape
                    ? [CellMessages.sampledNote(column: column.name, type: column.type, declaration: "orders." + column.name)] : []
                fail(row, p.code, p.message, cell, notes: notes, help: p.help,
                     mistake: CellMistakeSighting.of(text, type: column.type, failure: failure, column: column.name,
                                                     at: row.location(of: cell)))
            }
        }
    }
}

// MARK: - Warnings

/// The warnings a load gives about orders it counted but left out of profiles.
enum OrderWarnings {
    static func guests(_ count: Int, at location: CellLocation, with diagnostics: DataDiagnostics) -> Diagnostic {
        let orders = count == 1 ? "1 order has" : "\(count) orders have"
        return diagnostics.warning(
            .guestOrders, "\(orders) no customer_id (guest orders); they are counted but left out of customer profiles",
            at: location)
    }

    /// Orders naming customers not in `customersFile`, pointing at the first of them.
    static func unknownCustomers(_ orders: OrderRows, at location: CellLocation, customersFile: String,
                                 with diagnostics: DataDiagnostics) -> Diagnostic {
        let count = orders.unknownCustomers
        let head = count == 1 ? "1 order names a customer who is" : "\(count) orders name customers who are"
        let notes = orders.unknownExamples.map {
            // Shown in backticks when spaces are part of an id, as they are in quotes.
            "\(diagnostics.path):\($0.line): order \(CellMessages.shown($0.orderID)) names customer "
                + "\(CellMessages.shown($0.customerID)), who is not in \(customersFile)"
        }
        let more = count > orders.unknownExamples.count ? ["and \(count - orders.unknownExamples.count) more"] : []
        return diagnostics.warning(
            .unknownCustomers, "\(head) not in \(customersFile); these orders are left out",
            at: location, notes: notes + more,
            help: "add the customers to \(customersFile), or check the ids in \(diagnostics.path) for typos")
    }
}
