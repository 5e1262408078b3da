/// P216: an equality test of text with a value it can never have, so the test
/// is never true (`!=`: always true). Text compares exactly, case included:
/// - `weekday(...)` gives `Monday` … `Sunday`: `"saturday"` or `"Funday"` never match;
/// - a text column compared with a value no customer of the data holds
///   (`member.sugar_pref == "Less"` when the data has `less`), with the sample
///   shop or the user's customers; a schema file alone has no values to check.
/// Rule conditions are walked up to their defines; each define is walked once,
/// so the warning points into the file that holds the mistake.
struct UnknownTextValue: LintRule {
    static let code = LintCode.unknownTextValue

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        var values: [String: Set<String>] = [:]
        for define in context.program.defines {
            walk(define.value, file: define.file, context, &values, into: &diagnostics)
        }
        for rule in context.program.rules {
            walk(rule.condition, file: rule.file, context, &values, into: &diagnostics)
        }
    }

    private func walk(_ e: CheckedExpr, file: SourceFile, _ context: LintContext, _ values: inout [String: Set<String>],
                      into diagnostics: inout [Diagnostic]) {
        switch e.node {
        case .define: return // checked where it is declared
        case .compare(let op, let a, let b) where op == .eq || op == .ne:
            if let (subject, text) = textTest(a, b) ?? textTest(b, a) {
                test(subject, text, negated: op == .ne, file: file, context, &values, into: &diagnostics)
            }
        case .inList(let x, let items, let negated):
            for item in items {
                if case .constant(.text(let s)) = item.node {
                    test(x, (s, item.range), negated: negated, file: file, context, &values, into: &diagnostics)
                }
            }
        default: break
        }
        e.forEachChild { walk($0, file: file, context, &values, into: &diagnostics) }
    }

    /// `subject == "text"`: the subject and the constant text with its place.
    private func textTest(_ subject: CheckedExpr, _ other: CheckedExpr) -> (CheckedExpr, (String, SourceRange))? {
        guard subject.type == .text, case .constant(.text(let s)) = other.node else { return nil }
        return (subject, (s, other.range))
    }

    /// `negated`: the test is `!=` or `not in`, which the value makes always true rather than never.
    private func test(_ subject: CheckedExpr, _ text: (String, SourceRange), negated: Bool, file: SourceFile, _ context: LintContext,
                      _ values: inout [String: Set<String>], into diagnostics: inout [Diagnostic]) {
        let (value, range) = text
        let outcome = negated ? "this test is always true as written" : "this test never holds as written"
        switch subject.node {
        case .builtin(.weekday, _):
            let names = LocalDate.weekdayNames
            guard !names.contains(value) else { return }
            let help = Suggest.closest(to: value, among: names).map { "did you mean \"\($0)\"? weekday() gives \(names.joined(separator: ", "))" }
                ?? "weekday() gives one of \(names.joined(separator: ", "))"
            diagnostics.append(.warning(Self.code.rawValue, "weekday() never gives \"\(value)\", so \(outcome)", in: file, range,
                                        help: help, fixIt: Suggest.closest(to: value, among: names).map { .init(range: range, replacement: "\"\($0)\"") }))
        case .column(_, let name):
            guard let data = context.population, let slot = data.customers.columnIndex(named: name) else { return }
            if values[name] == nil {
                var held: Set<String> = []
                for case .text(let s) in data.customers.columns[slot].values { held.insert(s) }
                values[name] = held
            }
            guard let held = values[name], !held.isEmpty, !held.contains(value) else { return }
            let suggestion = Suggest.closest(to: value, among: held.sorted())
            var help = "check the value against the data, for example in `perk repl`"
            if let suggestion { help = "the data has \"\(suggestion)\"; text compares exactly, case included" }
            else if held.count <= 8 { help = "the data has \(held.sorted().map { "\"\($0)\"" }.joined(separator: ", "))" }
            diagnostics.append(.warning(Self.code.rawValue, "no customer has `member.\(name)` equal to \"\(value)\", so \(outcome)",
                                        in: file, range, help: help, fixIt: suggestion.map { .init(range: range, replacement: "\"\($0)\"") }))
        default: return
        }
    }
}
