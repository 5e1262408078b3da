/// Turns a `SourceFile` into tokens. Never fails: anything it cannot read becomes
/// an `.error` token carrying the reason, and the parser reports it in place.
/// Bytes that are not UTF-8, or a NUL, inside text or a comment leave the tokens
/// as they are (the text still ends at its quote) and become `problems`, so they
/// are reported without the cascade a broken token would start.
public struct Lexer {
    /// A problem inside text or a comment, at its bytes.
    public struct Problem: Sendable, Equatable {
        public var range: SourceRange
        public var message: String
    }

    private let bytes: [UInt8]
    /// The file's runs of bytes that are not UTF-8, by the offset of their U+FFFD.
    private let invalid: [Int: InvalidUTF8]
    private var pos = 0
    private var sawNewline = true
    public private(set) var problems: [Problem] = []
    /// Off for the parser and every other reader, which pay nothing for it;
    /// the formatter turns it on to keep each `#` comment where it was.
    private let keepsComments: Bool
    /// The `#` comments passed over, each from `#` to its line's end (no line break).
    public private(set) var comments: [SourceRange] = []

    public init(_ file: SourceFile, keepingComments: Bool = false) {
        self.bytes = file.bytes
        self.keepsComments = keepingComments
        invalid = Dictionary(file.invalidUTF8.map { ($0.range.start, $0) }, uniquingKeysWith: { a, _ in a })
    }

    public static func tokenize(_ file: SourceFile) -> [Token] {
        scan(file).tokens
    }

    /// The tokens and the comments between them, for the formatter.
    public static func scanKeepingComments(_ file: SourceFile) -> (tokens: [Token], comments: [SourceRange]) {
        var lexer = Lexer(file, keepingComments: true)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            tokens.append(t)
            if t.kind == .end { return (tokens, lexer.comments) }
        }
    }

    /// The tokens, and the problems inside text and comments.
    public static func scan(_ file: SourceFile) -> (tokens: [Token], problems: [Problem]) {
        var lexer = Lexer(file)
        var tokens: [Token] = []
        while true {
            let t = lexer.next()
            tokens.append(t)
            if t.kind == .end { return (tokens, lexer.problems) }
        }
    }

    public mutating func next() -> Token {
        skipTrivia()
        let start = pos
        let startsLine = sawNewline
        sawNewline = false
        guard pos < bytes.count else { return Token(.end, "", SourceRange(start, start), startsLine: true) }
        let c = bytes[pos]
        var token: Token
        if isIdentStart(c) || (c >= 0xC0 && letterLength(at: pos, first: true) != nil) {
            token = word(start)
        } else if isDigit(c) {
            token = numberOrDate(start)
        } else if c == quote {
            token = string(start)
        } else {
            token = symbol(start)
        }
        token.startsLine = startsLine
        return token
    }

    // MARK: - Trivia

    private mutating func skipTrivia() {
        while pos < bytes.count {
            switch bytes[pos] {
            case UInt8(ascii: "\n"):
                sawNewline = true
                pos += 1
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"):
                pos += 1
            case UInt8(ascii: "#"):
                let start = pos
                while pos < bytes.count, bytes[pos] != UInt8(ascii: "\n") {
                    if bytes[pos] == 0 {
                        problems.append(Problem(range: SourceRange(pos, pos + 1), message: Lexer.nul(in: "a comment")))
                    } else if let bad = invalidAt(pos) {
                        problems.append(Problem(range: bad.range, message: Lexer.notUTF8(bad, in: "a comment")))
                        pos = bad.range.end
                        continue
                    }
                    pos += 1
                }
                if keepsComments { comments.append(SourceRange(start, pos)) }
            default:
                return
            }
        }
    }

    // MARK: - Tokens

    private mutating func word(_ start: Int) -> Token {
        while pos < bytes.count {
            if isIdentStart(bytes[pos]) || isDigit(bytes[pos]) {
                pos += 1
            } else if bytes[pos] >= 0xC0, let n = letterLength(at: pos, first: false) {
                pos += n
            } else {
                break
            }
        }
        return Token(.word, text(start, pos), SourceRange(start, pos))
    }

    /// The length in bytes of the letter at `i` beyond ASCII (`城` in
    /// `member.城市`, `é` in `member.préférence`), or nil when it is not a letter.
    /// Column names are written in the shop's language. `元` does not start a
    /// word: before an amount (`元20`) it is a currency sign, reported as one.
    private func letterLength(at i: Int, first: Bool) -> Int? {
        let lead = bytes[i]
        let n = lead >= 0xF0 ? 4 : lead >= 0xE0 ? 3 : 2
        guard i + n <= bytes.count, invalidAt(i) == nil else { return nil }
        var iterator = bytes[i..<(i + n)].makeIterator()
        var decoder = UTF8()
        guard case .scalarValue(let scalar) = decoder.decode(&iterator), scalar.properties.isAlphabetic else { return nil }
        if first, scalar == "元" { return nil }
        return n
    }

    /// `2025-03-01` is a date; `30`, `12.50` numbers; `15%` a percent.
    private mutating func numberOrDate(_ start: Int) -> Token {
        if looksLikeDate(at: start) {
            pos = start + 10
            return Token(.date, text(start, pos), SourceRange(start, pos))
        }
        while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        if pos + 1 < bytes.count, bytes[pos] == UInt8(ascii: "."), isDigit(bytes[pos + 1]) {
            pos += 1
            while pos < bytes.count, isDigit(bytes[pos]) { pos += 1 }
        }
        let literal = text(start, pos)
        if pos < bytes.count, bytes[pos] == UInt8(ascii: "%") {
            pos += 1
            return Token(.percent, literal, SourceRange(start, pos))
        }
        // `30days` is a slip for `30 days`; `3x` is not a number.
        if pos < bytes.count, isIdentStart(bytes[pos]) {
            while pos < bytes.count, isIdentStart(bytes[pos]) || isDigit(bytes[pos]) { pos += 1 }
            return Token(.error("`\(text(start, pos))` is not a number; put a space between a number and a word"),
                         text(start, pos), SourceRange(start, pos))
        }
        return Token(.number, literal, SourceRange(start, pos))
    }

    private func looksLikeDate(at i: Int) -> Bool {
        guard i + 10 <= bytes.count else { return false }
        for k in 0..<10 {
            let b = bytes[i + k]
            if k == 4 || k == 7 { if b != UInt8(ascii: "-") { return false } } else if !isDigit(b) { return false }
        }
        return i + 10 == bytes.count || !(isDigit(bytes[i + 10]) || isIdentStart(bytes[i + 10]))
    }

    /// A string ends at its closing quote on the same line; `\"` and `\\` escape.
    private mutating func string(_ start: Int) -> Token {
        pos += 1
        var content: [UInt8] = []
        while pos < bytes.count {
            let b = bytes[pos]
            if b == quote {
                pos += 1
                return Token(.string, String(decoding: content, as: UTF8.self), SourceRange(start, pos))
            }
            if b == UInt8(ascii: "\n") { break }
            if b == UInt8(ascii: "\\"), pos + 1 < bytes.count,
               bytes[pos + 1] == quote || bytes[pos + 1] == UInt8(ascii: "\\") {
                content.append(bytes[pos + 1])
                pos += 2
                continue
            }
            if b == 0 {
                problems.append(Problem(range: SourceRange(pos, pos + 1), message: Lexer.nul(in: "text")))
            } else if let bad = invalidAt(pos) {
                problems.append(Problem(range: bad.range, message: Lexer.notUTF8(bad, in: "text")))
            }
            content.append(b)
            pos += 1
        }
        return Token(.error("text is missing its closing quote `\"`"), String(decoding: content, as: UTF8.self),
                     SourceRange(start, pos))
    }

    private mutating func symbol(_ start: Int) -> Token {
        let c = bytes[pos]
        let next: UInt8 = pos + 1 < bytes.count ? bytes[pos + 1] : 0
        pos += 1
        switch c {
        case UInt8(ascii: "="):
            if next == UInt8(ascii: "=") { pos += 1; return sym("==", start) }
            return sym("=", start)
        case UInt8(ascii: "!"):
            if next == UInt8(ascii: "=") { pos += 1; return sym("!=", start) }
            return Token(.error("`!` is not an operator here; write `not` or `!=`"), "!", SourceRange(start, pos))
        case UInt8(ascii: "<"), UInt8(ascii: ">"):
            if next == UInt8(ascii: "=") { pos += 1; return sym(c == UInt8(ascii: "<") ? "<=" : ">=", start) }
            if c == UInt8(ascii: "<"), next == UInt8(ascii: ">") { pos += 1; return sym("!=", start) }
            return sym(String(UnicodeScalar(c)), start)
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "*"), UInt8(ascii: "/"),
             UInt8(ascii: "("), UInt8(ascii: ")"), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: ","), UInt8(ascii: "."), UInt8(ascii: "%"),
             // `:` only follows `contact policy` and a test's `expect`; elsewhere the parser rejects it in place.
             UInt8(ascii: ":"):
            return sym(String(UnicodeScalar(c)), start)
        // `|` separates the cells of a test's tables.
        case UInt8(ascii: "|") where next != UInt8(ascii: "|"):
            return sym(String(UnicodeScalar(c)), start)
        case UInt8(ascii: "&") where next == UInt8(ascii: "&"):
            pos += 1
            return Token(.error("`&&` is written `and` in Perk"), "&&", SourceRange(start, pos))
        case UInt8(ascii: "|") where next == UInt8(ascii: "|"):
            pos += 1
            return Token(.error("`||` is written `or` in Perk"), "||", SourceRange(start, pos))
        case 0xE2:
            return smartQuoteOrUnknown(start)
        default:
            return unknownCharacter(start)
        }
    }

    /// Curly quotes pasted from a document are the commonest non-ASCII slip.
    private mutating func smartQuoteOrUnknown(_ start: Int) -> Token {
        if start + 2 < bytes.count, bytes[start] == 0xE2, bytes[start + 1] == 0x80,
           bytes[start + 2] == 0x9C || bytes[start + 2] == 0x9D {
            pos = start + 3
            return Token(.error("curly quote; write text between straight quotes \"like this\""), "",
                         SourceRange(start, pos))
        }
        return unknownCharacter(start)
    }

    private mutating func unknownCharacter(_ start: Int) -> Token {
        // Consume one whole UTF-8 character so the caret covers it.
        pos = start + 1
        while pos < bytes.count, bytes[pos] & 0xC0 == 0x80 { pos += 1 }
        let ch = text(start, pos)
        if let bad = invalidAt(start) {
            return Token(.error(Lexer.notUTF8(bad, in: nil)), ch, SourceRange(start, pos))
        }
        let shown = bytes[start] == 0 ? "a NUL character" : "`\(ch)`"
        return Token(.error("unexpected \(shown)"), ch, SourceRange(start, pos))
    }

    /// The run of bytes that are not UTF-8 whose U+FFFD starts at `offset`, if any.
    private func invalidAt(_ offset: Int) -> InvalidUTF8? {
        guard !invalid.isEmpty, bytes[offset] == 0xEF else { return nil }
        return invalid[offset]
    }

    // MARK: - Messages

    /// `where` is "text" or "a comment"; nil between tokens.
    static func notUTF8(_ bad: InvalidUTF8, in place: String?) -> String {
        (place.map { "\($0) with " } ?? "") + "\(bad.phrase); save the file as UTF-8"
    }

    static func nul(in place: String) -> String {
        "\(place) contains a NUL character"
    }

    // MARK: - Helpers

    private func sym(_ s: String, _ start: Int) -> Token { Token(.symbol, s, SourceRange(start, pos)) }
    private func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }
    private var quote: UInt8 { UInt8(ascii: "\"") }
    private func isDigit(_ b: UInt8) -> Bool { b >= 48 && b <= 57 }
    private func isIdentStart(_ b: UInt8) -> Bool {
        (b >= 65 && b <= 90) || (b >= 97 && b <= 122) || b == UInt8(ascii: "_")
    }
}

extension Lexer {
    /// A column name as a rule writes it after `member.`: as it is when the lexer
    /// reads it as one word (`tier`, `城市`), in quotes otherwise (`"store name"`).
    public static func writtenColumnName(_ name: String) -> String {
        var lexer = Lexer(SourceFile(path: "", text: name))
        let first = lexer.next()
        guard case .word = first.kind, first.text == name, case .end = lexer.next().kind else { return "\"\(name)\"" }
        return name
    }
}
