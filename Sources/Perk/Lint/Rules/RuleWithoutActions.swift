/// P210: a rule with no `then`: it matches customers but does nothing.
struct RuleWithoutActions: LintRule {
    static let code = LintCode.ruleWithoutActions

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, rule) in context.program.rules.enumerated() where rule.actions.isEmpty {
            diagnostics.append(context.warning(Self.code, "rule \"\(rule.name)\" has no actions", rule: r,
                                               help: "add what it should do, like `then send coupon 20`"))
        }
    }
}
