// MARK: - Where a cell is

/// Where a cell of a data file starts, kept as cheap byte offsets while a file is
/// read. It becomes a line, a column and the line's text only when a message
/// needs one: computing columns for a million good rows would be wasted work.
public struct CellLocation: Hashable, Sendable {
    /// The 1-based physical line the cell's row starts on.
    public var rowLine: Int
    /// Byte offset where that row starts (the start of `rowLine`).
    public var rowOffset: Int
    /// Byte offset of the cell itself: its first character, or its opening quote.
    public var offset: Int

    public init(rowLine: Int, rowOffset: Int, offset: Int) {
        self.rowLine = rowLine
        self.rowOffset = rowOffset
        self.offset = offset
    }
}

/// A resolved position: the line and column a person sees in an editor.
public struct DataPosition: Hashable, Sendable {
    public var line: Int
    /// 1-based, in characters, so a cell after Chinese text reads as counted by eye.
    public var column: Int
    /// The physical line's text, cut to `DataPosition.maxLineTextLength` characters.
    public var lineText: String

    public init(line: Int, column: Int, lineText: String) {
        self.line = line
        self.column = column
        self.lineText = lineText
    }

    /// Long enough to show any sensible row, short enough for a terminal.
    public static let maxLineTextLength = 300

    /// Resolves `location` within `bytes`. A row may span several physical lines
    /// (a quoted field with a line break), so line breaks between the row's start
    /// and the cell are counted: `\n`, `\r\n` and a lone `\r` each end a line.
    public static func resolve(_ location: CellLocation, in bytes: [UInt8]) -> DataPosition {
        let target = Swift.max(0, Swift.min(location.offset, bytes.count))
        var line = location.rowLine
        var lineStart = Swift.max(0, Swift.min(location.rowOffset, target))
        var i = lineStart
        while i < target {
            let b = bytes[i]
            if b == UInt8(ascii: "\n") {
                line += 1
                lineStart = i + 1
            } else if b == UInt8(ascii: "\r") {
                if i + 1 < bytes.count, bytes[i + 1] == UInt8(ascii: "\n") {
                    // The `\n` of this pair ends the line; counting the `\r` too would count it twice.
                } else {
                    line += 1
                    lineStart = i + 1
                }
            }
            i += 1
        }
        var lineEnd = target
        while lineEnd < bytes.count, bytes[lineEnd] != UInt8(ascii: "\n"), bytes[lineEnd] != UInt8(ascii: "\r") {
            lineEnd += 1
        }
        // Columns count Characters, as `SourceFile.lineColumn` and the renderer do.
        let column = String(decoding: bytes[lineStart..<target], as: UTF8.self).count + 1
        let text = String(decoding: bytes[lineStart..<lineEnd], as: UTF8.self)
        return DataPosition(line: line, column: column, lineText: truncated(text))
    }

    /// At most `maxLineTextLength` characters, the last one `…` when cut.
    static func truncated(_ text: String) -> String {
        var count = 0
        for index in text.indices {
            if count == maxLineTextLength - 1, text.index(after: index) != text.endIndex {
                return String(text[..<index]) + "…"
            }
            count += 1
        }
        return text
    }
}

// MARK: - UTF-8 validation

/// Checks UTF-8 one sequence at a time, so readers that already look at every
/// byte can validate in the same pass and name the offending position.
enum UTF8Validation {
    /// The length of the valid UTF-8 sequence starting at `i` (whose first byte
    /// is 0x80 or above), or nil when the bytes there are not valid UTF-8.
    @inline(__always)
    static func sequenceLength(_ p: UnsafeBufferPointer<UInt8>, at i: Int) -> Int? {
        let b0 = p[i]
        let n = p.count
        @inline(__always) func cont(_ k: Int, _ lo: UInt8 = 0x80, _ hi: UInt8 = 0xBF) -> Bool {
            i + k < n && p[i + k] >= lo && p[i + k] <= hi
        }
        switch b0 {
        case 0xC2...0xDF:
            return cont(1) ? 2 : nil
        case 0xE0:
            return cont(1, 0xA0) && cont(2) ? 3 : nil
        case 0xE1...0xEC, 0xEE...0xEF:
            return cont(1) && cont(2) ? 3 : nil
        case 0xED:
            // Excludes UTF-16 surrogates, which are not characters.
            return cont(1, 0x80, 0x9F) && cont(2) ? 3 : nil
        case 0xF0:
            return cont(1, 0x90) && cont(2) && cont(3) ? 4 : nil
        case 0xF1...0xF3:
            return cont(1) && cont(2) && cont(3) ? 4 : nil
        case 0xF4:
            return cont(1, 0x80, 0x8F) && cont(2) && cont(3) ? 4 : nil
        default:
            return nil
        }
    }
}
