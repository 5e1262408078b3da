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

/// A run of bytes in a file that are not UTF-8, as read from disk: where the
/// U+FFFD that stands in for it lies in `SourceFile.bytes`, and the bytes.
public struct InvalidUTF8: Sendable, Equatable {
    public var range: SourceRange
    public var bytes: [UInt8]

    /// `0xFF` or `0xE6 0x9D`, as a message shows them.
    public var hex: String {
        bytes.map { "0x" + String($0, radix: 16, uppercase: true).leftPadded(to: 2) }.joined(separator: " ")
    }

    /// `a byte that is not valid UTF-8 (0xFF)`, for messages.
    public var phrase: String {
        (bytes.count == 1 ? "a byte that is not valid UTF-8" : "bytes that are not valid UTF-8") + " (\(hex))"
    }
}

/// The text of one input (a rules file, a REPL line) with its line starts.
public final class SourceFile: Sendable {
    public let path: String
    public let text: String
    /// The bytes the lexer reads. Invalid UTF-8 was already replaced by U+FFFD.
    public let bytes: [UInt8]
    /// Where the file read from disk had bytes that are not UTF-8, in order.
    /// The lexer reports each, wherever it is (a comment or text included).
    public let invalidUTF8: [InvalidUTF8]
    private let lineStarts: [Int]

    public convenience init(path: String, text: String) {
        self.init(path: path, text: text, invalidUTF8: [])
    }

    private init(path: String, text: String, invalidUTF8: [InvalidUTF8]) {
        self.path = path
        self.text = text
        self.bytes = Array(text.utf8)
        self.invalidUTF8 = invalidUTF8
        var starts = [0]
        for (offset, byte) in bytes.enumerated() where byte == UInt8(ascii: "\n") {
            starts.append(offset + 1)
        }
        self.lineStarts = starts
    }

    /// Reads raw bytes. What is not valid UTF-8 is replaced by U+FFFD, each
    /// maximal invalid run by one (as `String(decoding:)` does), and kept in
    /// `invalidUTF8` so it is reported instead of silently read as something else.
    public convenience init(path: String, data: [UInt8]) {
        var bytes = data[...]
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var invalid: [InvalidUTF8] = []
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] < 0x80 {
                out.append(bytes[i])
                i += 1
                continue
            }
            let (length, valid) = SourceFile.sequence(in: bytes, at: i)
            if valid {
                out.append(contentsOf: bytes[i..<(i + length)])
            } else {
                invalid.append(InvalidUTF8(range: SourceRange(out.count, out.count + 3), bytes: Array(bytes[i..<(i + length)])))
                out.append(contentsOf: [0xEF, 0xBF, 0xBD])
            }
            i += length
        }
        self.init(path: path, text: String(decoding: out, as: UTF8.self), invalidUTF8: invalid)
    }

    /// The UTF-8 sequence starting at `i` (a byte of 0x80 or more): its length
    /// and whether it is valid; when it is not, the length of its maximal
    /// invalid subpart (at least 1), per the Unicode Standard's Table 3-7.
    private static func sequence(in bytes: ArraySlice<UInt8>, at i: Int) -> (Int, Bool) {
        let lead = bytes[i]
        let tails: [ClosedRange<UInt8>]
        switch lead {
        case 0xC2...0xDF: tails = [0x80...0xBF]
        case 0xE0: tails = [0xA0...0xBF, 0x80...0xBF]
        case 0xE1...0xEC, 0xEE...0xEF: tails = [0x80...0xBF, 0x80...0xBF]
        case 0xED: tails = [0x80...0x9F, 0x80...0xBF]
        case 0xF0: tails = [0x90...0xBF, 0x80...0xBF, 0x80...0xBF]
        case 0xF1...0xF3: tails = [0x80...0xBF, 0x80...0xBF, 0x80...0xBF]
        case 0xF4: tails = [0x80...0x8F, 0x80...0xBF, 0x80...0xBF]
        default: return (1, false)
        }
        for (k, allowed) in tails.enumerated() {
            let j = i + 1 + k
            guard j < bytes.endIndex, allowed.contains(bytes[j]) else { return (1 + k, false) }
        }
        return (1 + tails.count, true)
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

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
