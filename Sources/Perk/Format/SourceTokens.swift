/// A file's tokens as the formatter needs them: each spelt exactly as written
/// (`20.00`, `<>`, `"say \"hi\""`), with the comments around it attached, so
/// that printing them in order with new whitespace changes nothing but layout.
struct SourceTokens {
    /// A `#` comment, its text without the line break or trailing spaces.
    struct Comment: Equatable {
        var text: String
        /// A blank line came before it in the source.
        var blankLineBefore: Bool
        /// It stood further right than the line's start: under a clause of
        /// the declaration above rather than over the next.
        var indented = false
    }

    struct Item {
        var kind: Token.Kind
        var spelling: String
        var range: SourceRange
        /// Comments on lines of their own just before this token.
        var leading: [Comment] = []
        /// The comment after this token on its line.
        var trailing: Comment?
        /// A blank line came before this token (or before its leading comments).
        var blankLineBefore = false

        func isWord(_ w: String) -> Bool { kind == .word && spelling == w }
        func isSymbol(_ s: String) -> Bool { kind == .symbol && spelling == s }
    }

    /// Every token of the file; the last is the end, whose leading comments
    /// are those after the last declaration.
    private(set) var items: [Item] = []
    let file: SourceFile

    init(_ file: SourceFile) {
        self.file = file
        let (tokens, comments) = Lexer.scanKeepingComments(file)
        let bytes = file.bytes
        /// Line breaks in the bytes between two offsets.
        func breaks(_ from: Int, _ to: Int) -> Int {
            var n = 0
            var i = from
            while i < to { if bytes[i] == UInt8(ascii: "\n") { n += 1 }; i += 1 }
            return n
        }
        var nextComment = 0
        var previousEnd = 0
        var sawAnything = false
        for token in tokens {
            var item = Item(kind: token.kind, spelling: file.slice(token.range), range: token.range)
            while nextComment < comments.count, comments[nextComment].start < token.range.start {
                let range = comments[nextComment]
                nextComment += 1
                let text = SourceTokens.trimmedEnd(file.slice(range))
                let gap = breaks(previousEnd, range.start)
                if gap == 0, sawAnything, !items.isEmpty, items[items.count - 1].trailing == nil, item.leading.isEmpty {
                    items[items.count - 1].trailing = Comment(text: text, blankLineBefore: false)
                } else {
                    let lineStart = file.lineStart(file.lineColumn(of: range.start).line)
                    item.leading.append(Comment(text: text, blankLineBefore: sawAnything && gap >= 2,
                                                indented: range.start > lineStart))
                }
                previousEnd = range.end
                sawAnything = true
            }
            if token.kind == .end {
                item.blankLineBefore = false
            } else {
                item.blankLineBefore = sawAnything && breaks(previousEnd, token.range.start) >= 2
            }
            items.append(item)
            previousEnd = token.range.end
            sawAnything = true
        }
    }

    /// The index of the first token starting at or after `offset`.
    func index(atOrAfter offset: Int) -> Int {
        var lo = 0, hi = items.count - 1
        while lo < hi {
            let mid = (lo + hi) / 2
            if items[mid].range.start < offset { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// The tokens a source range covers, as indices.
    func indices(of range: SourceRange) -> Range<Int> {
        let first = index(atOrAfter: range.start)
        var end = first
        while end < items.count - 1, items[end].range.end <= range.end { end += 1 }
        return first..<end
    }

    /// Trailing spaces, tabs and a CR (from CRLF files) are layout, not comment.
    static func trimmedEnd(_ text: String) -> String {
        var scalars = Substring(text).unicodeScalars
        while let last = scalars.last, last == " " || last == "\t" || last == "\r" { scalars.removeLast() }
        return String(scalars)
    }
}
