/// Lays out a condition: on one line while it fits, otherwise broken at its
/// loosest `or`s (else `and`s), one operand a line with the operator leading,
/// the operands aligned under the first (`when a` / ` and b` / `  or c`), as
/// the grammar's examples write it. A bracketed group that is still too long
/// is broken the same way inside, its operands aligned after the bracket.
struct ConditionLayout {
    /// A token, or a bracketed group (`(...)`, `[...]`, a call's parentheses).
    enum Piece {
        case token(Int)
        case group(open: Int, inner: Range<Int>, close: Int)

        var first: Int {
            switch self {
            case .token(let i): return i
            case .group(let open, _, _): return open
            }
        }
        var last: Int {
            switch self {
            case .token(let i): return i
            case .group(_, _, let close): return close
            }
        }
    }

    let tokens: SourceTokens
    let width: Int

    // MARK: - Structure

    /// The pieces of a run of tokens at one bracket depth.
    func pieces(_ range: Range<Int>) -> [Piece] {
        var out: [Piece] = []
        var i = range.lowerBound
        while i < range.upperBound {
            let t = tokens.items[i]
            if t.isSymbol("(") || t.isSymbol("["), let close = closing(i, within: range) {
                out.append(.group(open: i, inner: (i + 1)..<close, close: close))
                i = close + 1
            } else {
                out.append(.token(i))
                i += 1
            }
        }
        return out
    }

    private func closing(_ open: Int, within range: Range<Int>) -> Int? {
        var depth = 0
        for i in open..<range.upperBound {
            let t = tokens.items[i]
            if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("]") {
                depth -= 1
                if depth == 0 { return i }
            }
        }
        return nil
    }

    /// The positions (in `pieces`) of the operators the chain breaks at:
    /// its `or`s if it has any, as `and` binds tighter, else its `and`s. The
    /// `and` of `between 10 and 20` is no operator of the chain.
    func operators(_ pieces: [Piece]) -> [Int] {
        var ors: [Int] = [], ands: [Int] = []
        var inBetween = false
        for (k, piece) in pieces.enumerated() {
            guard case .token(let i) = piece, tokens.items[i].kind == .word else { continue }
            switch tokens.items[i].spelling {
            case "between": inBetween = true
            case "and" where inBetween: inBetween = false
            case "and": ands.append(k)
            case "or": ors.append(k); inBetween = false
            default: break
            }
        }
        return ors.isEmpty ? ands : ors
    }

    // MARK: - Measures

    /// The width of pieces written on one line.
    func flatWidth(_ range: Range<Int>) -> Int {
        guard !range.isEmpty else { return 0 }
        var width = 0
        for i in range {
            if i > range.lowerBound,
               Spacing.spaceBetween(tokens.items[i - 1], tokens.items[i], before: i - 1 > range.lowerBound ? tokens.items[i - 2] : nil) {
                width += 1
            }
            width += tokens.items[i].spelling.count
        }
        return width
    }

    /// A comment inside the run (not before its first token nor after its
    /// last) means it cannot be written on one line.
    func holdsComments(_ range: Range<Int>) -> Bool {
        range.contains { i in
            (i > range.lowerBound && !tokens.items[i].leading.isEmpty)
                || (i < range.upperBound - 1 && tokens.items[i].trailing != nil)
        }
    }

    func fits(_ range: Range<Int>, at column: Int, suffix: Int) -> Bool {
        !holdsComments(range) && column + flatWidth(range) + suffix <= width
    }

    // MARK: - Writing

    /// Writes the condition in `range`; `suffix` is the width of what must
    /// follow it on its last line (closing brackets).
    func write(_ range: Range<Int>, into writer: inout LineWriter, suffix: Int, operatorColumn: Int? = nil) {
        guard !range.isEmpty else { return }
        let column = writer.columnBefore(range.lowerBound)
        if fits(range, at: column, suffix: suffix) {
            writer.write(range)
            return
        }
        let parts = pieces(range)
        let ops = operators(parts)
        // A comment inside an operand breaks it there; the rest goes on deeper.
        let saved = writer.continuationIndent
        writer.continuationIndent = column + 2
        defer { writer.continuationIndent = saved }
        guard !ops.isEmpty else {
            writeOperand(parts, into: &writer, suffix: suffix)
            return
        }
        var start = 0
        for (n, op) in (ops + [parts.count]).enumerated() {
            let operand = Array(parts[start..<op])
            guard let firstPiece = operand.first, let lastPiece = operand.last else { continue }
            if n > 0 {
                let opToken = parts[start - 1].first
                let spelling = tokens.items[opToken].spelling
                writer.startLine(indent: operatorColumn ?? Swift.max(0, column - spelling.count - 1))
                writer.write(opToken)
            }
            let isLast = op == parts.count
            let operandRange = firstPiece.first..<(lastPiece.last + 1)
            let nestedChain = !operators(operand).isEmpty
            if nestedChain {
                // An `and` chain inside a broken `or` chain: its operators go
                // under its first operand, deeper than the `or`s.
                let at = writer.columnBefore(operandRange.lowerBound)
                write(operandRange, into: &writer, suffix: isLast ? suffix : 0, operatorColumn: at)
            } else {
                write(operandRange, into: &writer, suffix: isLast ? suffix : 0)
            }
            start = op + 1
        }
    }

    /// One operand that is too long or holds comments: its groups are broken.
    private func writeOperand(_ parts: [Piece], into writer: inout LineWriter, suffix: Int) {
        for (k, piece) in parts.enumerated() {
            switch piece {
            case .token(let i):
                writer.write(i)
            case .group(let open, let inner, let close):
                let rest = k + 1 < parts.count ? flatWidth((close + 1)..<(parts[parts.count - 1].last + 1)) + 1 : 0
                writeGroup(open: open, inner: inner, close: close, into: &writer, suffix: suffix + rest)
            }
        }
    }

    /// `(a or b)`, `any(orders in last 60 days where a and b)`: what comes up
    /// to a `where` stays on the bracket's line; the chain after it breaks.
    private func writeGroup(open: Int, inner: Range<Int>, close: Int, into writer: inout LineWriter, suffix: Int) {
        writer.write(open)
        let parts = pieces(inner)
        var chainStart = inner.lowerBound
        if let whereIndex = parts.lastIndex(where: { if case .token(let i) = $0 { return tokens.items[i].isWord("where") } else { return false } }) {
            chainStart = parts[whereIndex].last + 1
            writer.write(inner.lowerBound..<chainStart)
        }
        write(chainStart..<inner.upperBound, into: &writer, suffix: suffix + 1)
        writer.write(close)
    }
}
