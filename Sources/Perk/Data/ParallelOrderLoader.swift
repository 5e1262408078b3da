import Foundation

/// Loads a clean orders CSV with every core.
///
/// Nearly every real orders file is clean: plain fields, valid values,
/// unique ids. For those, the general `OrderLoader`'s care (a row of cells,
/// a bad-row collector, a closure per cell) costs more than the data itself.
/// This loader cuts the file into one piece per core at line breaks, scans
/// each piece's bytes once on its own thread into the same `OrderRows` the
/// general loader fills, and joins the pieces in file order.
///
/// It only takes the easy road: on anything else (a bad value, a quote
/// written as `""`, a lone `\r`, a column whose type must be inferred, an
/// order id that may repeat) it returns nil, and the general loader reads the
/// file again and reports exactly what it always has. So results never depend
/// on which loader ran; only the time does.
struct ParallelOrderLoader {
    let file: UnsafeBufferPointer<UInt8>
    let path: String
    let customers: CustomerTable
    let options: LoadOptions
    /// Called with ranges of the file that have been read, to free their pages.
    var release: (Range<Int>) -> Void = { _ in }
    var pieces = ProcessInfo.processInfo.activeProcessorCount

    /// Pieces smaller than this are not worth a thread.
    var minimumPieceBytes = 1 << 20

    func load() -> (OrderTable?, LoadReport)? {
        guard let header = Header(file: file, path: path, options: options),
              var read = readRows(header), read.ordersRead > 0 else { return nil }
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
        return (read.rows.takeTable(source: path, customerCount: customers.count, columns: header.columns), report)
    }

    /// Every piece's rows, joined in file order, and how many rows there were;
    /// nil when a piece met something it leaves to the general loader. What
    /// only reading needs (the customer index, order id hashes) is gone when
    /// this returns, before the table is built.
    private func readRows(_ header: Header) -> (rows: OrderRows, ordersRead: Int)? {
        // Customer ids are unique, so each key's id is its customer's row.
        var customerKeys = ByteInterner(capacity: customers.count)
        for id in customers.ids { _ = customerKeys.intern(id) }

        let bounds = splitPoints(from: header.end)
        let expected = LineEstimate.lines(in: file, from: header.end)
        let firstRowLine = header.lines + 1
        func scanPieces(hashingIDs: Bool) -> [PieceScan] {
            var scans: [PieceScan?] = Array(repeating: nil, count: bounds.count - 1)
            scans.withUnsafeMutableBufferPointer { results in
                DispatchQueue.concurrentPerform(iterations: results.count) { k in
                    // The first piece reserves room for every row, so joining the
                    // others onto it copies them without moving it.
                    var scan = PieceScan(file: file, layout: header.layout, columns: header.columns,
                                         fieldCount: header.fieldCount, customerKeys: customerKeys, hashingIDs: hashingIDs,
                                         expectedRows: k == 0 ? expected : expected / results.count, release: release)
                    scan.scan(bounds[k]..<bounds[k + 1], firstLine: k == 0 ? firstRowLine : 0)
                    results[k] = scan
                }
            }
            return scans.map { $0! }
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
        guard pieces.allSatisfy(\.completed), OrderIDs.areUnique(pieces) else { return nil }

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
        return (first.takeRows(), ordersRead)
    }

    /// Where the pieces start and end: after line breaks near equal shares of
    /// the rows. A break inside a quoted field is found out by the piece before
    /// it, whose last row then runs past the end of its piece.
    private func splitPoints(from start: Int) -> [Int] {
        let count = max(1, min(pieces, (file.count - start) / max(1, minimumPieceBytes)))
        var points = [start]
        for k in 1..<count {
            var p = max(points[points.count - 1], start + (file.count - start) * k / count)
            while p < file.count, file[p] != UInt8(ascii: "\n") { p += 1 }
            points.append(min(p + 1, file.count))
        }
        points.append(file.count)
        return points
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
    /// The header line and what it says about the columns, when it is one
    /// this loader can take on.
    private struct Header {
        var layout: OrderLayout
        var columns: [OrderColumnPlan]
        /// How many fields each row has.
        var fieldCount: Int
        /// Where the first row starts.
        var end: Int
        /// Lines the header takes up.
        var lines: Int
        /// Warnings about the header (a declared column the file lacks).
        var warnings: [Diagnostic]

        init?(file: UnsafeBufferPointer<UInt8>, path: String, options: LoadOptions) {
            guard let newline = file.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
            let bytes = Array(file[0...newline])
            // Quoted names are rare; the general loader reads them.
            guard !bytes.contains(UInt8(ascii: "\"")) else { return nil }
            let source = CSVSource(bytes: bytes)
            let diagnostics = DataDiagnostics(path: path, bytes: bytes)
            let names = source.columnNames
            guard HeaderCheck.problems(of: source, what: "", with: diagnostics).isEmpty,
                  OrderLoader<CSVSource>.requiredColumns.allSatisfy(names.contains) else { return nil }
            let plan = OrderLoader<CSVSource>.plan(columnNames: names, declared: options.schema?.orderColumns ?? [:])
            guard !plan.columns.contains(where: \.isInferred) else { return nil }
            layout = plan.layout
            columns = plan.columns
            fieldCount = names.count
            end = newline + 1
            lines = 1
            warnings = HeaderCheck.absentDeclarations(options.schema?.orderColumns ?? [:], in: source, prefix: "orders.",
                                                      with: diagnostics)
        }
    }
}

// MARK: - One piece

/// One thread's share of the file: its rows, and what joining needs to know.
private struct PieceScan {
    let file: UnsafeBufferPointer<UInt8>
    let layout: OrderLayout
    let columns: [OrderColumnPlan]
    let customerKeys: ByteInterner
    let release: (Range<Int>) -> Void
    /// Hash every order id, for files whose ids do not ascend.
    let hashingIDs: Bool

    var rows: OrderRows
    /// The scan reached the end of its piece.
    var completed = false
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

    private var cells: [RawCell]
    /// The current row's interned keys of the non-text columns.
    private var keys: [Int32]
    private var converter = CellConverter()
    private var amounts = DecimalCache()

    init(file: UnsafeBufferPointer<UInt8>, layout: OrderLayout, columns: [OrderColumnPlan], fieldCount: Int,
         customerKeys: ByteInterner, hashingIDs: Bool, expectedRows: Int, release: @escaping (Range<Int>) -> Void) {
        self.hashingIDs = hashingIDs
        self.file = file
        self.layout = layout
        self.columns = columns
        self.customerKeys = customerKeys
        self.release = release
        rows = OrderRows(columns: columns, expectedCount: expectedRows, internsValues: true)
        if hashingIDs { orderHashes.reserveCapacity(expectedRows) }
        cells = Array(repeating: .missing(at: 0), count: fieldCount)
        keys = Array(repeating: -1, count: columns.count)
    }

    mutating func takeRows() -> OrderRows {
        rows.take()
    }

    /// Reads the rows of `piece`, and stops early (not `completed`) at
    /// anything the general loader must see. Line numbers count from `firstLine`: the first piece knows its real
    /// first line, the others count from 0 until the pieces are joined.
    mutating func scan(_ piece: Range<Int>, firstLine: Int) {
        completed = scanRows(piece, firstLine: firstLine)
    }

    private mutating func scanRows(_ piece: Range<Int>, firstLine: Int) -> Bool {
        let end = file.count
        var pos = piece.lowerBound
        var released = pos
        var line = firstLine
        while pos < piece.upperBound {
            let b = file[pos]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                // A blank line, skipped as the general reader does; a lone \r is left to it.
                guard b == UInt8(ascii: "\n") || (pos + 1 < end && file[pos + 1] == UInt8(ascii: "\n")) else { return false }
                pos += b == UInt8(ascii: "\n") ? 1 : 2
                line += 1
                continue
            }
            let rowStart = pos, rowLine = line
            for c in cells.indices {
                if pos < end, file[pos] == UInt8(ascii: "\"") {
                    guard let close = Self.closingQuote(in: file, after: pos, lines: &line) else { return false }
                    cells[c] = RawCell(start: pos + 1, end: close, origin: pos, encoding: .plain)
                    pos = close + 1
                    while pos < end, file[pos] == UInt8(ascii: " ") || file[pos] == UInt8(ascii: "\t") { pos += 1 }
                } else {
                    guard let fieldEnd = Self.plainFieldEnd(in: file, from: pos) else { return false }
                    cells[c] = RawCell(start: pos, end: fieldEnd, origin: pos, encoding: .plain)
                    pos = fieldEnd
                }
                if c + 1 < cells.count {
                    guard pos < end, file[pos] == UInt8(ascii: ",") else { return false }
                    pos += 1
                } else if pos < end {
                    if file[pos] == UInt8(ascii: "\r"), pos + 1 < end, file[pos + 1] == UInt8(ascii: "\n") { pos += 1 }
                    guard file[pos] == UInt8(ascii: "\n") else { return false }
                    pos += 1
                    line += 1
                }
            }
            // A row running past the piece means the split fell inside quotes.
            guard pos <= piece.upperBound, read(rowStart, line: rowLine) else { return false }
            if pos - released >= 1 << 22 {
                release(released..<pos)
                released = pos
            }
        }
        release(released..<pos)
        lineBreaks = line - firstLine
        return true
    }

    /// The closing quote of the field opening at `open`; nil for an escaped
    /// `""`, a `\r`, a NUL byte, invalid UTF-8 or no closing quote. Static,
    /// like `plainFieldEnd`, so calls from the row loop do not copy the scan.
    private static func closingQuote(in file: UnsafeBufferPointer<UInt8>, after open: Int, lines: inout Int) -> Int? {
        var pos = open + 1
        while pos < file.count {
            let b = file[pos]
            if b == UInt8(ascii: "\"") {
                return pos + 1 < file.count && file[pos + 1] == UInt8(ascii: "\"") ? nil : pos
            }
            if b >= 0x80 {
                guard let n = UTF8Validation.sequenceLength(file, at: pos) else { return nil }
                pos += n
                continue
            }
            if b == UInt8(ascii: "\r") || b == 0 { return nil }
            if b == UInt8(ascii: "\n") { lines += 1 }
            pos += 1
        }
        return nil
    }

    /// Where the unquoted field at `start` ends; nil for a quote, a NUL byte
    /// or invalid UTF-8 inside it.
    @inline(__always)
    private static func plainFieldEnd(in file: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var pos = start
        while pos < file.count {
            let b = file[pos]
            // Everything above `"` but `,` and non-ASCII is a plain character.
            if b > UInt8(ascii: "\""), b != UInt8(ascii: ","), b < 0x80 {
                pos += 1
                continue
            }
            if b == UInt8(ascii: ",") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") { return pos }
            if b >= 0x80 {
                guard let n = UTF8Validation.sequenceLength(file, at: pos) else { return nil }
                pos += n
                continue
            }
            if b == UInt8(ascii: "\"") || b == 0 { return nil }
            pos += 1
        }
        return pos
    }

    /// Checks and keeps the row now in `cells`, as `OrderRowChecker` would.
    private mutating func read(_ rowStart: Int, line: Int) -> Bool {
        ordersRead += 1
        let values = CellValues(file: file)
        let orderIDCell = cells[layout.orderID]
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
        guard let time = values.withValue(of: cells[layout.orderedAt], { text -> (day: Int32, seconds: Int32)? in
            guard !text.isEmpty, case .success(let time) = CellParser.dateOrDateTime(text) else { return nil }
            return time
        }) else { return false }
        guard let amount = values.withValue(of: cells[layout.amount], { text -> Number? in
            guard !text.isEmpty, case .success(let n) = amounts.number(text), !n.isNegative else { return nil }
            return n
        }) else { return false }
        // Each distinct text of a non-text column is converted (and checked) once.
        for c in columns.indices where !columns[c].isText {
            let key = values.withValue(of: cells[columns[c].index]) { text -> Int32? in
                let (key, isNew) = rows.text[c].intern(text)
                if isNew {
                    guard case .success(let value) = converter.value(text, as: columns[c].type) else { return nil }
                    rows.valueOfKey[c].append(value)
                }
                return key
            }
            guard let key else { return false }
            keys[c] = key
        }

        rows.latestDay = max(rows.latestDay ?? time.day, time.day)
        let customerCell = cells[layout.customerID]
        let key = values.withValue(of: customerCell) { id -> Int32? in
            id.isEmpty ? -1 : customerKeys.id(of: id)
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
                        layout: layout, columns: columns, file: values)
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
