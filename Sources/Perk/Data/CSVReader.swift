// MARK: - Records and fields

/// One field of a CSV record, as byte offsets into the file: nothing is copied
/// or decoded until a caller asks for the text.
public struct CSVField: Hashable, Sendable {
    /// Where the field starts: its opening quote if quoted. Messages point here.
    public var origin: Int
    /// The content, without the surrounding quotes.
    public var start: Int
    public var end: Int
    public var isQuoted: Bool
    /// The content holds `""` pairs that stand for one quote each.
    public var hasEscapedQuotes: Bool

    public init(origin: Int, start: Int, end: Int, isQuoted: Bool, hasEscapedQuotes: Bool) {
        self.origin = origin
        self.start = start
        self.end = end
        self.isQuoted = isQuoted
        self.hasEscapedQuotes = hasEscapedQuotes
    }
}

/// Something wrong with the shape of a record, found while splitting it.
public struct CSVProblem: Hashable, Sendable {
    public enum Kind: Hashable, Sendable {
        /// A quoted field runs to the end of the file; `offset` is its opening quote.
        case unterminatedQuote
        /// A `"` inside a field that does not start with one.
        case strayQuote
        /// Text between a closing quote and the next comma, as in `"abc"def`.
        case textAfterClosingQuote
        case wrongFieldCount(expected: Int, found: Int)
        case invalidUTF8
        case nulByte
    }

    public var kind: Kind
    /// Byte offset the problem is at.
    public var offset: Int

    public init(_ kind: Kind, at offset: Int) {
        self.kind = kind
        self.offset = offset
    }
}

/// One record: a physical line, or several when a quoted field holds line breaks.
/// Readers refill one record in place so a million rows cost no per-row arrays.
public struct CSVRecord: Sendable {
    /// The 1-based line the record starts on.
    public var line: Int = 0
    /// Byte offset where the record starts.
    public var offset: Int = 0
    public var fields: [CSVField] = []
    public var problems: [CSVProblem] = []

    public init() {}

    public func location(of field: CSVField) -> CellLocation {
        CellLocation(rowLine: line, rowOffset: offset, offset: field.origin)
    }

    public func location(ofOffset offset: Int) -> CellLocation {
        CellLocation(rowLine: line, rowOffset: self.offset, offset: offset)
    }
}

// MARK: - Reader

/// An RFC 4180 CSV reader over raw bytes.
///
/// The first record is the header. Fields may be quoted; inside quotes `""` is one
/// quote and commas and line breaks are content. Lines end in `\n`, `\r\n` or a
/// lone `\r`. A UTF-8 byte order mark is skipped. Lines that are completely empty
/// are skipped rather than read as records of one empty field, since they are
/// almost always stray blank lines, and spaces after a closing quote are ignored. Problems are reported per record and reading
/// goes on, so a caller can show every bad row at once; nothing here can trap.
public struct CSVReader: Sendable {
    public let bytes: [UInt8]
    /// The header's fields, decoded; empty for an empty file.
    public private(set) var header: [String] = []
    /// The header record, for positions and the header's own problems.
    public private(set) var headerRecord = CSVRecord()
    public var hasHeader: Bool { !headerRecord.fields.isEmpty }

    private let firstByte: Int
    private var position: Int
    private var line = 1
    /// Set after an unterminated quote: the rest of the file was one field.
    public private(set) var reachedEnd = false

    public init(bytes: [UInt8]) {
        self.bytes = bytes
        firstByte = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        position = firstByte
        var record = CSVRecord()
        if readRecord(into: &record, checkCount: false) {
            headerRecord = record
            header = record.fields.map { text(of: $0) }
        }
    }

    /// Starts again at the first record after the header.
    public mutating func rewind() {
        position = firstByte
        line = 1
        reachedEnd = false
        var record = CSVRecord()
        _ = readRecord(into: &record, checkCount: false)
    }

    /// Reads the next record after the header into `record`; false at the end.
    public mutating func readRecord(into record: inout CSVRecord) -> Bool {
        readRecord(into: &record, checkCount: true)
    }

    // MARK: Field text

    /// The field's text, with `""` turned back into `"`.
    public func text(of field: CSVField) -> String {
        if !field.hasEscapedQuotes {
            return String(decoding: bytes[field.start..<field.end], as: UTF8.self)
        }
        return String(decoding: unescapedBytes(of: field), as: UTF8.self)
    }

    /// The content bytes with `""` pairs collapsed.
    public func unescapedBytes(of field: CSVField) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(field.end - field.start)
        var i = field.start
        while i < field.end {
            let b = bytes[i]
            out.append(b)
            i += (b == UInt8(ascii: "\"") && i + 1 < field.end && bytes[i + 1] == UInt8(ascii: "\"")) ? 2 : 1
        }
        return out
    }

    public func position(of location: CellLocation) -> DataPosition {
        DataPosition.resolve(location, in: bytes)
    }

    // MARK: Splitting

    private mutating func readRecord(into record: inout CSVRecord, checkCount: Bool) -> Bool {
        record.fields.removeAll(keepingCapacity: true)
        record.problems.removeAll(keepingCapacity: true)
        if reachedEnd { return false }
        let expected = checkCount ? headerRecord.fields.count : 0
        var scanner = Scanner(position: position, line: line)
        let found = bytes.withUnsafeBufferPointer { buffer in
            scanner.scanRecord(buffer, into: &record)
        }
        position = scanner.position
        line = scanner.line
        if scanner.unterminated { reachedEnd = true }
        guard found else { return false }
        if checkCount, !scanner.unterminated, record.fields.count != expected {
            let at = record.fields.count > expected ? record.fields[expected].origin : record.offset
            record.problems.append(CSVProblem(.wrongFieldCount(expected: expected, found: record.fields.count), at: at))
        }
        return true
    }

    /// The byte loop, kept apart so it works on a raw buffer with no bounds checks
    /// beyond its own and no copies of the reader.
    private struct Scanner {
        var position: Int
        var line: Int
        var unterminated = false
        // One report of each per record is enough to point the user at it.
        private var sawNul = false
        private var sawInvalidUTF8 = false

        init(position: Int, line: Int) {
            self.position = position
            self.line = line
        }

        mutating func scanRecord(_ p: UnsafeBufferPointer<UInt8>, into record: inout CSVRecord) -> Bool {
            let end = p.count
            var pos = position
            // Skip empty lines between records.
            while pos < end, p[pos] == UInt8(ascii: "\n") || p[pos] == UInt8(ascii: "\r") {
                pos += (p[pos] == UInt8(ascii: "\r") && pos + 1 < end && p[pos + 1] == UInt8(ascii: "\n")) ? 2 : 1
                line += 1
            }
            guard pos < end else {
                position = pos
                return false
            }
            record.line = line
            record.offset = pos

            fields: while true {
                let origin = pos
                if pos < end, p[pos] == UInt8(ascii: "\"") {
                    pos += 1
                    let start = pos
                    var escaped = false
                    var closed = false
                    while pos < end {
                        let b = p[pos]
                        if b == UInt8(ascii: "\"") {
                            if pos + 1 < end, p[pos + 1] == UInt8(ascii: "\"") {
                                escaped = true
                                pos += 2
                                continue
                            }
                            closed = true
                            break
                        }
                        pos = step(p, pos, &record)
                    }
                    let contentEnd = pos
                    record.fields.append(CSVField(origin: origin, start: start, end: contentEnd, isQuoted: true, hasEscapedQuotes: escaped))
                    guard closed else {
                        record.problems.append(CSVProblem(.unterminatedQuote, at: origin))
                        unterminated = true
                        break fields
                    }
                    pos += 1
                    // Spaces after a closing quote are a common slip that hides nothing: skip them.
                    while pos < end, p[pos] == UInt8(ascii: " ") || p[pos] == UInt8(ascii: "\t") { pos += 1 }
                    if pos < end, !Scanner.endsField(p[pos]) {
                        record.problems.append(CSVProblem(.textAfterClosingQuote, at: pos))
                        while pos < end, !Scanner.endsField(p[pos]) { pos = step(p, pos, &record) }
                    }
                } else {
                    let start = pos
                    var reportedQuote = false
                    while pos < end {
                        let b = p[pos]
                        if Scanner.isPlain(b) {
                            pos += 1
                            continue
                        }
                        if Scanner.endsField(b) { break }
                        if b == UInt8(ascii: "\""), !reportedQuote {
                            record.problems.append(CSVProblem(.strayQuote, at: pos))
                            reportedQuote = true
                        }
                        pos = step(p, pos, &record)
                    }
                    record.fields.append(CSVField(origin: origin, start: start, end: pos, isQuoted: false, hasEscapedQuotes: false))
                }
                guard pos < end else { break }
                if p[pos] == UInt8(ascii: ",") {
                    pos += 1
                    continue
                }
                // A line break ends the record.
                pos += (p[pos] == UInt8(ascii: "\r") && pos + 1 < end && p[pos + 1] == UInt8(ascii: "\n")) ? 2 : 1
                line += 1
                break
            }
            position = pos
            return true
        }

        /// Moves past one byte (or one UTF-8 sequence) inside a field, counting line
        /// breaks and noting NUL bytes and invalid UTF-8.
        @inline(__always)
        private mutating func step(_ p: UnsafeBufferPointer<UInt8>, _ pos: Int, _ record: inout CSVRecord) -> Int {
            let b = p[pos]
            if b < 0x80 {
                if b == UInt8(ascii: "\n") {
                    line += 1
                } else if b == UInt8(ascii: "\r") {
                    if !(pos + 1 < p.count && p[pos + 1] == UInt8(ascii: "\n")) { line += 1 }
                } else if b == 0, !sawNul {
                    record.problems.append(CSVProblem(.nulByte, at: pos))
                    sawNul = true
                }
                return pos + 1
            }
            if let length = UTF8Validation.sequenceLength(p, at: pos) { return pos + length }
            if !sawInvalidUTF8 {
                record.problems.append(CSVProblem(.invalidUTF8, at: pos))
                sawInvalidUTF8 = true
            }
            return pos + 1
        }

        /// Bytes an unquoted field can hold with no further thought.
        @inline(__always)
        static func isPlain(_ b: UInt8) -> Bool {
            b < 0x80 && b != UInt8(ascii: ",") && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\n")
                && b != UInt8(ascii: "\r") && b != 0
        }

        @inline(__always)
        static func endsField(_ b: UInt8) -> Bool {
            b == UInt8(ascii: ",") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
        }
    }
}
