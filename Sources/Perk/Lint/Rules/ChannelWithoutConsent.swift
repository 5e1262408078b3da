/// P207: a message or coupon `via` a channel the data has no consent column
/// for: Perk cannot tell who agreed to be contacted, so it contacts everyone.
struct ChannelWithoutConsent: LintRule {
    static let code = LintCode.channelWithoutConsent

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, rule) in context.program.rules.enumerated() {
            for action in rule.actions {
                guard let channel = action.channel, action.consentSlot == nil else { continue }
                diagnostics.append(context.warning(
                    Self.code, "the customers data has no `\(channel.consentColumn)` column, so consent for \(channel.rawValue) cannot be checked: every matching customer is contacted",
                    rule: r, at: action.range,
                    help: "add an \(channel.consentColumn) column (true or false) to the customers file, or send via a channel with consent"))
            }
        }
    }
}
