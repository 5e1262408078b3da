/// The first step of every load: a data file's column names, and for each
/// column the type a bounded sample of its first rows proposes, read before
/// any row is loaded.
///
/// Only the start of the file is read: the header (for JSON Lines, the keys
/// of the sampled records, in order of first appearance) and the first
/// `rows` rows. A column that shows no value in them is sampled on, up to
/// `extendedRows`, so a column empty at the top of the file still gets the
/// type its values have. The sample proposes; the loader then reads every
/// row against that type, and a cell that does not fit it is reported where
/// it is (see `ColumnTyping`), never a silent change of the column's type.
public struct ColumnSample: Sendable {
    public var names: [String]
    /// Per column name: the type its sampled cells propose (`ColumnTypeInferrer.proposal`).
    public var proposed: [String: InferredColumn]
    /// How many rows were sampled.
    public var rowsRead: Int
    /// Columns with no value in the sampled rows.
    public var valueless: Set<String>
    /// The file has a header (or, for JSON Lines, a record) without problems
    /// of its own: names that are there, each once. Otherwise the load, not
    /// the sample, says what is wrong.
    public var headerIsUsable: Bool

    /// Rows sampled to propose the types: enough for a column's shape, few
    /// enough that a million-row file is checked in milliseconds.
    public static let rows = 1_000
    /// The most rows read for a column that has shown no value yet.
    public static let extendedRows = 50_000

    /// The sample of a file already in memory (or mapped), in `format`.
    static func of(file: UnsafeBufferPointer<UInt8>, format: DataFormat) -> ColumnSample {
        var limit = rows
        while true {
            let (prefix, isWholeFile) = Self.prefix(of: file, lines: limit + 2)
            let sample: ColumnSample
            switch format {
            case .csv:
                var source = CSVSource(bytes: prefix)
                sample = take(&source, limit: limit)
            case .jsonLines:
                var source = JSONLinesSource(bytes: prefix)
                sample = take(&source, limit: limit)
            }
            // Columns still without a value are worth a longer look, once.
            let needsMore = !sample.valueless.isEmpty
            if isWholeFile || !needsMore || limit >= extendedRows || sample.rowsRead < limit { return sample }
            limit = extendedRows
        }
    }

    /// Reads the start of the file at `path`; nil when it cannot be read,
    /// and the load, which reads it again, says why.
    public static func read(path: String) -> ColumnSample? {
        guard let format = DataFormat.of(path: path) else { return nil }
        if let mapped = MappedFile(path: path) { return of(file: mapped.bytes, format: format) }
        guard case .success(let bytes) = DataFile.read(path: path) else { return nil }
        return bytes.withUnsafeBufferPointer { of(file: $0, format: format) }
    }

    /// Samples the first `limit` rows of `source`, then rewinds it. Rows
    /// whose cells do not line up are left out, as the load reports them.
    static func take<S: RecordSource>(_ source: inout S, limit: Int) -> ColumnSample {
        let names = source.columnNames
        var inferrers = names.map { ColumnTypeInferrer(columnName: $0) }
        var row = RawRow()
        var rowsRead = 0
        let bytes = source.bytes
        bytes.withUnsafeBufferPointer { file in
            let cells = CellValues(file: file)
            while rowsRead < limit, source.next(into: &row) {
                rowsRead += 1
                if row.isMisaligned || row.cells.count != names.count { continue }
                for c in names.indices {
                    let cell = row.cells[c]
                    // A list belongs in `items` only; the load reports it elsewhere.
                    if cell.encoding == .list { continue }
                    cells.withValue(of: cell) { inferrers[c].observe(bytes: $0, at: row.location(of: cell)) }
                }
            }
        }
        source.rewind()
        var proposed: [String: InferredColumn] = [:]
        for (c, name) in names.enumerated() where proposed[name] == nil { proposed[name] = inferrers[c].proposal }
        let valueless = Set(names.indices.filter { inferrers[$0].valuesSeen == 0 }.map { names[$0] })
        let usable = !source.isEmpty && source.headerProblems.isEmpty && !names.contains("") && Set(names).count == names.count
        return ColumnSample(names: names, proposed: proposed, rowsRead: rowsRead, valueless: valueless, headerIsUsable: usable)
    }

    /// The file up to and including its `lines`-th line break (the whole file
    /// when it has fewer), and whether that is the whole file.
    private static func prefix(of file: UnsafeBufferPointer<UInt8>, lines: Int) -> ([UInt8], Bool) {
        var seen = 0
        for i in file.indices where file[i] == UInt8(ascii: "\n") {
            seen += 1
            if seen == lines { return (Array(file[0...i]), i + 1 == file.count) }
        }
        return (Array(file), true)
    }
}
