import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What comes before a file's rows, as the parallel loaders read it: the
/// column names (a CSV header line; for JSON Lines, which has none, the keys
/// of its first records, as its sample found them), where the rows start,
/// and the warnings the header gives.
struct FileStart {
    var format: DataFormat
    var names: [String]
    /// Where the first row starts.
    var end: Int
    /// Lines before the first row.
    var lines: Int
    /// Warnings: a declared column the file lacks (CSV; for JSON Lines the
    /// general loader says it, as only it reads every key).
    var warnings: [Diagnostic]

    static func read(_ file: UnsafeBufferPointer<UInt8>, path: String, format: DataFormat, sample: ColumnSample,
                     declared: [String: PerkType], prefix: String) -> Result<FileStart, StepAside> {
        switch format {
        case .csv:
            guard let header = CleanCSV.Header(file: file, path: path) else { return .failure(.header) }
            return .success(FileStart(format: format, names: header.names, end: header.end, lines: header.lines,
                                      warnings: HeaderCheck.absentDeclarations(declared, in: header.source, prefix: prefix,
                                                                               with: header.diagnostics)))
        case .jsonLines:
            guard sample.rowsRead > 0 else { return .failure(.noRows) }
            guard sample.headerIsUsable, declared.keys.allSatisfy(sample.names.contains) else { return .failure(.header) }
            return .success(FileStart(format: format, names: sample.names, end: file.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0,
                                      lines: 0, warnings: []))
        }
    }

    /// How the rows are cut into cells; only `listColumn` may hold a JSON list.
    func scanner(listColumn: Int?) -> RowScanner {
        format == .csv ? .csv(fieldCount: names.count) : .jsonLines(JSONLinesRows(names: names, listColumn: listColumn))
    }
}

/// How a parallel loader cuts a piece of its file into rows of cells, one
/// per column: CSV (`CleanCSV.scanRows`) or JSON Lines (`JSONLinesRows`).
/// Either stops, returning nil, at anything only the general loader reports.
enum RowScanner {
    case csv(fieldCount: Int)
    case jsonLines(JSONLinesRows)

    /// As `CleanCSV.scanPiece`: the piece's line breaks and where its last
    /// row ended, or nil where the general loader must take over.
    func scanRows(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, firstLine: Int,
                  release: (Range<Int>) -> Void, row: (_ cells: [RawCell], _ start: Int, _ line: Int) -> Bool) -> PieceEnd? {
        switch self {
        case .csv(let fieldCount):
            return CleanCSV.scanPiece(file, piece, firstLine: firstLine, fieldCount: fieldCount, release: release, row: row)
        case .jsonLines(let rows):
            return rows.scanRows(file, piece, firstLine: firstLine, release: release, row: row)
        }
    }

    /// Scans the pieces cut at `bounds`, one per core (`scan(k, range)`
    /// scans piece `k` over `range`), and reads a piece again, on its own,
    /// when the cut before it fell on a line break inside quotes: the piece
    /// before read that row whole, past the cut, so this one started in the
    /// middle of it. `end` says where a scan's last row ended (nil when it
    /// stopped early), and a piece that starts past its end is empty.
    static func scanPieces<Scan>(_ bounds: [Int], end: (Scan) -> Int?, scan: (Int, Range<Int>) -> Scan) -> [Scan] {
        var scans: [Scan?] = Array(repeating: nil, count: bounds.count - 1)
        scans.withUnsafeMutableBufferPointer { results in
            DispatchQueue.concurrentPerform(iterations: results.count) { k in
                results[k] = scan(k, bounds[k]..<bounds[k + 1])
            }
        }
        var done = scans.map { $0! }
        for k in done.indices.dropLast() {
            guard let stop = end(done[k]), stop > bounds[k + 1] else { continue }
            done[k + 1] = scan(k + 1, stop..<max(stop, bounds[k + 2]))
        }
        return done
    }
}

/// Where a piece's scan ended: the line breaks it read, and the offset just
/// after its last row, which is past the piece's end when the piece was cut
/// at a line break inside quotes.
struct PieceEnd {
    var lineBreaks: Int
    var end: Int
}

/// Cuts the lines of a JSON Lines piece into cells under the columns the
/// sample found, for the parallel loaders.
///
/// A well-formed file's lines are flat objects with the keys of its first
/// records, each once, and end in `\n` or `\r\n`. Anything else stops the
/// scan: a syntax problem, a key the sample did not see (the general reader
/// makes it a column), a key given twice, a key written with escapes, a list
/// outside `listColumn`, or a lone `\r` (the general reader ends a line
/// there). A JSON string never holds a raw line break, so a cut after a
/// `\n` is always between records.
struct JSONLinesRows {
    let names: [String]
    /// The one column that may hold a list of texts (an order's items).
    let listColumn: Int?
    private let nameBytes: [[UInt8]]

    init(names: [String], listColumn: Int?) {
        self.names = names
        self.listColumn = listColumn
        nameBytes = names.map { Array($0.utf8) }
    }

    func scanRows(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, firstLine: Int,
                  release: (Range<Int>) -> Void, row: (_ cells: [RawCell], _ start: Int, _ line: Int) -> Bool) -> PieceEnd? {
        guard let base = file.baseAddress else { return piece.isEmpty ? PieceEnd(lineBreaks: 0, end: piece.upperBound) : nil }
        var cells = [RawCell](repeating: .missing(at: 0), count: names.count)
        var filled = [Bool](repeating: false, count: names.count)
        // The column of the key at each position of the last line: lines
        // almost always list their keys in one order.
        var columnAt: [Int] = []
        var record = JSONLineRecord()
        var pos = piece.lowerBound, released = pos, line = firstLine
        while pos < piece.upperBound {
            let lineEnd = memchr(base + pos, Int32(UInt8(ascii: "\n")), file.count - pos)
                .map { UnsafePointer<UInt8>($0.assumingMemoryBound(to: UInt8.self)) - base } ?? file.count
            var contentEnd = lineEnd
            if contentEnd > pos, file[contentEnd - 1] == UInt8(ascii: "\r") { contentEnd -= 1 }
            guard memchr(base + pos, Int32(UInt8(ascii: "\r")), contentEnd - pos) == nil else { return nil }
            let next = lineEnd + 1
            if (pos..<contentEnd).contains(where: { !JSONLineParser.isSpace(file[$0]) }) {
                record.members.removeAll(keepingCapacity: true)
                record.problem = nil
                var parser = JSONLineParser(p: file, pos: pos, end: contentEnd)
                parser.parseObject(into: &record)
                guard record.problem == nil else { return nil }
                for c in cells.indices {
                    cells[c] = .missing(at: pos)
                    filled[c] = false
                }
                for (k, member) in record.members.enumerated() {
                    guard !member.key.hasEscapes, let c = column(of: member.key, at: k, in: file, cache: &columnAt),
                          !filled[c] else { return nil }
                    if case .stringArray = member.value.kind, c != listColumn { return nil }
                    filled[c] = true
                    cells[c] = JSONLinesSource.cell(member.value)
                }
                guard row(cells, pos, line) else { return nil }
            }
            line += 1
            pos = next
            if pos - released >= 1 << 22 {
                release(released..<min(pos, file.count))
                released = pos
            }
        }
        release(released..<min(pos, file.count))
        return PieceEnd(lineBreaks: line - firstLine, end: min(pos, file.count))
    }

    /// The column a key names, trying the column at the same position of
    /// the last line first.
    private func column(of key: JSONValueRef, at position: Int, in file: UnsafeBufferPointer<UInt8>,
                        cache: inout [Int]) -> Int? {
        let bytes = UnsafeBufferPointer(rebasing: file[key.start..<key.end])
        if position < cache.count, nameBytes[cache[position]].elementsEqual(bytes) { return cache[position] }
        guard let c = nameBytes.firstIndex(where: { $0.elementsEqual(bytes) }) else { return nil }
        if position < cache.count { cache[position] = c } else if position == cache.count { cache.append(c) }
        return c
    }
}
