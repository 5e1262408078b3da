/// Loads a customers file into a `CustomerTable`.
///
/// Two passes: the first infers the types of undeclared columns, the second
/// converts every cell, so a type is known before any value is made.
struct CustomerLoader<Source: RecordSource> {
    private var source: Source
    private let options: LoadOptions
    private let diagnostics: DataDiagnostics

    init(source: Source, path: String, options: LoadOptions) {
        self.source = source
        self.options = options
        diagnostics = DataDiagnostics(path: path, bytes: source.bytes)
    }

    /// A column other than `customer_id`, with the type its values take.
    private struct Column {
        var index: Int
        var name: String
        var type: PerkType
        var isDeclared: Bool
    }

    mutating func load() -> (CustomerTable?, LoadReport) {
        var report = LoadReport()
        let headerProblems = HeaderCheck.problems(of: source, what: "customer_id,name,tier", with: diagnostics)
        if !headerProblems.isEmpty {
            report.diagnostics = headerProblems
            return (nil, report)
        }
        let names = source.columnNames
        guard let idColumn = names.firstIndex(of: "customer_id") else {
            report.diagnostics.append(missingIDColumn())
            return (nil, report)
        }
        let declared = options.schema?.customerColumns ?? [:]
        report.diagnostics += HeaderCheck.absentDeclarations(declared.filter { $0.key != "customer_id" }, in: source,
                                                             prefix: "", with: diagnostics)

        var columns = names.indices.filter { $0 != idColumn }.map { i in
            Column(index: i, name: names[i], type: declared[names[i]] ?? .text, isDeclared: declared[names[i]] != nil)
        }
        var fatal: [Diagnostic] = []
        inferTypes(of: &columns, fatal: &fatal)

        var bad = BadRowCollector(skipBadRows: options.skipBadRows)
        let rows = readRows(idColumn: idColumn, columns: columns, bad: &bad, fatal: &fatal, report: &report)

        report.diagnostics += fatal
        let failed = bad.finish(into: &report, with: diagnostics)
        if failed || !fatal.isEmpty { return (nil, report) }
        if report.customersRead == 0 {
            report.diagnostics.append(diagnostics.warning(.noRows, "\(diagnostics.path) has a header but no customers",
                                                          at: source.headerLocation))
        }
        return (rows.table(source: diagnostics.path, columns: columns.map { ($0.name, $0.type) }), report)
    }

    // MARK: Types

    private mutating func inferTypes(of columns: inout [Column], fatal: inout [Diagnostic]) {
        let toInfer = columns.indices.filter { !columns[$0].isDeclared }
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
                fatal.append(undeclaredTier(problem))
            }
            // An `_opt_in` column that is not all yes/no is still boolean: the
            // second pass reports each bad cell as a bad row.
        }
    }

    private func undeclaredTier(_ problem: InferenceProblem) -> Diagnostic {
        diagnostics.error(
            .undeclaredTier,
            "tier \(CellMessages.shown(problem.text)) is not one of MEMBER, SILVER, GOLD, VIP, so Perk does not know how it ranks",
            at: problem.location,
            help: "declare the tiers in order in a schema file, like `tier: enum MEMBER < SILVER < GOLD < VIP`, with \(problem.text) where it belongs")
    }

    private func missingIDColumn() -> Diagnostic {
        let names = source.columnNames
        let suggestion = NameSuggestion.closest(to: "customer_id", among: names)
        let location = suggestion.flatMap { names.firstIndex(of: $0) }.map(source.location(ofColumn:)) ?? source.headerLocation
        return diagnostics.error(
            .missingColumn, "\(diagnostics.path) has no customer_id column",
            at: location, notes: ["the columns are: \(HeaderCheck.headerList(names))"],
            help: suggestion.map { "did you mean `\($0)`? rename it to customer_id" }
                ?? "add a customer_id column holding one unique id per customer")
    }

    // MARK: Rows

    /// Rows that passed every check, in file order.
    private struct Rows {
        var keys = ByteInterner()
        /// Per interned key: the kept row holding it, or -1.
        var rowOfKey: [Int32] = []
        var firstLineOfKey: [Int32] = []
        var lines: [Int32] = []
        var values: [[Value]]

        init(columnCount: Int) {
            values = Array(repeating: [], count: columnCount)
        }

        func table(source: String, columns: [(name: String, type: PerkType)]) -> CustomerTable {
            // Sorting the interned keys by bytes gives the table's row order.
            let order = keys.idsSortedByBytes().compactMap { key -> Int? in
                let row = rowOfKey[Int(key)]
                return row < 0 ? nil : Int(row)
            }
            var ids: [String] = []
            ids.reserveCapacity(order.count)
            var keyOfRow = [Int32](repeating: 0, count: lines.count)
            for (key, row) in rowOfKey.enumerated() where row >= 0 { keyOfRow[Int(row)] = Int32(key) }
            for row in order { ids.append(keys.string(keyOfRow[row])) }
            let tableColumns = columns.indices.map { c in
                CustomerColumn(name: columns[c].name, type: columns[c].type, values: order.map { values[c][$0] })
            }
            return CustomerTable(source: source, ids: ids, columns: tableColumns, lines: order.map { lines[$0] })
        }
    }

    private mutating func readRows(idColumn: Int, columns: [Column], bad: inout BadRowCollector,
                                   fatal: inout [Diagnostic], report: inout LoadReport) -> Rows {
        var rows = Rows(columnCount: columns.count)
        var scratch = [Value](repeating: .missing, count: columns.count)
        var row = RawRow()
        let bytes = source.bytes
        let diagnostics = self.diagnostics
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while source.next(into: &row) {
                report.customersRead += 1
                bad.startRow()
                bad.reportStructure(of: row, with: diagnostics, fatal: &fatal)
                if row.isMisaligned { continue }

                let idCell = row.cells[idColumn]
                let key: Int32? = cells.withValue(of: idCell) { id in
                    if id.isEmpty {
                        bad.report(row: row.startLocation) {
                            diagnostics.error(.emptyRequired, "customer_id is empty: every customer needs an id",
                                              at: row.location(of: idCell))
                        }
                        return nil
                    }
                    let (key, isNew) = rows.keys.intern(id)
                    if isNew {
                        rows.rowOfKey.append(-1)
                        rows.firstLineOfKey.append(Int32(clamping: row.line))
                    } else {
                        let firstLine = rows.firstLineOfKey[Int(key)]
                        bad.report(row: row.startLocation) {
                            diagnostics.error(.duplicateCustomer,
                                              "customer \(CellMessages.shown(String(decoding: id, as: UTF8.self))) appears twice",
                                              at: row.location(of: idCell),
                                              notes: ["it first appears on line \(firstLine)"],
                                              help: "each customer needs exactly one row; merge the rows or fix the id")
                        }
                    }
                    return key
                }

                for (c, column) in columns.enumerated() {
                    let cell = row.cells[column.index]
                    if cell.encoding == .list {
                        bad.report(row: row.startLocation) {
                            diagnostics.error(.badValue, "\(column.name) holds a list, but only an order's items may",
                                              at: row.location(of: cell))
                        }
                        continue
                    }
                    let converted = cells.withValue(of: cell) { CellConversion.value($0, as: column.type) }
                    switch converted {
                    case .success(let value):
                        scratch[c] = value
                    case .failure(let failure):
                        let text = cells.text(of: cell)
                        bad.report(row: row.startLocation) {
                            let p = CellMessages.problem(column: column.name, text: text, type: column.type, failure: failure)
                            return diagnostics.error(p.code, p.message, at: row.location(of: cell), help: p.help)
                        }
                    }
                }

                guard !bad.currentRowIsBad, let key else { continue }
                rows.rowOfKey[Int(key)] = Int32(rows.lines.count)
                rows.lines.append(Int32(clamping: row.line))
                for c in columns.indices { rows.values[c].append(scratch[c]) }
            }
        }
        return rows
    }
}
