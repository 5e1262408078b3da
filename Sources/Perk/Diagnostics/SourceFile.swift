/// A half-open range of UTF-8 byte offsets into a `SourceFile`.
///
/// Positions stay offsets while the pipeline runs; they become lines and
/// columns only when a diagnostic is rendered.
public struct SourceRange: Hashable, Sendable {
    public var start: Int
    public var end: Int

    public init(_ start: Int, _ end: Int) {
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest range that covers both.
    public func to(_ other: SourceRange) -> SourceRange {
        SourceRange(Swift.min(start, other.start), Swift.max(end, other.end))
    }

    public var isEmpty: Bool { start == end }
}

/// A line and column, both counted from 1. Columns count characters, not bytes,
/// so a position after Chinese text reads as a person would count it.
public struct LineColumn: Hashable, Sendable, CustomStringConvertible {
    public var line: Int
    public var column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
    public var description: String { "\(line):\(column)" }
}

/// The text of one input (a rules file, a REPL line) with its line starts.
public final class SourceFile: Sendable {
    public let path: String
    public let text: String
    /// The bytes the lexer reads. Invalid UTF-8 was already replaced by U+FFFD.
    public let bytes: [UInt8]
    private let lineStarts: [Int]

    public init(path: String, text: String) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Reads raw bytes, keeping count of what was not valid UTF-8 so the caller can
    /// report it instead of silently reading something else.
    public convenience init(path: String, data: [UInt8]) {
        var bytes = data
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        self.init(path: path, text: String(decoding: bytes, as: UTF8.self))
    }

    public var lineCount: Int { lineStarts.count }

    /// The 1-based line and character column of a byte offset.
    public func lineColumn(of offset: Int) -> LineColumn {
        let clamped = Swift.max(0, Swift.min(offset, bytes.count))
        let index = lineIndex(of: clamped)
        let start = lineStarts[index]
        let prefix = String(decoding: bytes[start..<clamped], as: UTF8.self)
        return LineColumn(line: index + 1, column: prefix.count + 1)
    }

    /// The text of a 1-based line, without its line break.
    public func lineText(_ line: Int) -> String {
        guard line >= 1, line <= lineStarts.count else { return "" }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return String(decoding: bytes[start..<Swift.max(start, end)], as: UTF8.self)
    }

    /// Byte offset where a 1-based line starts.
    public func lineStart(_ line: Int) -> Int {
        lineStarts[Swift.max(0, Swift.min(line - 1, lineStarts.count - 1))]
    }

    public func slice(_ range: SourceRange) -> String {
        let lo = Swift.max(0, Swift.min(range.start, bytes.count))
        let hi = Swift.max(lo, Swift.min(range.end, bytes.count))
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }

    private func lineIndex(of offset: Int) -> Int {
        var lo = 0, hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }
}
