/// Loads a customers file into a `CustomerTable`.
///
/// Every column's type is known before a row is read: declared by a schema
/// file, or proposed by the file's first rows (`ColumnSample`). A first pass
/// reads the columns no rule needs typed (see `ConformancePass`), the second
/// checks and converts every cell.
struct CustomerLoader<Source: RecordSource> {
    private var source: Source
    private let options: LoadOptions
    private let sample: ColumnSample
    private let diagnostics: DataDiagnostics

    init(source: Source, path: String, options: LoadOptions, sample: ColumnSample? = nil) {
        self.source = source
        self.options = options
        self.sample = sample ?? source.sample
        diagnostics = DataDiagnostics(path: path, bytes: source.bytes)
    }

    /// The columns other than `customer_id`, in file order, with their types.
    static func plan(columnNames names: [String], idColumn: Int, options: LoadOptions,
                     sample: ColumnSample) -> [CustomerColumnPlan] {
        let declared = options.schema?.customerColumns ?? [:]
        return names.indices.filter { $0 != idColumn }.map { i in
            let (type, origin) = ColumnTyping.type(of: names[i], declared: declared, sample: sample)
            let strict = ColumnTyping.isStrict(names[i], origin: origin, standard: ColumnTyping.isStandardCustomerColumn(names[i]),
                                               named: options.namedColumns.customers)
            return CustomerColumnPlan(index: i, name: names[i], type: type, origin: origin, isStrict: strict)
        }
    }

    mutating func load() -> (CustomerTable?, LoadReport) {
        var report = LoadReport()
        if source.isEmpty, source.columnsComeFromRows {
            // A JSON Lines file with no objects holds no customers, as a CSV file
            // with a header and no rows does: the same warning, not an error.
            // Its columns would come from its rows, so they are the schema's.
            report.diagnostics.append(HeaderCheck.noRows("customers", in: source, with: diagnostics))
            let declared = (options.schema?.customerColumns ?? [:]).filter { $0.key != "customer_id" }
            let columns = declared.sorted { $0.key < $1.key }.map { CustomerColumn(name: $0.key, type: $0.value, values: []) }
            return (CustomerTable(source: diagnostics.path, ids: [], columns: columns, lines: []), report)
        }
        let names = source.columnNames
        let missing = names.contains("customer_id") ? nil : missingIDColumn()
        report.diagnostics = HeaderCheck.refusal(&source, example: "customer_id,name,tier", missing: missing, with: diagnostics)
        guard report.diagnostics.isEmpty, let idColumn = names.firstIndex(of: "customer_id") else { return (nil, report) }
        let declared = options.schema?.customerColumns ?? [:]
        report.diagnostics += HeaderCheck.absentDeclarations(declared.filter { $0.key != "customer_id" }, in: source,
                                                             prefix: "", with: diagnostics)

        var columns = Self.plan(columnNames: names, idColumn: idColumn, options: options, sample: sample)
        let fatal = columns.compactMap { column in
            ColumnTyping.undeclaredTier(column.name, origin: column.origin, sample: sample).map {
                diagnostics.diagnostic(.undeclaredTier($0.text, declaration: column.name), at: $0.location)
            }
        }
        report.diagnostics += ConformancePass.conform(&source, &columns, prefix: "", with: diagnostics)

        var checker = CustomerRowChecker(idColumn: idColumn, columns: columns, expectedCount: source.estimatedRowCount,
                                         diagnostics: diagnostics, skipBadRows: options.skipBadRows)
        var row = RawRow()
        let bytes = source.bytes
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while source.next(into: &row) { checker.check(row, cells: cells) }
        }

        report.customersRead = checker.customersRead
        report.diagnostics += fatal + checker.fatal
        let failed = checker.bad.finish(into: &report, with: diagnostics, rowsRead: checker.customersRead, what: "customers")
        if failed || !fatal.isEmpty || !checker.fatal.isEmpty { return (nil, report) }
        if report.customersRead == 0 {
            report.diagnostics.append(HeaderCheck.noRows("customers", in: source, with: diagnostics))
        }
        var rows = checker.takeRows()
        return (rows.takeTable(source: diagnostics.path, columns: columns), report)
    }

    private func missingIDColumn() -> Diagnostic {
        let names = source.columnNames
        let suggestion = Suggest.closest(to: "customer_id", among: names)
        let location = suggestion.flatMap { names.firstIndex(of: $0) }.map(source.location(ofColumn:)) ?? source.headerLocation
        return diagnostics.diagnostic(.noCustomerIDColumn(path: diagnostics.path, columns: names, closest: suggestion), at: location)
    }
}

// MARK: - Plan

/// A column other than `customer_id`, with the type its values take.
struct CustomerColumnPlan: ColumnPlan {
    var index: Int
    var name: String
    var type: PerkType
    var origin: ColumnTypeOrigin
    var isStrict: Bool
}

// MARK: - Checking rows

/// Checks customer rows one at a time, keeps the good ones and counts the rest.
private struct CustomerRowChecker {
    let idColumn: Int
    let columns: [CustomerColumnPlan]
    let diagnostics: DataDiagnostics
    private(set) var rows: CustomerRows
    private(set) var bad: BadRowCollector
    private(set) var fatal: [Diagnostic] = []
    private(set) var customersRead = 0
    /// One converted value per column of the current row.
    private var scratch: [Value]
    private var converter = CellConverter()

    /// The rows kept, moved out so the table can release them column by column.
    mutating func takeRows() -> CustomerRows {
        var taken = CustomerRows(columnCount: columns.count, expectedCount: 0)
        swap(&taken, &rows)
        return taken
    }

    init(idColumn: Int, columns: [CustomerColumnPlan], expectedCount: Int, diagnostics: DataDiagnostics, skipBadRows: Bool) {
        self.idColumn = idColumn
        self.columns = columns
        self.diagnostics = diagnostics
        rows = CustomerRows(columnCount: columns.count, expectedCount: expectedCount)
        bad = BadRowCollector(skipBadRows: skipBadRows)
        scratch = [Value](repeating: .missing, count: columns.count)
    }

    mutating func check(_ row: RawRow, cells: CellValues) {
        customersRead += 1
        bad.startRow()
        bad.reportStructure(of: row, with: diagnostics, fatal: &fatal)
        if row.isMisaligned { return }
        let key = customerKey(row, cells)
        convertColumns(row, cells)
        guard !bad.currentRowIsBad, let key else { return }
        rows.keep(key: key, line: row.line, values: scratch)
    }

    private mutating func fail(_ row: RawRow, _ problem: DataProblem, _ cell: RawCell, mistake: CellMistakeSighting? = nil) {
        let diagnostics = self.diagnostics
        bad.report(row: row.startLocation, mistake: mistake) { diagnostics.diagnostic(problem, at: row.location(of: cell)) }
    }

    /// The interned key of the row's customer_id, which must be present and unique.
    private mutating func customerKey(_ row: RawRow, _ cells: CellValues) -> Int32? {
        let cell = row.cells[idColumn]
        if cell.encoding == .list {
            fail(row, .listForCustomerID, cell)
            return nil
        }
        return cells.withValue(of: cell) { id in
            if id.isEmpty {
                fail(row, .emptyCustomerID, cell)
                return nil
            }
            let (key, isNew) = rows.keys.intern(id)
            if isNew {
                rows.firstLineOfKey.append(Int32(clamping: row.line))
                rows.rowOfKey.append(-1)
            } else {
                fail(row, .customerTwice(String(decoding: id, as: UTF8.self), firstLine: Int(rows.firstLineOfKey[Int(key)])), cell)
            }
            return key
        }
    }

    private mutating func convertColumns(_ row: RawRow, _ cells: CellValues) {
        for c in columns.indices {
            let column = columns[c]
            let cell = row.cells[column.index]
            if cell.encoding == .list {
                fail(row, .listInCustomerColumn(column.name), cell)
                continue
            }
            switch cells.withValue(of: cell, { converter.value($0, as: column.type) }) {
            case .success(let value):
                scratch[c] = value
            case .failure(let failure):
                let text = cells.text(of: cell)
                fail(row, .cellDoesNotFit(column: column.name, text: text, type: column.type, failure: failure,
                                          sampledDeclaration: column.origin == .sampled ? column.name : nil), cell,
                     mistake: CellMistakeSighting.of(text, type: column.type, failure: failure, column: column.name,
                                                     at: row.location(of: cell)))
            }
        }
    }
}

// MARK: - Good rows

/// Customers that passed every check, in file order.
private struct CustomerRows {
    /// Every customer_id seen, good rows or bad, so duplicates are always found.
    var keys: ByteInterner
    /// Per interned key: the kept row holding it, or -1.
    var rowOfKey: [Int32] = []
    var firstLineOfKey: [Int32] = []
    var lines: [Int32] = []
    var values: [[Value]]

    init(columnCount: Int, expectedCount n: Int) {
        keys = ByteInterner(capacity: n, bytesPerKey: 12)
        values = (0..<columnCount).map { _ in
            var column: [Value] = []
            column.reserveCapacity(n)
            return column
        }
        rowOfKey.reserveCapacity(n)
        firstLineOfKey.reserveCapacity(n)
        lines.reserveCapacity(n)
    }

    mutating func keep(key: Int32, line: Int, values row: [Value]) {
        rowOfKey[Int(key)] = Int32(lines.count)
        lines.append(Int32(clamping: line))
        for c in row.indices { values[c].append(row[c]) }
    }

    /// The customers as a table sorted by id. Each column is moved out and
    /// released once regathered, so the table never exists twice over.
    mutating func takeTable(source: String, columns: [CustomerColumnPlan]) -> CustomerTable {
        // Sorting the interned keys by bytes gives the table's row order.
        var order: [Int] = []
        var ids: [String] = []
        order.reserveCapacity(lines.count)
        ids.reserveCapacity(lines.count)
        for key in keys.idsSortedByBytes() where rowOfKey[Int(key)] >= 0 {
            order.append(Int(rowOfKey[Int(key)]))
            ids.append(keys.string(key))
        }
        keys = ByteInterner()
        func gather<T>(_ column: inout [T]) -> [T] {
            let rows = column
            column = []
            return order.map { rows[$0] }
        }
        let tableColumns = columns.indices.map { c in
            CustomerColumn(name: columns[c].name, type: columns[c].type, values: gather(&values[c]))
        }
        return CustomerTable(source: source, ids: ids, columns: tableColumns, lines: gather(&lines))
    }
}
