import Foundation

/// Loads a well-formed orders file, CSV or JSON Lines, with every core.
///
/// Nearly every real orders file is well formed: valid values, unique ids,
/// whatever its columns. For those, the general `OrderLoader`'s care (a row
/// of cells, a bad-row collector, a closure per cell) costs more than the
/// data itself. This loader cuts the file into one piece per core at line
/// breaks, scans each piece's bytes once on its own thread into the same
/// `OrderRows` the general loader fills, and joins the pieces in file order.
/// Fields the caller will not read (`LoadOptions.orderFields`) are checked,
/// not kept; a column nothing reads or declares is checked for its structure
/// only (`ColumnPlan.isTyped`).
///
/// It only takes the easy road: on anything else (a cell that does not fit
/// its column's type, a lone `\r`, a row that is not well formed, an order
/// id that may repeat) it steps aside, saying why (`StepAside`), and the
/// general loader reads the file again and reports exactly what it always
/// has. So results never depend on which loader ran; only the time does.
struct ParallelOrderLoader {
    let file: UnsafeBufferPointer<UInt8>
    let path: String
    let customers: CustomerTable
    let options: LoadOptions
    /// The file's first rows, which type its columns (taken from `file` when not given).
    var sample: ColumnSample?
    /// Called with ranges of the file that have been read, to free their pages.
    var release: (Range<Int>) -> Void = { _ in }
    var pieces = ProcessInfo.processInfo.activeProcessorCount

    /// Pieces smaller than this are not worth a thread.
    var minimumPieceBytes = 1 << 20
    /// CSV, or JSON Lines (one flat object a line).
    var format = DataFormat.csv

    /// The table, or nil when the general loader must read the file.
    func load() -> (OrderTable?, LoadReport)? {
        try? loadOrStepAside().get()
    }

    /// The table, or why the general loader must read the file.
    func loadOrStepAside() -> Result<(OrderTable?, LoadReport), StepAside> {
        let header: Header
        switch Header.read(file: file, path: path, format: format, options: options,
                           sample: sample ?? ColumnSample.of(file: file, format: format)) {
        case .success(let h): header = h
        case .failure(let why): return .failure(why)
        }
        var read: (rows: OrderRows, ordersRead: Int)
        switch readRows(header) {
        case .success(let r): read = r
        case .failure(let why): return .failure(why)
        }
        guard read.ordersRead > 0 else { return .failure(.noRows) }
        var report = LoadReport()
        report.ordersRead = read.ordersRead
        report.diagnostics = header.warnings
        report.guestOrders = read.rows.guests
        report.latestOrderDate = read.rows.latestDay.map(LocalDate.init(day:))
        report.unknownCustomerOrders = read.rows.unknownCustomers
        if read.rows.guests > 0, let location = read.rows.firstGuest {
            let (diagnostics, local) = diagnosticsForRow(at: location)
            report.diagnostics.append(OrderWarnings.guests(read.rows.guests, at: local, with: diagnostics))
        }
        if read.rows.unknownCustomers > 0, let location = read.rows.unknownExamples.first?.location {
            let (diagnostics, local) = diagnosticsForRow(at: location)
            report.diagnostics.append(OrderWarnings.unknownCustomers(read.rows, at: local, customersFile: customers.source,
                                                                     with: diagnostics))
        }
        return .success((read.rows.takeTable(source: path, customerCount: customers.count, columns: header.columns), report))
    }

    /// Every piece's rows, joined in file order, and how many rows there were;
    /// or why a piece left the file to the general loader. What only reading
    /// needs (the customer index, order id hashes) is gone when this returns,
    /// before the table is built.
    private func readRows(_ header: Header) -> Result<(rows: OrderRows, ordersRead: Int), StepAside> {
        let customerIndex = CustomerIndex(ids: customers.ids)

        let bounds = CleanCSV.splitPoints(of: file, from: header.end, pieces: pieces, minimumBytes: minimumPieceBytes)
        let expected = LineEstimate.lines(in: file, from: header.end)
        let firstRowLine = header.lines + 1
        func scanPieces(hashingIDs: Bool) -> [PieceScan] {
            RowScanner.scanPieces(bounds, end: { $0.completed ? $0.end : nil }) { k, range in
                // The first piece reserves room for every row, so joining the
                // others onto it copies them without moving it.
                var scan = PieceScan(file: file, layout: header.layout, columns: header.columns,
                                     scanner: header.scanner, customers: customerIndex, hashingIDs: hashingIDs,
                                     fields: options.orderFields, expectedRows: k == 0 ? expected : expected / (bounds.count - 1),
                                     release: release)
                scan.scan(range, firstLine: k == 0 ? firstRowLine : 0)
                return scan
            }
        }
        // Ids that ascend need no hashes to show they are unique. A piece
        // stops at the first id that does not; then the pieces are read
        // again, hashing every id.
        var pieces = scanPieces(hashingIDs: false)
        let stoppedOnlyAtIDs = pieces.allSatisfy { $0.completed || !$0.idsAscending }
        if stoppedOnlyAtIDs, !OrderIDs.ascendAcrossPieces(pieces) {
            pieces = []
            pieces = scanPieces(hashingIDs: true)
        }
        if let stopped = pieces.first(where: { !$0.completed }) { return .failure(stopped.stoppedAt) }
        guard OrderIDs.areUnique(pieces) else { return .failure(.repeatedID) }

        var first = pieces.removeFirst()
        first.orderHashes = []
        var ordersRead = first.ordersRead
        var lineBase = firstRowLine + first.lineBreaks
        while !pieces.isEmpty {
            var later = pieces.removeFirst()
            later.orderHashes = []
            ordersRead += later.ordersRead
            first.rows.append(&later.rows, lineBase: lineBase)
            lineBase += later.lineBreaks
        }
        return .success((first.takeRows(), ordersRead))
    }

    /// Diagnostics that can place a message in the row at `location`, with
    /// the location they understand: only that row's bytes are copied, not
    /// the whole file.
    private func diagnosticsForRow(at location: CellLocation) -> (DataDiagnostics, CellLocation) {
        var end = max(location.offset, location.rowOffset)
        while end < file.count, file[end] != UInt8(ascii: "\n"), file[end] != UInt8(ascii: "\r") { end += 1 }
        let bytes = Array(file[location.rowOffset..<end])
        let local = CellLocation(rowLine: location.rowLine, rowOffset: 0, offset: location.offset - location.rowOffset)
        return (DataDiagnostics(path: path, bytes: bytes), local)
    }
}

// MARK: - Header

extension ParallelOrderLoader {
    /// The header line (for JSON Lines, the keys of the first records) and
    /// what it says about the columns, when it is one this loader can take on.
    private struct Header {
        var layout: OrderLayout
        var columns: [OrderColumnPlan]
        /// How each piece is cut into rows of cells.
        var scanner: RowScanner
        /// Where the first row starts.
        var end: Int
        /// Lines the header takes up.
        var lines: Int
        /// Warnings about the header (a declared column the file lacks).
        var warnings: [Diagnostic]

        static func read(file: UnsafeBufferPointer<UInt8>, path: String, format: DataFormat, options: LoadOptions,
                         sample: ColumnSample) -> Result<Header, StepAside> {
            let declared = options.schema?.orderColumns ?? [:]
            let start: FileStart
            switch FileStart.read(file, path: path, format: format, sample: sample, declared: declared, prefix: "orders.") {
            case .success(let s): start = s
            case .failure(let why): return .failure(why)
            }
            let names = start.names
            guard OrderLoader<CSVSource>.requiredColumns.allSatisfy(names.contains) else { return .failure(.header) }
            let plan = OrderLoader<CSVSource>.plan(columnNames: names, options: options, sample: sample)
            // A tier with no known rank stops the load; the general loader says so.
            guard !plan.columns.contains(where: { ColumnTyping.undeclaredTier($0.name, origin: $0.origin, sample: sample) != nil })
            else { return .failure(.undeclaredTier) }
            return .success(Header(layout: plan.layout, columns: plan.columns, scanner: start.scanner(listColumn: plan.layout.items),
                                   end: start.end, lines: start.lines, warnings: start.warnings))
        }
    }
}

// MARK: - One piece

/// One thread's share of the file: its rows, and what joining needs to know.
private struct PieceScan {
    let file: UnsafeBufferPointer<UInt8>
    let layout: OrderLayout
    let columns: [OrderColumnPlan]
    let customers: CustomerIndex
    let release: (Range<Int>) -> Void
    /// Hash every order id, for files whose ids do not ascend.
    let hashingIDs: Bool

    var rows: OrderRows
    /// The scan reached the end of its piece.
    var completed = false
    /// Why it did not, when it did not.
    var stoppedAt = StepAside.structure
    /// With `hashingIDs`, the hash of every row's order id, guests' too.
    var orderHashes: [UInt64] = []
    /// Each order id sorts after the one before it (shorter ids first, then
    /// by bytes, so `O9` comes before `O10`), so none can repeat.
    var idsAscending = true
    var firstOrderID: Range<Int>?
    var lastOrderID: Range<Int>?
    var ordersRead = 0
    /// Line breaks in the piece, so the next piece knows its first line.
    var lineBreaks = 0
    /// Where the piece's last row ended (see `PieceEnd`).
    var end = 0

    private let scanner: RowScanner
    /// The current row's interned keys of the non-text columns, and the
    /// values of those kept row by row (`OrderRows.isDirect`).
    private var keys: [Int32]
    private var converted: [Value]
    private var converter = CellConverter()
    private var amounts = DecimalCache()

    init(file: UnsafeBufferPointer<UInt8>, layout: OrderLayout, columns: [OrderColumnPlan], scanner: RowScanner,
         customers: CustomerIndex, hashingIDs: Bool, fields: OrderFieldSelection, expectedRows: Int,
         release: @escaping (Range<Int>) -> Void) {
        self.hashingIDs = hashingIDs
        self.file = file
        self.layout = layout
        self.columns = columns
        self.customers = customers
        self.release = release
        rows = OrderRows(columns: columns, expectedCount: expectedRows, internsValues: true, fields: fields)
        if hashingIDs { orderHashes.reserveCapacity(expectedRows) }
        self.scanner = scanner
        keys = Array(repeating: -1, count: columns.count)
        converted = Array(repeating: .missing, count: columns.count)
    }

    mutating func takeRows() -> OrderRows {
        rows.take()
    }

    /// Reads the rows of `piece`, and stops early (not `completed`) at
    /// anything the general loader must see. Line numbers count from `firstLine`: the first piece knows its real
    /// first line, the others count from 0 until the pieces are joined.
    mutating func scan(_ piece: Range<Int>, firstLine: Int) {
        let lines = scanner.scanRows(file, piece, firstLine: firstLine, release: release) {
            if read($0, $1, line: $2) { return true }
            stoppedAt = idsAscending || hashingIDs ? .cell : .repeatedID
            return false
        }
        completed = lines != nil
        lineBreaks = lines?.lineBreaks ?? 0
        end = lines?.end ?? piece.upperBound
    }

    /// Checks and keeps a row, as `OrderRowChecker` would.
    private mutating func read(_ cells: [RawCell], _ rowStart: Int, line: Int) -> Bool {
        ordersRead += 1
        let values = CellValues(file: file)
        let orderIDCell = cells[layout.orderID]
        // An id is compared where it is in the file, so one holding `""` or a
        // JSON escape is left to the general loader (no export writes such ids).
        guard orderIDCell.encoding != .csvQuotes, orderIDCell.encoding != .jsonEscapes else { return false }
        let idOK = values.withValue(of: orderIDCell) { id -> Bool in
            if id.isEmpty { return false }
            let range = (id.baseAddress! - file.baseAddress!) ..< (id.baseAddress! - file.baseAddress! + id.count)
            if let last = lastOrderID, idsAscending {
                idsAscending = OrderIDs.shortlexPrecedes(UnsafeBufferPointer(rebasing: file[last]), id)
                if !idsAscending, !hashingIDs { return false }
            }
            if hashingIDs { orderHashes.append(ByteInterner.hash(id)) }
            if firstOrderID == nil { firstOrderID = range }
            lastOrderID = range
            return true
        }
        guard idOK else { return false }
        guard case .success(let time) = values.withValue(of: cells[layout.orderedAt], OrderCells.orderedAt) else { return false }
        guard case .success(let amount) = values.withValue(of: cells[layout.amount], { OrderCells.amount($0, &amounts) }) else { return false }
        // Each distinct text of a kept non-text column is converted (and
        // checked) once; a column checked but not kept is only converted.
        for (c, cell, kept) in rows.valueColumns {
            guard kept, !rows.isDirect[c] else {
                guard case .success(let value) = values.withValue(of: cells[cell], { converter.value($0, as: columns[c].type) })
                else { return false }
                converted[c] = value
                continue
            }
            let key = values.withValue(of: cells[cell]) { text -> Int32? in
                let (key, isNew) = rows.text[c].intern(text)
                if isNew {
                    guard case .success(let value) = converter.value(text, as: columns[c].type) else { return nil }
                    rows.valueOfKey[c].append(value)
                }
                return key
            }
            guard let key else { return false }
            keys[c] = key
            if rows.needsDirect(c, rowsRead: ordersRead) {
                converted[c] = rows.valueOfKey[c][Int(key)]
                rows.makeDirect(c)
            }
        }

        rows.latestDay = max(rows.latestDay ?? time.day, time.day)
        let customerCell = cells[layout.customerID]
        let key = values.withValue(of: customerCell) { id -> Int32? in
            id.isEmpty ? -1 : customers.row(of: id)
        }
        switch key {
        case .some(-1):
            rows.guests += 1
            if rows.firstGuest == nil { rows.firstGuest = location(of: customerCell, row: rowStart, line: line) }
        case nil:
            rows.unknownCustomers += 1
            if rows.unknownExamples.count < 3 {
                rows.unknownExamples.append(UnknownCustomerExample(
                    line: line, orderID: values.text(of: orderIDCell), customerID: values.text(of: customerCell),
                    location: location(of: customerCell, row: rowStart, line: line)))
            }
        case let customer?:
            rows.append(customer: customer, time: time, amount: amount, line: line, cells: cells, keys: keys,
                        converted: converted, layout: layout, file: values)
        }
        return true
    }

    /// Where messages point for a cell: its opening quote, or its first
    /// character after any spaces (the first space when it is all spaces).
    private func location(of cell: RawCell, row: Int, line: Int) -> CellLocation {
        var origin = cell.origin
        if file[origin] != UInt8(ascii: "\"") {
            while origin < cell.end, file[origin] == UInt8(ascii: " ") || file[origin] == UInt8(ascii: "\t") { origin += 1 }
            if origin == cell.end { origin = cell.origin }
        }
        return CellLocation(rowLine: line, rowOffset: row, offset: origin)
    }
}

// MARK: - Order ids

/// Whether any order id may appear twice across the pieces.
enum OrderIDs {
    fileprivate static func areUnique(_ scans: [PieceScan]) -> Bool {
        if ascendAcrossPieces(scans) { return true }
        // Equal hashes are taken as a repeat; the general loader then decides.
        var size = 16
        let total = scans.reduce(0) { $0 + $1.orderHashes.count }
        while size < total * 2 { size *= 2 }
        var table = [UInt64](repeating: 0, count: size)
        let mask = size - 1
        return table.withUnsafeMutableBufferPointer { table in
            for scan in scans {
                for hash in scan.orderHashes {
                    let key = hash == 0 ? 1 : hash
                    var slot = Int(truncatingIfNeeded: key >> 7) & mask
                    while table[slot] != 0 {
                        if table[slot] == key { return false }
                        slot = (slot + 1) & mask
                    }
                    table[slot] = key
                }
            }
            return true
        }
    }

    /// Shorter first, then by bytes: a total order, so ids that strictly
    /// ascend in it are all different.
    static func shortlexPrecedes(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        a.count != b.count ? a.count < b.count : a.lexicographicallyPrecedes(b)
    }

    /// Each piece's ids ascend, and each piece's first id sorts after the
    /// last id before it: then no id can repeat.
    fileprivate static func ascendAcrossPieces(_ scans: [PieceScan]) -> Bool {
        var previous: Range<Int>?
        for scan in scans where scan.firstOrderID != nil {
            guard scan.idsAscending else { return false }
            if let previous, let first = scan.firstOrderID,
               !shortlexPrecedes(UnsafeBufferPointer(rebasing: scan.file[previous]), UnsafeBufferPointer(rebasing: scan.file[first])) {
                return false
            }
            previous = scan.lastOrderID
        }
        return true
    }
}
