import Foundation

/// What the parallel loaders share: reading a clean CSV file's header,
/// cutting the rest into one piece per core, and splitting a piece's rows
/// into cells.
///
/// "Clean" is what every well-formed export is: a plain header, and rows
/// whose fields are plain or quoted (with `""` for a quote inside), in UTF-8
/// with no NUL bytes or lone `\r`. Anything else stops the scan, and the
/// caller leaves the file to the general loader, which reports it.
enum CleanCSV {
    /// The header line, when it is one a parallel loader can take on.
    struct Header {
        var names: [String]
        /// The header alone, for the messages and checks that need a source.
        var source: CSVSource
        var diagnostics: DataDiagnostics
        /// Where the first row starts.
        var end: Int
        /// Lines the header takes up.
        let lines = 1

        init?(file: UnsafeBufferPointer<UInt8>, path: String) {
            // The header ends at its first line break, whichever style. A lone
            // `\r` (old Mac line ends) is left to the general reader, as it is
            // in the rows: looking only for `\n` would take the first row for
            // part of the header, and that row would be lost.
            guard let lineEnd = file.firstIndex(where: { $0 == UInt8(ascii: "\n") || $0 == UInt8(ascii: "\r") }) else {
                return nil
            }
            var newline = lineEnd
            if file[lineEnd] == UInt8(ascii: "\r") {
                guard lineEnd + 1 < file.count, file[lineEnd + 1] == UInt8(ascii: "\n") else { return nil }
                newline = lineEnd + 1
            }
            let bytes = Array(file[0...newline])
            // Quoted names are rare; the general loader reads them.
            guard !bytes.contains(UInt8(ascii: "\"")) else { return nil }
            source = CSVSource(bytes: bytes)
            diagnostics = DataDiagnostics(path: path, bytes: bytes)
            guard HeaderCheck.problems(of: source, what: "", with: diagnostics).isEmpty else { return nil }
            names = source.columnNames
            end = newline + 1
        }
    }

    /// Where the pieces start and end: after line breaks near equal shares of
    /// the bytes, no piece smaller than `minimumBytes`. A break inside a quoted
    /// field is found out by the piece before it, whose last row then runs
    /// past the end of its piece.
    static func splitPoints(of file: UnsafeBufferPointer<UInt8>, from start: Int, pieces: Int, minimumBytes: Int) -> [Int] {
        let count = max(1, min(pieces, (file.count - start) / max(1, minimumBytes)))
        var points = [start]
        for k in 1..<count {
            var p = max(points[points.count - 1], start + (file.count - start) * k / count)
            while p < file.count, file[p] != UInt8(ascii: "\n") { p += 1 }
            points.append(min(p + 1, file.count))
        }
        points.append(file.count)
        return points
    }

    /// Splits each row of `piece` into `fieldCount` cells and calls `row`
    /// with them, the row's first byte and its line. Blank lines are skipped,
    /// as the general reader does. A quoted field with `""` in it is a
    /// `.csvQuotes` cell, decoded only if it is read.
    ///
    /// Returns how many line breaks the piece holds, or nil when the scan
    /// stopped: at anything unclean, at a row with the wrong number of
    /// fields, at a row running past the piece, or because `row` returned
    /// false. Pages already read are passed to `release` every few megabytes.
    static func scanRows(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, firstLine: Int, fieldCount: Int,
                         release: (Range<Int>) -> Void,
                         row: (_ cells: [RawCell], _ start: Int, _ line: Int) -> Bool) -> Int? {
        scan(file, piece, firstLine: firstLine, fieldCount: fieldCount, lastRowMayRunOn: false, release: release, row: row)?
            .lineBreaks
    }

    /// As `scanRows`, but the piece's last row may run on past its end: a
    /// piece was cut at a line break inside quotes, and the row holding it
    /// is read whole (see `PieceEnd`).
    static func scanPiece(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, firstLine: Int, fieldCount: Int,
                          release: (Range<Int>) -> Void,
                          row: (_ cells: [RawCell], _ start: Int, _ line: Int) -> Bool) -> PieceEnd? {
        scan(file, piece, firstLine: firstLine, fieldCount: fieldCount, lastRowMayRunOn: true, release: release, row: row)
    }

    private static func scan(_ file: UnsafeBufferPointer<UInt8>, _ piece: Range<Int>, firstLine: Int, fieldCount: Int,
                             lastRowMayRunOn: Bool, release: (Range<Int>) -> Void,
                             row: (_ cells: [RawCell], _ start: Int, _ line: Int) -> Bool) -> PieceEnd? {
        var cells = [RawCell](repeating: .missing(at: 0), count: fieldCount)
        let end = file.count
        var pos = piece.lowerBound
        var released = pos
        var line = firstLine
        while pos < piece.upperBound {
            let b = file[pos]
            if b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r") {
                // A blank line; a lone \r is left to the general reader.
                guard b == UInt8(ascii: "\n") || (pos + 1 < end && file[pos + 1] == UInt8(ascii: "\n")) else { return nil }
                pos += b == UInt8(ascii: "\n") ? 1 : 2
                line += 1
                continue
            }
            let rowStart = pos, rowLine = line
            for c in 0..<fieldCount {
                if pos < end, file[pos] == UInt8(ascii: "\"") {
                    var escaped = false
                    guard let close = closingQuote(in: file, after: pos, lines: &line, escaped: &escaped) else { return nil }
                    cells[c] = RawCell(start: pos + 1, end: close, origin: pos, encoding: escaped ? .csvQuotes : .quoted)
                    pos = close + 1
                    while pos < end, file[pos] == UInt8(ascii: " ") || file[pos] == UInt8(ascii: "\t") { pos += 1 }
                } else {
                    guard let fieldEnd = plainFieldEnd(in: file, from: pos) else { return nil }
                    cells[c] = RawCell(start: pos, end: fieldEnd, origin: pos, encoding: .plain)
                    pos = fieldEnd
                }
                if c + 1 < fieldCount {
                    guard pos < end, file[pos] == UInt8(ascii: ",") else { return nil }
                    pos += 1
                } else if pos < end {
                    if file[pos] == UInt8(ascii: "\r"), pos + 1 < end, file[pos + 1] == UInt8(ascii: "\n") { pos += 1 }
                    guard file[pos] == UInt8(ascii: "\n") else { return nil }
                    pos += 1
                    line += 1
                }
            }
            // A row running past the piece means the split fell inside quotes.
            guard pos <= piece.upperBound || lastRowMayRunOn, row(cells, rowStart, rowLine) else { return nil }
            if pos - released >= 1 << 22 {
                release(released..<pos)
                released = pos
            }
        }
        release(released..<pos)
        return PieceEnd(lineBreaks: line - firstLine, end: pos)
    }

    /// The closing quote of the field opening at `open`, noting in `escaped`
    /// whether a `""` stands for a quote inside it; nil for a lone `\r` (a
    /// line the general reader counts, as it counts `\r\n` once), a NUL
    /// byte, invalid UTF-8 or no closing quote.
    private static func closingQuote(in file: UnsafeBufferPointer<UInt8>, after open: Int, lines: inout Int,
                                     escaped: inout Bool) -> Int? {
        var pos = open + 1
        while pos < file.count {
            let b = file[pos]
            if b == UInt8(ascii: "\"") {
                guard pos + 1 < file.count, file[pos + 1] == UInt8(ascii: "\"") else { return pos }
                escaped = true
                pos += 2
                continue
            }
            if b >= 0x80 {
                guard let n = UTF8Validation.sequenceLength(file, at: pos) else { return nil }
                pos += n
                continue
            }
            if b == 0 { return nil }
            if b == UInt8(ascii: "\r") {
                // Counted as a line with the `\n` that must follow it.
                guard pos + 1 < file.count, file[pos + 1] == UInt8(ascii: "\n") else { return nil }
            }
            if b == UInt8(ascii: "\n") { lines += 1 }
            pos += 1
        }
        return nil
    }

    /// Where the unquoted field at `start` ends; nil for a quote, a NUL byte
    /// or invalid UTF-8 inside it. Eight bytes are tested at a time, skipping
    /// straight to the first that is not plain (above `"`, not `,`, ASCII).
    @inline(__always)
    static func plainFieldEnd(in file: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        var pos = start
        let raw = UnsafeRawBufferPointer(file)
        while pos < file.count {
            if pos + 8 <= file.count {
                let special = specialBytes(UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: pos, as: UInt64.self)))
                if special == 0 {
                    pos += 8
                    continue
                }
                pos += special.trailingZeroBitCount >> 3
            }
            let b = file[pos]
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

    /// The high bit of each byte of `w` that may not be plain: at most `"`
    /// (0x22), a comma, or non-ASCII. Standard bit tricks: a byte below 0x23
    /// borrows when 0x23 is subtracted, and a comma becomes zero when xored
    /// with 0x2C. Borrows only run upwards from a byte truly flagged, so the
    /// lowest flag is always right; flags above it are checked one by one.
    @inline(__always)
    static func specialBytes(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let below = w &- ones &* 0x23
        let comma = (w ^ (ones &* 0x2C)) &- ones
        return ((below | comma) & ~w | w) & highs
    }
}
