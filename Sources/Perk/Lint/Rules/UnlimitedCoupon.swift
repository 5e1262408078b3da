/// P205: a coupon rule with no `limit` and no cooldown sends a coupon every day
/// its condition holds — usually many times to the same customer.
struct UnlimitedCoupon: LintRule {
    static let code = LintCode.unlimitedCoupon

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, rule) in context.program.rules.enumerated() where rule.lifetimeLimit == nil && rule.cooldown == nil {
            guard let coupon = rule.actions.first(where: { $0.coupon != nil }) else { continue }
            diagnostics.append(context.warning(
                Self.code, "this coupon is sent every day the condition holds: the rule has no `limit` and no `every`",
                rule: r, at: coupon.range, help: "add `limit once per customer every 30 days`, or `limit once per customer`"))
        }
    }
}
