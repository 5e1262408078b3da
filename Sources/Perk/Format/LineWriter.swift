/// Writes tokens into lines: spacing between them, comments where they were,
/// and a line break after a trailing comment, which runs to the line's end.
/// The layout decides where lines start; the writer only follows.
struct LineWriter {
    private let tokens: SourceTokens
    private(set) var lines: [String] = []
    private var current = ""
    private var indent = 0
    /// Nothing but indentation on the current line yet.
    private var atLineStart = true
    /// A trailing comment ended the line: the next token starts a new one.
    private var mustBreak = false
    private var previous: Int?
    private var beforePrevious: Int?
    /// Where a line resumes when a comment breaks it somewhere the layout did not.
    var continuationIndent = 0

    init(_ tokens: SourceTokens) {
        self.tokens = tokens
    }

    /// The column the next character goes to, counted in characters.
    var column: Int { current.count }

    /// The column where `token` would start if written now.
    func columnBefore(_ token: Int) -> Int {
        column + (needsSpace(before: token) ? 1 : 0)
    }

    /// Ends the current line (if it holds anything) and starts one at `indent`.
    mutating func startLine(indent: Int) {
        finishLine()
        self.indent = indent
        current = String(repeating: " ", count: indent)
        atLineStart = true
        mustBreak = false
    }

    mutating func blankLine() {
        finishLine()
        if let last = lines.last, !last.isEmpty { lines.append("") }
    }

    /// Writes comments on lines of their own at the current indentation.
    mutating func writeOwnLineComments(_ comments: [SourceTokens.Comment]) {
        guard !comments.isEmpty else { return }
        let at = atLineStart ? indent : continuationIndent
        finishLine()
        for comment in comments {
            if comment.blankLineBefore { blankLine() }
            lines.append(String(repeating: " ", count: at) + comment.text)
        }
        startLine(indent: at)
    }

    /// Writes one token, with its comments. `skipLeading` when the caller has
    /// written its leading comments already (a declaration's, above it).
    mutating func write(_ index: Int, skipLeading: Bool = false) {
        let item = tokens.items[index]
        if !skipLeading { writeOwnLineComments(item.leading) }
        if mustBreak { startLine(indent: continuationIndent) }
        if !atLineStart, needsSpace(before: index) { current += " " }
        current += item.spelling
        atLineStart = false
        beforePrevious = previous
        previous = index
        if let comment = item.trailing {
            current += "  " + comment.text
            mustBreak = true
        }
    }

    /// Writes text laid out by the caller (a test table's row), as it is.
    mutating func writeText(_ text: String) {
        current += text
        atLineStart = false
        previous = nil
    }

    mutating func write(_ range: Range<Int>) {
        for i in range { write(i) }
    }

    /// The lines written, the current one included.
    mutating func finish() -> [String] {
        finishLine()
        return lines
    }

    private mutating func finishLine() {
        if !atLineStart { lines.append(SourceTokens.trimmedEnd(current)) }
        current = String(repeating: " ", count: indent)
        atLineStart = true
        mustBreak = false
    }

    private func needsSpace(before index: Int) -> Bool {
        guard !atLineStart, let previous else { return false }
        return Spacing.spaceBetween(tokens.items[previous], tokens.items[index],
                                    before: beforePrevious.map { tokens.items[$0] })
    }
}
