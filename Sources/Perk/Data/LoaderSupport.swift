// MARK: - Making diagnostics

/// Builds diagnostics that point into one data file. Positions are resolved
/// here, only for the few problems that are actually shown.
struct DataDiagnostics {
    let path: String
    let bytes: [UInt8]

    func make(_ severity: Diagnostic.Severity, _ code: DataCode, _ message: String, at location: CellLocation,
              notes: [String] = [], help: String? = nil) -> Diagnostic {
        let position = DataPosition.resolve(location, in: bytes)
        return Diagnostic(severity, code.rawValue, message,
                          at: .point(path: path, line: position.line, column: position.column, lineText: position.lineText),
                          notes: notes, help: help)
    }

    func error(_ code: DataCode, _ message: String, at location: CellLocation,
               notes: [String] = [], help: String? = nil) -> Diagnostic {
        make(.error, code, message, at: location, notes: notes, help: help)
    }

    func warning(_ code: DataCode, _ message: String, at location: CellLocation,
                 notes: [String] = [], help: String? = nil) -> Diagnostic {
        make(.warning, code, message, at: location, notes: notes, help: help)
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
                fatal.append(diagnostics.error(problem.code, problem.message, at: location, help: problem.help))
            } else {
                report(row: row.startLocation) {
                    diagnostics.error(problem.code, problem.message, at: location, help: problem.help)
                }
            }
        }
    }

    /// Adds the examples and a summary to `report`; true when the load must
    /// fail. `rowsRead` counts good and bad rows; `what` is `customers` or `orders`.
    func finish(into report: inout LoadReport, with diagnostics: DataDiagnostics, rowsRead: Int, what: String) -> Bool {
        guard badRows > 0, let first = firstBadRow else { return false }
        // More than half: then the file, not a few rows, is what is wrong.
        let mostRowsBad = badRows * 2 > rowsRead
        let noRowLeft = skipBadRows && badRows >= rowsRead
        // Nothing loads when no row is left, so the row problems are errors again.
        let severity: Diagnostic.Severity = skipBadRows && !noRowLeft ? .warning : .error
        var shown = examples
        var omitted = omittedProblems
        var fileLevel: [Diagnostic] = []
        for tally in mistakes where tally.rows >= 2 {
            fileLevel.append(tally.mistake.diagnostic(severity, column: tally.column, example: tally.example, rows: tally.rows,
                                                      at: tally.first, with: diagnostics))
        }
        // Their first row errors give way to the file's message (last first, so the indices hold).
        for index in mistakes.filter({ $0.rows >= 2 }).map({ $0.exampleIndex }).sorted(by: { ($0 ?? -1) > ($1 ?? -1) }) {
            if let index { shown.remove(at: index) } else { omitted -= 1 }
        }
        if noRowLeft { shown = shown.map { var d = $0; d.severity = .error; return d } }
        report.diagnostics += fileLevel + shown
        let rows = badRows == 1 ? "1 bad row" : "\(badRows) bad rows"
        var notes = omitted > 0 ? ["showing the first \(shown.count) problems; \(omitted) more are not shown"] : []
        let firstSaid = firstProblem.map { "the first bad row, line \(first.rowLine): \($0)" }
        if noRowLeft {
            report.skippedRows = badRows
            report.diagnostics.append(diagnostics.error(
                .noGoodRows, "every row of \(diagnostics.path) is bad (\(badRows) of \(rowsRead)), so it is not the \(what) file "
                    + "Perk expects", at: first, notes: (firstSaid.map { [$0] } ?? []) + notes,
                help: "check that this is the \(what) file, exported as CSV UTF-8 with commas, and fix the problem above"))
            return true
        }
        if skipBadRows {
            report.skippedRows = badRows
            if mostRowsBad {
                notes.append("that is \(badRows) of \(rowsRead) rows: check that this is the \(what) file Perk expects")
            }
            report.diagnostics.append(diagnostics.warning(
                .badRows, "skipped \(rows) in \(diagnostics.path)", at: first, notes: notes,
                help: "the other rows were loaded; fix these rows to include them"))
            return false
        }
        if mostRowsBad {
            // Skipping would leave out most of the file: the fix is the file.
            report.diagnostics.append(diagnostics.error(
                .badRows, "\(rows) in \(diagnostics.path), so nothing was loaded", at: first,
                notes: ["that is \(badRows) of \(rowsRead) rows, so \(diagnostics.path) is not the \(what) file Perk expects"] + notes,
                help: "fix the problems above; leaving the bad rows out would leave out most of the file"))
            return true
        }
        report.diagnostics.append(diagnostics.error(
            .badRows, "\(rows) in \(diagnostics.path), so nothing was loaded", at: first, notes: notes,
            help: "fix the rows above, or load with --skip-bad-rows to leave bad rows out"))
        return true
    }
}

// MARK: - Header

/// Checks that a file has a usable header before any row is read.
enum HeaderCheck {
    static func problems<S: RecordSource>(of source: S, what: String, with diagnostics: DataDiagnostics) -> [Diagnostic] {
        if source.isEmpty {
            return [diagnostics.error(.emptyFile, "\(diagnostics.path) is empty: there is no header row naming the columns",
                                      at: source.headerLocation,
                                      help: "the first line must name the columns, like \(what)")]
        }
        var out: [Diagnostic] = source.headerProblems.map {
            diagnostics.error($0.code, "the header row: " + $0.message,
                              at: CellLocation(rowLine: source.headerLocation.rowLine,
                                               rowOffset: source.headerLocation.rowOffset, offset: $0.offset),
                              help: $0.help)
        }
        var firstIndex: [String: Int] = [:]
        for (index, name) in source.columnNames.enumerated() {
            if name.isEmpty {
                out.append(diagnostics.error(.badHeader, "column \(index + 1) has no name in the header",
                                             at: source.location(ofColumn: index),
                                             help: "name the column, or remove the extra comma"))
            } else if let first = firstIndex[name] {
                out.append(diagnostics.error(.badHeader, "the header names column `\(name)` twice",
                                             at: source.location(ofColumn: index),
                                             notes: ["it is both column \(first + 1) and column \(index + 1)"],
                                             help: "rename or remove one of them"))
            } else {
                firstIndex[name] = index
            }
        }
        return out
    }

    /// A file with no rows: a CSV file with a header alone, or a JSON Lines file
    /// with no objects. Nothing is lost, so it is a warning, the same for both.
    static func noRows<S: RecordSource>(_ what: String, in source: S, with diagnostics: DataDiagnostics) -> Diagnostic {
        diagnostics.warning(.noRows, "\(diagnostics.path) has no \(what)", at: source.headerLocation)
    }

    /// Warnings for schema declarations that name no column of the file: most
    /// likely a typo, which would otherwise silently leave a column inferred.
    static func absentDeclarations<S: RecordSource>(_ declared: [String: PerkType], in source: S,
                                                    prefix: String, with diagnostics: DataDiagnostics) -> [Diagnostic] {
        let present = Set(source.columnNames)
        return declared.keys.sorted().filter { !present.contains($0) }.map { name in
            let suggestion = Suggest.closest(to: name, among: source.columnNames)
            return diagnostics.warning(.schemaColumnAbsent,
                                       "the schema declares `\(prefix)\(name)`, but \(diagnostics.path) has no column `\(name)`",
                                       at: source.headerLocation,
                                       help: suggestion.map { "did you mean `\($0)`?" })
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
                out.append(diagnostics.error(problem.code, problem.message,
                                             at: CellLocation(rowLine: row.line, rowOffset: row.offset, offset: problem.offset),
                                             help: problem.help))
            }
        }
        source.rewind()
        return out
    }

    static func headerList(_ names: [String]) -> String {
        names.isEmpty ? "(nothing)" : names.joined(separator: ", ")
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

/// Plain-words messages for cells that do not fit their column.
enum CellMessages {
    static func problem(column: String, text: String, type: PerkType, failure: CellParser.Failure)
        -> (code: DataCode, message: String, help: String?) {
        let value = shown(text)
        if case .impossible(let reason) = failure {
            switch type {
            case .date: return (.impossibleDate, "\(column) \(value) is not a date: \(reason)", nil)
            case .datetime: return (.impossibleDate, "\(column) \(value) is not a date and time: \(reason)", nil)
            default: return (.badValue, "\(column) \(value) cannot be read exactly: \(reason)", nil)
            }
        }
        switch type {
        case .number, .percent:
            return (.badValue, "\(column) \(value) is not a number",
                    "write plain digits like 12 or 12.50, with no currency sign or thousands separator")
        case .date:
            return (.badValue, "\(column) \(value) is not a date",
                    DateFix.rewritten(text).map { "write \($0)" } ?? "write dates as YYYY-MM-DD, like 2025-03-01")
        case .datetime:
            return (.badValue, "\(column) \(value) is not a date and time",
                    "write YYYY-MM-DD HH:MM or YYYY-MM-DDTHH:MM:SS, like 2025-03-01 14:30")
        case .bool:
            return (.badValue, "\(column) \(value) is not yes or no", "write true, false, yes or no")
        case .enumeration(let e):
            return (.badValue, "\(column) \(value) is not one of \(e.cases.joined(separator: ", "))",
                    "use one of those values, or add this one to the `\(e.name)` line of the schema file")
        case .text, .duration, .list, .unknown:
            return (.badValue, "\(column) \(value) cannot be read", nil)
        }
    }

    /// Said of a bad cell in a column whose type only the sample proposed:
    /// the user may mean the column to hold something else.
    static func sampledNote(column: String, type: PerkType, declaration: String) -> String {
        "Perk took `\(column)` for a column of \(TypeWords.plural(type)) from its first rows; if it holds other values, "
            + "declare `\(declaration): text` in a schema file"
    }

    /// A `tier` value outside MEMBER < SILVER < GOLD < VIP: where it ranks is
    /// unknown, so the user must declare the order (as `declaration`).
    static func undeclaredTier(_ problem: InferenceProblem, declaration: String, with diagnostics: DataDiagnostics) -> Diagnostic {
        diagnostics.error(
            .undeclaredTier,
            "tier \(shown(problem.text)) is not one of MEMBER, SILVER, GOLD, VIP, so Perk does not know how it ranks",
            at: problem.location,
            help: "declare the tiers in order in a schema file, like `\(declaration): enum MEMBER < SILVER < GOLD < VIP`, "
                + "with \(shown(problem.text)) where it belongs")
    }

    /// A cell's text for a message: cut when long, in backticks when it has
    /// spaces (so where it starts and ends is clear) or is empty.
    static func shown(_ text: String) -> String {
        // A message is one line, so line breaks inside a cell are shown as escapes.
        var t = ""
        var count = 0
        var needsQuotes = text.isEmpty
        for ch in text {
            if count == 40 {
                t += "…"
                break
            }
            count += 1
            switch ch {
            case "\n": t += "\\n"
            case "\r": t += "\\r"
            case "\r\n": t += "\\r\\n"
            default: t.append(ch)
            }
            if ch == " " || ch == "\t" || ch.isNewline { needsQuotes = true }
        }
        return needsQuotes ? "`\(t)`" : t
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
