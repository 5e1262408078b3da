/// `perk fmt`'s engine: a rules file in the one canonical layout.
///
/// Only layout changes: every token is printed as it was spelt (`20.00` stays
/// `20.00`) and in its order, every comment is kept, and the result is parsed
/// again and must be the same program, token for token and tree for tree;
/// otherwise the file is left as it is. A file with syntax errors is never
/// touched; its errors are returned to be rendered.
public enum Formatter {
    /// A condition is broken at `and`/`or` when it would end past this column.
    /// 88 keeps a side-by-side review readable on a laptop, and breaks only
    /// the README's one long condition, as the grammar already wrote it.
    public static let width = 88

    public enum Outcome {
        /// The file in the canonical layout (maybe the same text).
        case formatted(String)
        /// The file does not parse: these are its errors, and it stays as it is.
        case syntaxErrors([Diagnostic])
        /// The formatter could not prove the result is the same program: a bug
        /// in Perk, reported so, and the file stays as it is.
        case unsafe(String)
    }

    public static func format(_ source: SourceFile) -> Outcome {
        let (parsed, diagnostics) = Parser.parse(source)
        guard !diagnostics.hasErrors else { return .syntaxErrors(diagnostics) }
        let tokens = SourceTokens(source)
        let text = FilePrinter(tokens: tokens, width: width).print(parsed.declarations)
        if let problem = difference(parsed, SourceFile(path: source.path, text: text), tokens) {
            return .unsafe(problem)
        }
        return .formatted(text)
    }

    /// Why the formatted file is not the same program as the source, or nil.
    private static func difference(_ parsed: RulesFile, _ formatted: SourceFile, _ tokens: SourceTokens) -> String? {
        let (again, diagnostics) = Parser.parse(formatted)
        if let error = diagnostics.first(where: \.isError) { return "the formatted file does not parse: \(error.message)" }
        let after = SourceTokens(formatted)
        if after.words != tokens.words { return "the formatted file's words differ" }
        if after.comments != tokens.comments { return "the formatted file's comments differ" }
        if SyntaxFingerprint.of(again.declarations) != SyntaxFingerprint.of(parsed.declarations) {
            return "the formatted file parses to another program"
        }
        return nil
    }
}

extension SourceTokens {
    /// Every token as spelt, in order; `||`, two bars around an empty cell
    /// of a test's table, as the two bars the formatter writes.
    var words: [String] {
        items.flatMap { $0.spelling == "||" ? ["|", "|"] : [$0.spelling] }
    }

    /// Every comment's text, in order.
    var comments: [String] {
        items.flatMap { $0.leading.map(\.text) + ($0.trailing.map { [$0.text] } ?? []) }
    }
}

extension Formatter {
    /// A rule without a name is called after its line (`winback.perk:3`), and
    /// plans, journals and limits know it by that name: a note for each such
    /// rule that formatting moves to another line.
    public static func renamedRules(_ source: SourceFile, _ formatted: String) -> [String] {
        let after = SourceFile(path: source.path, text: formatted)
        let lines = { (file: SourceFile) -> [Int] in
            Parser.parse(file).0.declarations.compactMap { d -> Int? in
                guard case .rule(let r) = d, r.name == nil else { return nil }
                return file.lineColumn(of: r.range.start).line
            }
        }
        return zip(lines(source), lines(after)).filter { $0 != $1 }.map { old, new in
            "perk fmt: note: the rule without a name at \(source.path):\(old) is now on line \(new), so plans and journals "
                + "will call it \(source.path):\(new); give it a name (rule \"...\") to keep one name"
        }
    }
}
