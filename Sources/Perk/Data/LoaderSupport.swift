// MARK: - Making diagnostics

/// Builds diagnostics that point into one data file. Positions are resolved
/// here, only for the few problems that are actually shown.
struct DataDiagnostics {
    let path: String
    let bytes: [UInt8]

    /// `problem` at `location`, in the catalogue's words (`DataProblem`).
    func diagnostic(_ problem: DataProblem, at location: CellLocation) -> Diagnostic {
        let position = DataPosition.resolve(location, in: bytes)
        return Diagnostic(problem, at: .point(path: path, line: position.line, column: position.column,
                                              lineText: position.lineText))
    }
}

// MARK: - Bad rows

/// Counts bad rows and keeps the first few problems as examples.
///
/// Without `skipBadRows` any bad row fails the load, but every row is still
/// checked so the user can fix them all in one go; the list stops at 20
/// examples plus a summary. With it, bad rows are left out and reported as
/// warnings: 5 examples plus a count.
///
/// A spreadsheet's formatting (`CellMistake`) seen in two or more rows of a
/// column is said once for the file, in place of its row errors. A file whose
/// rows are mostly bad is not what Perk expects: skipping would lose most of
/// it, so that is not suggested, and a load that skipped every row fails.
struct BadRowCollector {
    let skipBadRows: Bool
    private(set) var badRows = 0
    private(set) var examples: [Diagnostic] = []
    private var firstBadRow: CellLocation?
    /// The first bad row's first problem, said again when no row was good.
    private var firstProblem: String?
    private(set) var currentRowIsBad = false
    /// Problems found after the examples were full.
    private(set) var omittedProblems = 0
    private var mistakes: [CellMistakeTally] = []

    init(skipBadRows: Bool) {
        self.skipBadRows = skipBadRows
    }

    var exampleLimit: Int { skipBadRows ? 5 : 20 }

    mutating func startRow() { currentRowIsBad = false }

    /// Marks the current row bad; `make` runs only while examples are wanted.
    /// A `mistake` seen before in its column adds to that column's count, not
    /// to the examples.
    mutating func report(row: CellLocation, mistake: CellMistakeSighting? = nil, _ make: () -> Diagnostic) {
        if !currentRowIsBad {
            currentRowIsBad = true
            badRows += 1
            if firstBadRow == nil { firstBadRow = row }
        }
        if let mistake {
            if let i = mistakes.firstIndex(where: { $0.mistake == mistake.mistake && $0.column == mistake.column }) {
                mistakes[i].rows += 1
                return
            }
            mistakes.append(CellMistakeTally(mistake: mistake.mistake, column: mistake.column, example: mistake.text,
                                             first: mistake.location,
                                             exampleIndex: examples.count < exampleLimit ? examples.count : nil))
        }
        if examples.count < exampleLimit {
            var d = make()
            if firstProblem == nil { firstProblem = d.message }
            if skipBadRows, d.severity == .error { d.severity = .warning }
            examples.append(d)
        } else {
            omittedProblems += 1
        }
    }

    /// Reports the reader's findings about a row's shape. A fatal one (an
    /// unterminated quote) goes to `fatal`: it fails the load even when skipping.
    mutating func reportStructure(of row: RawRow, with diagnostics: DataDiagnostics, fatal: inout [Diagnostic]) {
        for problem in row.problems {
            let location = CellLocation(rowLine: row.line, rowOffset: row.offset, offset: problem.offset)
            if problem.isFatal {
                fatal.append(diagnostics.diagnostic(problem.problem, at: location))
            } else {
                report(row: row.startLocation) { diagnostics.diagnostic(problem.problem, at: location) }
            }
        }
    }

    /// Adds the examples and a summary to `report`; true when the load must
    /// fail. `rowsRead` counts good and bad rows; `what` is `customers` or `orders`.
    func finish(into report: inout LoadReport, with diagnostics: DataDiagnostics, rowsRead: Int, what: String) -> Bool {
        guard badRows > 0, let first = firstBadRow else { return false }
        let noRowLeft = skipBadRows && badRows >= rowsRead
        // Nothing loads when no row is left, so the row problems are errors again.
        let severity: Diagnostic.Severity = skipBadRows && !noRowLeft ? .warning : .error
        var shown = examples
        var omitted = omittedProblems
        var fileLevel: [Diagnostic] = []
        for tally in mistakes where tally.rows >= 2 {
            var d = diagnostics.diagnostic(.spreadsheetFormat(tally.mistake, column: tally.column, example: tally.example,
                                                              rows: tally.rows, path: diagnostics.path), at: tally.first)
            d.severity = severity
            fileLevel.append(d)
        }
        // Their first row errors give way to the file's message (last first, so the indices hold).
        for index in mistakes.filter({ $0.rows >= 2 }).map({ $0.exampleIndex }).sorted(by: { ($0 ?? -1) > ($1 ?? -1) }) {
            if let index { shown.remove(at: index) } else { omitted -= 1 }
        }
        if noRowLeft { shown = shown.map { var d = $0; d.severity = .error; return d } }
        report.diagnostics += fileLevel + shown
        let count = DataProblem.BadRowCount(path: diagnostics.path, what: what, bad: badRows, read: rowsRead,
                                            shown: shown.count, omitted: omitted)
        if noRowLeft {
            report.skippedRows = badRows
            report.diagnostics.append(diagnostics.diagnostic(.noGoodRows(count, firstLine: first.rowLine, firstProblem: firstProblem),
                                                             at: first))
            return true
        }
        if skipBadRows {
            report.skippedRows = badRows
            report.diagnostics.append(diagnostics.diagnostic(.badRowsSkipped(count), at: first))
            return false
        }
        report.diagnostics.append(diagnostics.diagnostic(.badRowsStopTheLoad(count), at: first))
        return true
    }
}

// MARK: - Header

/// Checks that a file has a usable header before any row is read.
enum HeaderCheck {
    static func problems<S: RecordSource>(of source: S, what: String, with diagnostics: DataDiagnostics) -> [Diagnostic] {
        if source.isEmpty {
            return [diagnostics.diagnostic(.noHeader(path: diagnostics.path, example: what), at: source.headerLocation)]
        }
        var out: [Diagnostic] = source.headerProblems.map {
            diagnostics.diagnostic(.inHeaderRow($0.problem),
                                   at: CellLocation(rowLine: source.headerLocation.rowLine,
                                                    rowOffset: source.headerLocation.rowOffset, offset: $0.offset))
        }
        var firstIndex: [String: Int] = [:]
        for (index, name) in source.columnNames.enumerated() {
            if name.isEmpty {
                out.append(diagnostics.diagnostic(.unnamedColumn(number: index + 1), at: source.location(ofColumn: index)))
            } else if let first = firstIndex[name] {
                out.append(diagnostics.diagnostic(.columnNamedTwice(name, first: first + 1, again: index + 1),
                                                  at: source.location(ofColumn: index)))
            } else {
                firstIndex[name] = index
            }
        }
        return out
    }

    /// A file with no rows: a CSV file with a header alone, or a JSON Lines file
    /// with no objects. Nothing is lost, so it is a warning, the same for both.
    static func noRows<S: RecordSource>(_ what: String, in source: S, with diagnostics: DataDiagnostics) -> Diagnostic {
        diagnostics.diagnostic(.noRows(path: diagnostics.path, what: what), at: source.headerLocation)
    }

    /// Warnings for schema declarations that name no column of the file: most
    /// likely a typo, which would otherwise silently leave a column inferred.
    static func absentDeclarations<S: RecordSource>(_ declared: [String: PerkType], in source: S,
                                                    prefix: String, with diagnostics: DataDiagnostics) -> [Diagnostic] {
        let present = Set(source.columnNames)
        return declared.keys.sorted().filter { !present.contains($0) }.map { name in
            diagnostics.diagnostic(.schemaColumnAbsent(declared: prefix + name, column: name, path: diagnostics.path,
                                                       closest: Suggest.closest(to: name, among: source.columnNames)),
                                   at: source.headerLocation)
        }
    }

    /// The first problems with the rows' structure. When the columns come from
    /// the rows, a broken row may be why a column seems missing, so these are
    /// shown before saying it is.
    /// Why a file cannot be loaded, as its header shows: the header's own
    /// problems; or, when a required column is `missing`, the row problems
    /// that may hide it, then that diagnostic. Empty when loading can go on.
    static func refusal<S: RecordSource>(_ source: inout S, example: String, missing: Diagnostic?,
                                         with diagnostics: DataDiagnostics) -> [Diagnostic] {
        let headerProblems = problems(of: source, what: example, with: diagnostics)
        if !headerProblems.isEmpty { return headerProblems }
        guard let missing else { return [] }
        return rowProblemsHidingColumns(&source, with: diagnostics) + [missing]
    }

    static func rowProblemsHidingColumns<S: RecordSource>(_ source: inout S, with diagnostics: DataDiagnostics) -> [Diagnostic] {
        guard source.columnsComeFromRows else { return [] }
        var out: [Diagnostic] = []
        var row = RawRow()
        while out.count < 20, source.next(into: &row) {
            for problem in row.problems where out.count < 20 {
                out.append(diagnostics.diagnostic(problem.problem,
                                                  at: CellLocation(rowLine: row.line, rowOffset: row.offset, offset: problem.offset)))
            }
        }
        source.rewind()
        return out
    }
}

// MARK: - Column plans

/// A column a loader reads: where it is, its name, its type (declared, known
/// or proposed by the sample) and whether a cell that does not fit is a bad
/// row (see `ColumnTyping`).
protocol ColumnPlan {
    var index: Int { get }
    var name: String { get }
    var type: PerkType { get set }
    var origin: ColumnTypeOrigin { get }
    var isStrict: Bool { get }
    /// Whether the column's cells are typed at all. A column the command
    /// does not read and no rule names is checked for CSV structure only:
    /// its cells are not converted, so it never gets a D024 either.
    var isTyped: Bool { get }
}

extension ColumnPlan {
    var isTyped: Bool { true }
}

// MARK: - Cell values

/// Converts cells to `Value`s of their column's type.
struct CellConverter {
    private var decimals = DecimalCache()

    init() {}

    /// `text` is the cell's value as `CellValues.withValue` gives it: a text
    /// value is kept as it is, and other types ignore spaces around the value.
    mutating func value(_ text: UnsafeBufferPointer<UInt8>, as type: PerkType) -> Result<Value, CellParser.Failure> {
        let p = CellParser.trimmed(text)
        if p.isEmpty { return .success(.missing) }
        switch type {
        case .number:
            return decimals.number(p).map(Value.number)
        case .percent:
            let digits = p.last == UInt8(ascii: "%") ? UnsafeBufferPointer(rebasing: p.dropLast()) : p
            return decimals.number(digits).map(Value.percent)
        case .date:
            return CellParser.date(p).map(Value.date)
        case .datetime:
            return CellParser.dateTime(p).map(Value.datetime)
        case .bool:
            guard let b = CellParser.bool(p) else { return .failure(.wrongShape) }
            return .success(.bool(b))
        case .enumeration(let e):
            guard let ordinal = CellParser.enumOrdinal(p, in: e) else { return .failure(.wrongShape) }
            return .success(.symbol(ordinal))
        case .text, .duration, .list, .unknown:
            return .success(.text(String(decoding: text, as: UTF8.self)))
        }
    }
}

/// A date written in another common order of year, month and day.
enum DateFix {
    /// `1983/08/17`, `1983.8.17` or `1983-8-17` as `1983-08-17`; nil for
    /// anything else, or for a day that does not exist.
    static func rewritten(_ text: String) -> String? {
        let parts = text.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "." || $0 == "-" }
        guard parts.count == 3, parts[0].count == 4, parts[1].count <= 2, parts[2].count <= 2,
              let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              parts.allSatisfy({ $0.allSatisfy(\.isASCII) }),
              LocalDate(year: year, month: month, day: day) != nil else { return nil }
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(parts[0])-\(two(month))-\(two(day))"
    }
}
