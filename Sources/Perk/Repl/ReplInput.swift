/// What one REPL entry asks for (see grammar/perk.ebnf, "The REPL").
///
/// Queries keep the source ranges of their expressions: the expressions are
/// parsed and checked later, against the session's schema and defines, and
/// their diagnostics point into the line as it was typed.
public enum ReplInput: Sendable {
    /// Nothing but spaces or a comment.
    case blank
    /// `rule ...`, `when ... then ...`, `define ...`, `campaign ...`.
    case declarations
    /// `limit ...`, `every ...`, `priority ...` (or a campaign clause) on a line
    /// of its own: it continues the declaration entered just before.
    case clause(word: String)
    /// `customers [where COND]`
    case customers(condition: SourceRange?)
    /// `count customers [where COND]`
    case count(condition: SourceRange?)
    /// `customer "C00042"`
    case customer(Located<String>)
    /// `top [N] customers by EXPR [where COND]`
    case top(Int, by: SourceRange, condition: SourceRange?)
    /// `group customers by EXPR [where COND]`
    case group(by: SourceRange, condition: SourceRange?)
    /// Any expression: `2 + 3`, `today`, `visit_count > 3`.
    case expression(SourceRange)
    /// `:load`, `:rules`, `:run`, ...
    case command(SessionCommand, arguments: [Located<String>], at: SourceRange)
}

/// The session commands, written after a colon.
public enum SessionCommand: String, CaseIterable, Sendable {
    case load, rules, run, explain, asof, schema, help, quit

    /// Other spellings people reach for.
    static let aliases: [String: SessionCommand] = ["q": .quit, "exit": .quit, "h": .help, "?": .help, "as-of": .asof]

    /// How the command is written, for help and errors.
    public var synopsis: String {
        switch self {
        case .load: return ":load FILE"
        case .rules: return ":rules"
        case .run: return ":run [RULE]"
        case .explain: return ":explain RULE CUSTOMER"
        case .asof: return ":asof [DATE]"
        case .schema: return ":schema"
        case .help: return ":help"
        case .quit: return ":quit"
        }
    }
}

/// Reads one entry into a `ReplInput`, or a diagnostic saying what is wrong with it.
enum ReplInputParser {
    static let declarationWords: Set<String> = ["rule", "define", "campaign", "when"]
    /// Words that continue a rule or a campaign but start nothing on their own.
    static let clauseWords: Set<String> = Parser.ruleClauseWords.union(Parser.campaignClauseWords).subtracting(["when", "then"])
    static let defaultTop = 10
    static let maxTop = 10_000

    static func parse(_ file: SourceFile) -> Result<ReplInput, Problems> {
        let text = file.text
        let trimmed = text.drop { $0 == " " || $0 == "\t" }
        if trimmed.hasPrefix(":") { return command(file) }
        let tokens = Lexer.tokenize(file)
        guard let first = tokens.first, first.kind != .end else { return .success(.blank) }
        let whole = SourceRange(first.range.start, tokens[tokens.count - 1].range.start)
        guard first.kind == .word else { return .success(.expression(whole)) }
        let second = tokens.count > 1 ? tokens[1] : first
        switch first.text {
        case _ where declarationWords.contains(first.text):
            return .success(.declarations)
        case "contact" where second.isWord("policy"):
            return .success(.declarations)
        case _ where clauseWords.contains(first.text):
            return .success(.clause(word: first.text))
        case "customers":
            return condition(tokens, after: 1, in: file).map { .customers(condition: $0) }
        case "count" where second.isWord("customers"):
            return condition(tokens, after: 2, in: file).map { .count(condition: $0) }
        case "customer" where !second.isSymbol("("):
            return customerID(tokens, in: file)
        case "top" where second.kind == .number || second.isWord("customers"):
            return top(tokens, in: file)
        case "group" where second.isWord("customers"):
            return byAndCondition(tokens, at: 2, in: file).map { .group(by: $0.by, condition: $0.condition) }
        default:
            return .success(.expression(whole))
        }
    }

    // MARK: - Queries

    /// `[where COND]` starting at token `index`.
    private static func condition(_ tokens: [Token], after index: Int, in file: SourceFile) -> Result<SourceRange?, Problems> {
        let t = tokens[index]
        if t.kind == .end { return .success(nil) }
        guard t.isWord("where") else {
            return .failure(expected("`where` and a condition, like `customers where member.tier == VIP`", found: t, in: file))
        }
        return .success(SourceRange(t.range.end, end(of: tokens)))
    }

    private static func customerID(_ tokens: [Token], in file: SourceFile) -> Result<ReplInput, Problems> {
        let t = tokens[1]
        guard t.kind == .string || t.kind == .word || t.kind == .number else {
            return .failure(expected("a customer id in quotes, like customer \"C00042\"", found: t, in: file))
        }
        guard tokens[2].kind == .end else {
            return .failure(expected("the end of the line after the customer id (put an id with spaces in quotes)", found: tokens[2], in: file))
        }
        return .success(.customer(Located(t.text, t.range)))
    }

    private static func top(_ tokens: [Token], in file: SourceFile) -> Result<ReplInput, Problems> {
        var i = 1
        var n = defaultTop
        if tokens[1].kind == .number {
            guard let count = Int(tokens[1].text), (1...maxTop).contains(count) else {
                return .failure(Problems(ReplError.badArgument("`top` takes a whole number from 1 to \(maxTop)", at: tokens[1].range, in: file)))
            }
            n = count
            i = 2
        }
        guard tokens[i].isWord("customers") else {
            return .failure(expected("`customers`, like `top 10 customers by total_spend`", found: tokens[i], in: file))
        }
        return byAndCondition(tokens, at: i + 1, in: file).map { .top(n, by: $0.by, condition: $0.condition) }
    }

    /// `by EXPR [where COND]` starting at token `index`. The expression ends at
    /// the first `where` outside brackets (a `where` inside `count(...)` filters orders).
    private static func byAndCondition(_ tokens: [Token], at index: Int, in file: SourceFile) -> Result<(by: SourceRange, condition: SourceRange?), Problems> {
        guard tokens[index].isWord("by") else {
            return .failure(expected("`by` and what to sort or group by, like `by total_spend`", found: tokens[index], in: file))
        }
        let start = tokens[index].range.end
        var depth = 0
        for k in (index + 1)..<tokens.count {
            let t = tokens[k]
            if t.isSymbol("(") || t.isSymbol("[") { depth += 1 }
            if t.isSymbol(")") || t.isSymbol("]") { depth -= 1 }
            if depth == 0, t.isWord("where") {
                return .success((SourceRange(start, t.range.start), SourceRange(t.range.end, end(of: tokens))))
            }
        }
        return .success((SourceRange(start, end(of: tokens)), nil))
    }

    private static func end(of tokens: [Token]) -> Int {
        tokens[tokens.count - 1].range.start
    }

    /// R002; when what was found is the end of the text, more lines could finish the entry.
    private static func expected(_ what: String, found: Token, in file: SourceFile) -> Problems {
        var problems = Problems(ReplError.expected(what, found: found, in: file))
        problems.ranOutOfInput = found.kind == .end
        return problems
    }

    // MARK: - Commands

    /// `:name arg "quoted arg" ...`
    private static func command(_ file: SourceFile) -> Result<ReplInput, Problems> {
        let words = CommandWords.split(file.bytes)
        guard let head = words.first else { return .success(.blank) }
        let name = String(head.value.dropFirst())
        guard let command = SessionCommand(rawValue: name) ?? SessionCommand.aliases[name] else {
            let guess = Suggest.closest(to: name, among: SessionCommand.allCases.map(\.rawValue))
            return .failure(Problems(ReplError.unknownCommand(head.value, suggestion: guess.map { ":" + $0 }, at: head.range, in: file)))
        }
        return .success(.command(command, arguments: Array(words.dropFirst()), at: head.range))
    }
}

/// Splits a command line into words: runs without spaces, or text in double
/// quotes (with `\"` inside), each with its byte range for carets.
enum CommandWords {
    static func split(_ bytes: [UInt8]) -> [Located<String>] {
        var words: [Located<String>] = []
        var i = 0
        let space: Set<UInt8> = [UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        while i < bytes.count {
            if space.contains(bytes[i]) { i += 1; continue }
            let start = i
            var word: [UInt8] = []
            if bytes[i] == UInt8(ascii: "\"") {
                i += 1
                while i < bytes.count, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count { i += 1 }
                    word.append(bytes[i])
                    i += 1
                }
                i = Swift.min(i + 1, bytes.count)
            } else {
                while i < bytes.count, !space.contains(bytes[i]) { word.append(bytes[i]); i += 1 }
            }
            words.append(Located(String(decoding: word, as: UTF8.self), SourceRange(start, i)))
        }
        return words
    }
}
