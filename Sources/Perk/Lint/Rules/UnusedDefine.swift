/// P209: a define that no rule or define uses.
struct UnusedDefine: LintRule {
    static let code = LintCode.unusedDefine

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        // A declaration that did not parse may use the define: its names were never read.
        if context.isPartial && context.compilation.diagnostics.contains(where: { $0.code.hasPrefix("P0") && $0.severity == .error }) { return }
        for file in context.compilation.files {
            for case .define(let d) in file.declarations where !context.compilation.usedDefines.contains(d.name.value) {
                diagnostics.append(.warning(Self.code, "define `\(d.name.value)` is never used", in: file.file, d.name.range,
                                            help: "use it in a rule's `when`, or remove it"))
            }
        }
    }
}
