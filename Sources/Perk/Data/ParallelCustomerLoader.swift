import Foundation

/// Loads a well-formed customers file, CSV or JSON Lines, with every core.
///
/// The file is cut into one piece per core, as `ParallelOrderLoader` cuts
/// orders, and each piece interns its cells column by column. Each column's
/// distinct texts are then converted once to the column's type, planned as
/// the general loader plans it (`CustomerLoader.plan`): a tier column holds
/// four texts, not a hundred thousand.
///
/// Anything the general `CustomerLoader` would report (a cell that does not
/// fit its column, an empty or repeated id, a tier with no known order, a
/// file with no rows) makes this loader return nil, and the general loader
/// reads the file and reports it. So a table never depends on which loader
/// made it.
struct ParallelCustomerLoader {
    let file: UnsafeBufferPointer<UInt8>
    let path: String
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
    func load() -> (CustomerTable?, LoadReport)? {
        try? loadOrStepAside().get()
    }

    /// The table, or why the general loader must read the file.
    func loadOrStepAside() -> Result<(CustomerTable?, LoadReport), StepAside> {
        let sample = self.sample ?? ColumnSample.of(file: file, format: format)
        let declared = (options.schema?.customerColumns ?? [:]).filter { $0.key != "customer_id" }
        let start: FileStart
        switch FileStart.read(file, path: path, format: format, sample: sample, declared: declared, prefix: "") {
        case .success(let s): start = s
        case .failure(let why): return .failure(why)
        }
        let names = start.names
        guard let idColumn = names.firstIndex(of: "customer_id") else { return .failure(.header) }
        let scanner = start.scanner(listColumn: nil)
        guard var cells = readCells(scanner, columnCount: names.count, from: start.end, firstLine: start.lines + 1) else {
            return .failure(.structure)
        }
        guard cells.lines.count > 0 else { return .failure(.noRows) }
        let rows = cells.lines.count
        // Every row interned a new id, so the id column's key k is row k.
        let ids = cells.texts[idColumn]
        guard ids.id(of: UnsafeBufferPointer(start: nil, count: 0)) == nil else { return .failure(.cell) }
        guard ids.count == rows else { return .failure(.repeatedID) }

        var columns: [CustomerColumn] = []
        let order = ids.idsSortedByBytes()
        for plan in CustomerLoader<CSVSource>.plan(columnNames: names, idColumn: idColumn, options: options, sample: sample) {
            guard ColumnTyping.undeclaredTier(plan.name, origin: plan.origin, sample: sample) == nil else {
                return .failure(.undeclaredTier)
            }
            guard let valueOfKey = Self.values(of: cells.texts[plan.index], as: plan.type) else { return .failure(.cell) }
            let keys = cells.keys[plan.index]
            cells.keys[plan.index] = []
            columns.append(CustomerColumn(name: plan.name, type: plan.type, values: order.map { valueOfKey[Int(keys[Int($0)])] }))
        }
        var report = LoadReport()
        report.customersRead = rows
        report.diagnostics = start.warnings
        let table = CustomerTable(source: path, ids: order.map(ids.string), columns: columns,
                                  lines: order.map { cells.lines[Int($0)] })
        return .success((table, report))
    }

    /// Every piece's interned cells, joined in file order; nil when a piece
    /// met something it leaves to the general loader.
    private func readCells(_ scanner: RowScanner, columnCount: Int, from start: Int, firstLine: Int) -> InternedCells? {
        let bounds = CleanCSV.splitPoints(of: file, from: start, pieces: pieces, minimumBytes: minimumPieceBytes)
        let expected = LineEstimate.lines(in: file, from: start)
        let scans = RowScanner.scanPieces(bounds, end: { $0?.end }) { k, range -> InternedCells? in
            var cells = InternedCells(columnCount: columnCount, expectedRows: expected / (bounds.count - 1))
            guard let read = cells.scan(file, range, with: scanner, firstLine: k == 0 ? firstLine : 0, release: release) else {
                return nil
            }
            (cells.lineBreaks, cells.end) = (read.lineBreaks, read.end)
            return cells
        }
        guard var joined = scans.first ?? nil else { return nil }
        var lineBase = firstLine + joined.lineBreaks
        for scan in scans.dropFirst() {
            guard var later = scan else { return nil }
            joined.append(&later, lineBase: lineBase)
            lineBase += later.lineBreaks
        }
        return joined
    }

    /// Each distinct text as a value of `type`; nil when one does not fit.
    private static func values(of texts: ByteInterner, as type: PerkType) -> [Value]? {
        var converter = CellConverter()
        var values: [Value] = []
        values.reserveCapacity(texts.count)
        for key in 0..<Int32(texts.count) {
            guard case .success(let value) = texts.withKey(key, { converter.value($0, as: type) }) else { return nil }
            values.append(value)
        }
        return values
    }
}

/// A piece's cells, interned column by column, with the line of each row.
private struct InternedCells {
    /// Per column: its distinct texts, as `CellValues.withValue` gives them.
    var texts: [ByteInterner]
    /// Per column: each row's key into `texts`.
    var keys: [[Int32]]
    var lines: [Int32] = []
    /// Line breaks in the piece, so the next piece knows its first line.
    var lineBreaks = 0
    /// Where the piece's last row ended (see `PieceEnd`).
    var end = 0

    init(columnCount: Int, expectedRows: Int) {
        texts = Array(repeating: ByteInterner(), count: columnCount)
        keys = (0..<columnCount).map { _ in
            var column: [Int32] = []
            column.reserveCapacity(expectedRows)
            return column
        }
        lines.reserveCapacity(expectedRows)
    }

    /// Reads the rows of `piece`; the line breaks in it and where its last
    /// row ended, or nil where the general loader must take over.
    mutating func scan(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, with scanner: RowScanner, firstLine: Int,
                       release: (Range<Int>) -> Void) -> PieceEnd? {
        let values = CellValues(file: file)
        return scanner.scanRows(file, piece, firstLine: firstLine, release: release) { cells, _, line in
            for c in cells.indices {
                keys[c].append(values.withValue(of: cells[c]) { texts[c].intern($0).id })
            }
            lines.append(Int32(clamping: line))
            return true
        }
    }

    /// Appends the cells `later` read after these, its lines counted from
    /// `lineBase`; one column per task, on every core.
    mutating func append(_ later: inout InternedCells, lineBase: Int) {
        let base = Int32(clamping: lineBase)
        lines += later.lines.lazy.map { $0 + base }
        later.lines = []
        texts.withUnsafeMutableBufferPointer { texts in
            keys.withUnsafeMutableBufferPointer { keys in
                later.texts.withUnsafeMutableBufferPointer { laterTexts in
                    later.keys.withUnsafeMutableBufferPointer { laterKeys in
                        DispatchQueue.concurrentPerform(iterations: texts.count) { c in
                            let map = texts[c].absorb(laterTexts[c])
                            keys[c] += laterKeys[c].lazy.map { map[Int($0)] }
                            laterKeys[c] = []
                        }
                    }
                }
            }
        }
    }
}
