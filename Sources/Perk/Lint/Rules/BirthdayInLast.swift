/// P217: `birthday in last 7 days` tests the date of birth itself, which lies
/// years back, so it holds for nobody (but a newborn). `in last` is kept as it
/// is for every date (changing it for one column would make `in last` mean two
/// things); the linter points to `within`, which takes the birthday's nearest
/// yearly occurrence, past or coming, and `in next`, which takes the next one.
struct BirthdayInLast: LintRule {
    static let code = LintCode.birthdayInLast

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        guard let birthday = context.program.schema.customerField("birthday"), birthday.type == .date else { return }
        for define in context.program.defines { walk(define.value, file: define.file, into: &diagnostics) }
        for rule in context.program.rules {
            walk(rule.condition, file: rule.file, into: &diagnostics)
        }
    }

    private func walk(_ e: CheckedExpr, file: SourceFile, into diagnostics: inout [Diagnostic]) {
        if case .define = e.node { return } // checked where it is declared
        if case .dateInLast(let x, let span) = e.node, case .column(_, "birthday") = x.node {
            let written = file.slice(x.range)
            // `within` and `in next` take days and weeks only.
            let days: Int? = span.unit == .days ? span.amount : span.unit == .weeks ? span.amount * 7 : nil
            let help = days.map { "for a birthday in the past \($0) days or the coming ones, write `\(written) within \($0) days`; for the coming ones only, `\(written) in next \($0) days`" }
                ?? "for a birthday around today, write `\(written) within 7 days` (days or weeks)"
            diagnostics.append(.warning(
                Self.code.rawValue, "`\(written) in last \(span)` compares the date of birth itself, years back, so it holds for nobody",
                in: file, e.range, help: help, fixIt: days.map { .init(range: e.range, replacement: "\(written) within \($0) days") }))
        }
        e.forEachChild { walk($0, file: file, into: &diagnostics) }
    }
}
