/// The codes of the REPL itself: R001–R099 are mistakes in a REPL line that the
/// rules language does not cover (commands, customer ids, rule names); the
/// README lists them.
enum ReplCode: String, DiagnosticCode {
    /// R001: an unknown command.
    case unknownCommand = "R001"
    /// R002: a query or command written wrongly.
    case badLine = "R002"
    /// R003: an unknown customer id.
    case unknownCustomer = "R003"
    /// R004: an unknown rule.
    case unknownRule = "R004"
    /// R005: `:asof` with a day that does not exist.
    case notADate = "R005"
    /// R006: a continuation line with no rule or campaign before it.
    case nothingToContinue = "R006"
    /// R007: `top` by something that has no order.
    case cannotSort = "R007"
}

/// Every message the REPL itself can produce, with its stable code.
enum ReplError {
    static func unknownCommand(_ word: String, suggestion: String?, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        .error(ReplCode.unknownCommand, "unknown command `\(word)`\(suggestion.map { "; did you mean `\($0)`?" } ?? "")", in: file, range,
               help: "commands are " + SessionCommand.allCases.map { ":" + $0.rawValue }.joined(separator: " ") + "; `:help` explains them")
    }

    static func expected(_ what: String, found: Token, in file: SourceFile) -> Diagnostic {
        let shown = found.kind == .end ? "the end of the line" : found.description
        return .error(ReplCode.badLine, "expected \(what), found \(shown)", in: file, found.range)
    }

    static func badArgument(_ message: String, at range: SourceRange, in file: SourceFile, help: String? = nil) -> Diagnostic {
        .error(ReplCode.badLine, message, in: file, range, help: help)
    }

    static func unknownCustomer(_ id: String, suggestion: String?, source: String, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        .error(ReplCode.unknownCustomer, "no customer `\(id)` in \(source)\(suggestion.map { "; did you mean `\($0)`?" } ?? "")", in: file, range)
    }

    static func unknownRule(_ name: String, suggestion: String?, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        .error(ReplCode.unknownRule, "no rule \"\(name)\" in this session\(suggestion.map { "; did you mean \"\($0)\"?" } ?? "")", in: file, range,
               help: "`:rules` lists the rules; a rule without a name is called after its file and line, like winback.perk:3")
    }

    static func notADate(_ text: String, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        .error(ReplCode.notADate, "`\(text)` is not a date\(LocalDate.problem(with: text))", in: file, range, help: "write the day as YYYY-MM-DD, like :asof 2025-03-01")
    }

    static func nothingToContinue(_ word: String, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        let help = word == "rules" ? "to list the session's rules, write `:rules`"
            : "write `\(word)` on the line right after the rule or campaign it belongs to, or inside it"
        return .error(ReplCode.nothingToContinue, "`\(word)` continues a rule or campaign, but the line before did not add one", in: file, range, help: help)
    }

    static func cannotSort(_ type: PerkType, at range: SourceRange, in file: SourceFile) -> Diagnostic {
        .error(ReplCode.cannotSort, "cannot sort customers by a \(type.shortName)", in: file, range,
               help: "sort by a number, date, text or enum, like `top 10 customers by total_spend`")
    }
}

/// Diagnostics as the failure of a `Result`, for steps that either give a
/// value or say what is wrong with the line.
struct Problems: Error {
    var diagnostics: [Diagnostic]
    /// The line ended where more was needed (`top 5`): more lines could finish it.
    var ranOutOfInput = false

    init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
    init(_ diagnostic: Diagnostic) { self.diagnostics = [diagnostic] }
}
