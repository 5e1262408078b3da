/// A lexical token. Words are not split into keywords here: Perk's keywords are
/// contextual (`tier` is a word in `set tier GOLD` and a field in `member.tier`),
/// so the parser decides what a word means where it stands.
public struct Token: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        case word
        /// An integer or decimal literal: `30`, `12.50`.
        case number
        /// A number followed by `%`: `15%`.
        case percent
        /// A double-quoted string; `text` holds the unescaped contents.
        case string
        /// `YYYY-MM-DD`; validity is checked by the parser so it can point at it.
        case date
        case symbol
        /// A character or sequence the lexer could not read; the message says why.
        case error(String)
        case end
    }

    public var kind: Kind
    /// The word, the literal's text, the string's contents or the symbol itself.
    public var text: String
    public var range: SourceRange
    /// True when a line break came before this token, so a clause can end at a line's end.
    public var startsLine: Bool

    public init(_ kind: Kind, _ text: String, _ range: SourceRange, startsLine: Bool = false) {
        self.kind = kind
        self.text = text
        self.range = range
        self.startsLine = startsLine
    }

    public func isWord(_ w: String) -> Bool { kind == .word && text == w }
    public func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }

    public var description: String {
        switch kind {
        case .word: return "`\(text)`"
        case .number, .percent, .date: return "`\(text)`"
        case .string: return "text \"\(text)\""
        case .symbol: return "`\(text)`"
        case .error: return "bad input"
        case .end: return "end of file"
        }
    }
}
