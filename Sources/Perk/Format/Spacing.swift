/// Whether one space goes between two tokens on a line. Spacing never
/// changes what a file means (the lexer reads `count(` and `count (` alike),
/// so this only decides how it looks: `member.tier`, `count(orders)`,
/// `[GOLD, VIP]`, `-5`, `contact policy:`, and one space elsewhere.
enum Spacing {
    /// Words after which an operand starts: a `(` there opens a group, not a
    /// call, and a `-` is a sign, not a subtraction.
    static let operandKeywords: Set<String> = [
        "and", "or", "not", "when", "where", "between", "contains", "with", "in", "within",
        "is", "then", "priority", "budget", "worth", "spend", "points", "coupon",
        "every", "for", "limit", "define",
    ]

    /// `before` is the token before `previous`, to tell a sign from a minus.
    static func spaceBetween(_ previous: SourceTokens.Item, _ next: SourceTokens.Item, before: SourceTokens.Item?) -> Bool {
        if next.kind == .symbol, [")", "]", ",", ":", "."].contains(next.spelling) { return false }
        if previous.kind == .symbol, ["(", "[", "."].contains(previous.spelling) { return false }
        if next.isSymbol("("), previous.kind == .word, !operandKeywords.contains(previous.spelling) { return false }
        if previous.isSymbol("-"), isSign(before) { return false }
        return true
    }

    /// A `-` after this token is a sign: nothing before it, an operator, a
    /// bracket or comma, or a keyword.
    private static func isSign(_ before: SourceTokens.Item?) -> Bool {
        guard let before else { return true }
        switch before.kind {
        case .number, .percent, .string, .date: return false
        case .word: return operandKeywords.contains(before.spelling)
        case .symbol: return !(before.spelling == ")" || before.spelling == "]")
        default: return true
        }
    }
}
