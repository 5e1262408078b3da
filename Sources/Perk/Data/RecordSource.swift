// MARK: - Rows as the loader sees them

/// One cell of a row, aligned with the file's columns, still as file bytes.
struct RawCell: Sendable {
    enum Encoding: UInt8, Sendable {
        /// `start..<end` of the file is the value, written bare: spaces and
        /// tabs around it are not part of it (`C001 ` is `C001`).
        case plain
        /// `start..<end` of the file is the value, written in quotes (a CSV
        /// field or a JSON string), so it is kept exactly, spaces included.
        case quoted
        /// A CSV field holding `""` pairs.
        case csvQuotes
        /// A JSON string holding backslash escapes.
        case jsonEscapes
        /// Absent: a JSON `null` or a key the line does not have.
        case missing
        /// A JSON array of strings; `start..<end` is the whole `[...]`.
        case list
    }

    var start: Int
    var end: Int
    /// Where messages about the cell point.
    var origin: Int
    var encoding: Encoding

    static func missing(at origin: Int) -> RawCell {
        RawCell(start: origin, end: origin, origin: origin, encoding: .missing)
    }
}

/// A problem with a row's structure, found by the reader.
struct RowProblem: Sendable {
    var code: DataCode
    var message: String
    var help: String?
    var offset: Int
    /// Nothing after this point of the file can be trusted (an unterminated quote).
    var isFatal = false
}

struct RawRow: Sendable {
    var line = 0
    var offset = 0
    var cells: [RawCell] = []
    var problems: [RowProblem] = []
    /// The cells do not line up with the columns, so none of them is read.
    var isMisaligned = false

    /// Empties the row for the record starting at `line` and `offset`,
    /// keeping its arrays' room for the next record's cells.
    mutating func start(line: Int, offset: Int, isMisaligned: Bool) {
        self.line = line
        self.offset = offset
        self.isMisaligned = isMisaligned
        cells.removeAll(keepingCapacity: true)
        problems.removeAll(keepingCapacity: true)
    }

    func location(of cell: RawCell) -> CellLocation {
        CellLocation(rowLine: line, rowOffset: offset, offset: cell.origin)
    }

    var startLocation: CellLocation {
        CellLocation(rowLine: line, rowOffset: offset, offset: offset)
    }
}

/// A data file read as rows of cells under named columns, whatever its format.
protocol RecordSource {
    /// The format the source reads, for sampling its file again from the start.
    static var format: DataFormat { get }
    var bytes: [UInt8] { get }
    var columnNames: [String] { get }
    /// Where the column names come from, for messages about them.
    var headerLocation: CellLocation { get }
    func location(ofColumn index: Int) -> CellLocation
    /// Problems with the header itself; any of them stops the load.
    var headerProblems: [RowProblem] { get }
    /// True when the file has no header (CSV) or no object (JSON Lines).
    var isEmpty: Bool { get }
    /// The column names are gathered from the rows (JSON Lines), so a row cut
    /// short by a syntax error can hide a column.
    var columnsComeFromRows: Bool { get }

    mutating func next(into row: inout RawRow) -> Bool
    mutating func rewind()
}

extension RecordSource {
    /// The sample of the source's first rows, as `DataLoader` takes it.
    var sample: ColumnSample {
        bytes.withUnsafeBufferPointer { ColumnSample.of(file: $0, format: Self.format) }
    }

    /// About how many rows the file holds, so big tables can reserve their
    /// arrays instead of regrowing them.
    var estimatedRowCount: Int {
        bytes.withUnsafeBufferPointer { LineEstimate.lines(in: $0, from: 0) }
    }
}

/// About how many lines `file[start...]` holds, from the line lengths of its
/// first 64 KB.
enum LineEstimate {
    static func lines(in file: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let sample = Swift.min(file.count - start, 1 << 16)
        guard sample > 0 else { return 0 }
        var lines = 0
        for i in start..<(start + sample) where file[i] == UInt8(ascii: "\n") { lines += 1 }
        guard lines > 0 else { return 1 }
        // 5% spare, since later lines may be shorter than the first ones.
        return (file.count - start) / sample * lines * 21 / 20 + lines
    }
}

// MARK: - Cell values

/// Reads the values of cells out of the file's bytes.
///
/// Decoding needs only the bytes, never the reader, so the loaders' hot loops
/// hold this one pointer rather than touching a source (and copying it).
struct CellValues {
    let file: UnsafeBufferPointer<UInt8>

    /// Calls `body` with the cell's value bytes: a bare cell trimmed of
    /// spaces and tabs, a quoted one exactly as written (a quote is how a
    /// user says the spaces matter). A value of nothing but spaces is empty
    /// either way. Cells in the file's bytes cost no copy.
    ///
    /// Typed values (numbers, dates, booleans, tiers) ignore spaces around
    /// them wherever they come from: `CellParser.trimmed` before parsing.
    @inline(__always)
    func withValue<R>(of cell: RawCell, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        switch cell.encoding {
        case .plain:
            return body(CellParser.trimmed(UnsafeBufferPointer(rebasing: file[cell.start..<cell.end])))
        case .quoted:
            return body(CellParser.blankAsEmpty(UnsafeBufferPointer(rebasing: file[cell.start..<cell.end])))
        case .missing:
            return body(UnsafeBufferPointer(rebasing: file[cell.origin..<cell.origin]))
        case .csvQuotes, .jsonEscapes, .list:
            let decoded = decodedBytes(of: cell)
            return decoded.withUnsafeBufferPointer { body(CellParser.blankAsEmpty($0)) }
        }
    }

    func text(of cell: RawCell) -> String {
        withValue(of: cell) { String(decoding: $0, as: UTF8.self) }
    }

    /// The value bytes of a cell that is not `.plain`.
    func decodedBytes(of cell: RawCell) -> [UInt8] {
        switch cell.encoding {
        case .plain, .quoted:
            return Array(file[cell.start..<cell.end])
        case .missing:
            return []
        case .csvQuotes:
            var out: [UInt8] = []
            out.reserveCapacity(cell.end - cell.start)
            var i = cell.start
            while i < cell.end {
                let b = file[i]
                out.append(b)
                i += (b == UInt8(ascii: "\"") && i + 1 < cell.end && file[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
            }
            return out
        case .jsonEscapes:
            return JSONStrings.decode(file, cell.start, cell.end)
        case .list:
            // A list read as one value, as when a list lands in a text column.
            return Array(listItems(of: cell).joined(separator: "; ").utf8)
        }
    }

    /// The strings of a `.list` cell; any other cell as a single string.
    func listItems(of cell: RawCell) -> [String] {
        cell.encoding == .list ? JSONStrings.arrayElements(file, cell.start, cell.end) : [text(of: cell)]
    }
}

// MARK: - CSV

struct CSVSource: RecordSource {
    static var format: DataFormat { .csv }
    private var reader: CSVReader
    private var record = CSVRecord()
    let columnNames: [String]
    let headerProblems: [RowProblem]

    init(bytes: [UInt8]) {
        reader = CSVReader(bytes: bytes)
        columnNames = reader.header.map(Self.trimmed)
        headerProblems = reader.headerRecord.problems.map(Self.rowProblem)
    }

    var bytes: [UInt8] { reader.bytes }
    var isEmpty: Bool { !reader.hasHeader }
    var columnsComeFromRows: Bool { false }

    var headerLocation: CellLocation {
        guard reader.hasHeader else {
            // An empty file: its first line, after any byte order mark.
            let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
            return CellLocation(rowLine: 1, rowOffset: start, offset: start)
        }
        return reader.headerRecord.location(ofOffset: reader.headerRecord.offset)
    }

    func location(ofColumn index: Int) -> CellLocation {
        let fields = reader.headerRecord.fields
        return index < fields.count ? reader.headerRecord.location(of: fields[index]) : headerLocation
    }

    mutating func rewind() { reader.rewind() }

    mutating func next(into row: inout RawRow) -> Bool {
        guard reader.readRecord(into: &record) else { return false }
        row.start(line: record.line, offset: record.offset, isMisaligned: record.fields.count != columnNames.count)
        let file = reader.bytes
        for field in record.fields {
            var origin = field.origin
            if !field.isQuoted {
                // Point at the value, not at the spaces before it (unless it is all spaces).
                while origin < field.end, file[origin] == UInt8(ascii: " ") || file[origin] == UInt8(ascii: "\t") {
                    origin += 1
                }
                if origin == field.end { origin = field.origin }
            }
            row.cells.append(RawCell(start: field.start, end: field.end, origin: origin,
                                     encoding: field.hasEscapedQuotes ? .csvQuotes : field.isQuoted ? .quoted : .plain))
        }
        while row.cells.count < columnNames.count { row.cells.append(.missing(at: record.offset)) }
        for problem in record.problems {
            let mapped = Self.rowProblem(problem)
            if mapped.isFatal { row.isMisaligned = true }
            row.problems.append(mapped)
        }
        return true
    }

    /// A header name without surrounding spaces: ` amount` still names `amount`.
    private static func trimmed(_ name: String) -> String {
        var s = Substring(name)
        while let c = s.first, c == " " || c == "\t" { s.removeFirst() }
        while let c = s.last, c == " " || c == "\t" { s.removeLast() }
        return String(s)
    }

    private static func rowProblem(_ p: CSVProblem) -> RowProblem {
        switch p.kind {
        case .unterminatedQuote:
            return RowProblem(code: .unterminatedQuote, message: "this quote is never closed, so the rest of the file reads as one field",
                              help: "add the closing `\"`; a quote inside a quoted field is written twice, as `\"\"`",
                              offset: p.offset, isFatal: true)
        case .strayQuote:
            return RowProblem(code: .strayQuote, message: "a `\"` in the middle of a field that does not start with one",
                              help: "put the whole field in quotes and write the quote twice, like \"5\"\" pot\"",
                              offset: p.offset)
        case .textAfterClosingQuote:
            return RowProblem(code: .strayQuote, message: "text after the closing quote of a field",
                              help: "a quote inside a quoted field is written twice, as `\"\"`", offset: p.offset)
        case .wrongFieldCount(let expected, let found):
            return RowProblem(code: .wrongFieldCount,
                              message: "this row has \(found) \(found == 1 ? "field" : "fields") but the header has \(expected)",
                              help: found > expected
                                ? "a comma inside a value needs quotes around the value, like \"Hangzhou, Xihu\""
                                : "every row needs a value (or an empty place) for each column",
                              offset: p.offset)
        case .invalidUTF8:
            return RowProblem(code: .invalidUTF8, message: "this text is not valid UTF-8",
                              help: "save the file as UTF-8 (in Excel: CSV UTF-8)", offset: p.offset)
        case .nulByte:
            return RowProblem(code: .nulByte, message: "this row holds a NUL byte (a binary zero)",
                              help: "the file may be damaged or not a text file; export it again as CSV", offset: p.offset)
        }
    }
}

// MARK: - JSON Lines

struct JSONLinesSource: RecordSource {
    static var format: DataFormat { .jsonLines }
    private var reader: JSONLinesReader
    private var record = JSONLineRecord()
    private var fields: FieldNames
    private let keyLocations: [CellLocation]
    let headerLocation: CellLocation
    let isEmpty: Bool
    var headerProblems: [RowProblem] { [] }
    /// Which columns the current line has filled, to catch a field given twice.
    private var filled: [Bool]

    init(bytes: [UInt8]) {
        reader = JSONLinesReader(bytes: bytes)
        // A first pass collects the field names, in order of first appearance.
        var fields = FieldNames()
        var locations: [CellLocation] = []
        var first: CellLocation?
        var record = JSONLineRecord()
        while reader.readRecord(into: &record) {
            if first == nil { first = record.location(ofOffset: record.offset) }
            for (position, member) in record.members.enumerated() {
                let known = fields.names.count
                _ = fields.column(of: member.key, position: position, in: reader, adding: true)
                if fields.names.count > known { locations.append(record.location(ofOffset: member.key.origin)) }
            }
        }
        reader.rewind()
        self.fields = fields
        keyLocations = locations
        // An empty file: its first line, after any byte order mark, as for CSV.
        let start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        headerLocation = first ?? CellLocation(rowLine: 1, rowOffset: start, offset: start)
        isEmpty = first == nil
        filled = Array(repeating: false, count: fields.names.count)
    }

    var bytes: [UInt8] { reader.bytes }
    var columnNames: [String] { fields.names }
    var columnsComeFromRows: Bool { true }

    func location(ofColumn index: Int) -> CellLocation {
        index < keyLocations.count ? keyLocations[index] : headerLocation
    }

    mutating func rewind() { reader.rewind() }

    mutating func next(into row: inout RawRow) -> Bool {
        guard reader.readRecord(into: &record) else { return false }
        row.start(line: record.line, offset: record.offset, isMisaligned: false)
        for c in filled.indices {
            row.cells.append(.missing(at: record.offset))
            filled[c] = false
        }
        for (position, member) in record.members.enumerated() {
            guard let column = fields.column(of: member.key, position: position, in: reader, adding: false) else { continue }
            if filled[column] {
                row.problems.append(RowProblem(code: .jsonSyntax, message: "field `\(fields.names[column])` appears twice on this line",
                                               help: nil, offset: member.key.origin))
                row.isMisaligned = true
                continue
            }
            filled[column] = true
            row.cells[column] = Self.cell(member.value)
        }
        if let problem = record.problem {
            row.problems.append(Self.rowProblem(problem))
            row.isMisaligned = true
        }
        return true
    }

    /// The cell a JSON value makes, for this source and the parallel loaders alike.
    static func cell(_ value: JSONValueRef) -> RawCell {
        switch value.kind {
        case .null:
            return .missing(at: value.origin)
        case .string:
            return RawCell(start: value.start, end: value.end, origin: value.origin,
                           encoding: value.hasEscapes ? .jsonEscapes : .quoted)
        case .number, .bool:
            return RawCell(start: value.start, end: value.end, origin: value.origin, encoding: .plain)
        case .stringArray:
            return RawCell(start: value.start, end: value.end, origin: value.origin, encoding: .list)
        }
    }

    private static func rowProblem(_ p: JSONProblem) -> RowProblem {
        let code: DataCode
        switch p.kind {
        case .invalidUTF8: code = .invalidUTF8
        case .nulByte: code = .nulByte
        default: code = .jsonSyntax
        }
        let help: String?
        switch p.kind {
        case .nestedObject: help = "put each value in a field of its own, like \"address_city\": \"Hangzhou\""
        case .exponent: help = "write 1000 rather than 1e3"
        case .notAnObject: help = "JSON Lines files hold one object per line, like {\"customer_id\": \"C001\"}"
        default: help = nil
        }
        return RowProblem(code: code, message: p.message, help: help, offset: p.offset)
    }
}


/// The field names of a JSON Lines file, each a column.
///
/// Lines of one file almost always list their fields in the same order, so the
/// key bytes seen at each position of the last line are kept: a key equal to
/// them needs no string and no dictionary lookup.
private struct FieldNames {
    private(set) var names: [String] = []
    private var index: [String: Int] = [:]
    private var cachedKeys: [[UInt8]] = []
    private var cachedColumns: [Int] = []

    /// The column `key` names; with `adding`, an unseen name becomes a new column.
    mutating func column(of key: JSONValueRef, position: Int, in reader: JSONLinesReader, adding: Bool) -> Int? {
        let file = reader.bytes
        if !key.hasEscapes, position < cachedKeys.count, cachedKeys[position].elementsEqual(file[key.start..<key.end]) {
            return cachedColumns[position]
        }
        let name = reader.text(of: key)
        let column: Int
        if let known = index[name] {
            column = known
        } else if adding {
            column = names.count
            index[name] = column
            names.append(name)
        } else {
            return nil
        }
        if !key.hasEscapes, position <= cachedKeys.count {
            if position == cachedKeys.count {
                cachedKeys.append(Array(file[key.start..<key.end]))
                cachedColumns.append(column)
            } else {
                cachedKeys[position] = Array(file[key.start..<key.end])
                cachedColumns[position] = column
            }
        }
        return column
    }
}
