/// P215: a rule whose actions mix a contact `via` a channel with consent
/// (`send message ... via wechat`) and actions that need none (`award points`,
/// `set tier`, a coupon to the account, a tag, a note for staff). A customer
/// without consent is not contacted and the rule does not act for them at all
/// that day, so they lose the other actions too. Splitting the rule in two
/// keeps them. Only channels whose consent the data holds count: without the
/// column, everyone is contacted (P207 says so) and nothing is lost.
struct MixedConsent: LintRule {
    static let code = LintCode.mixedConsent

    func check(_ context: LintContext, into diagnostics: inout [Diagnostic]) {
        for (r, rule) in context.program.rules.enumerated() {
            guard let contact = rule.actions.first(where: { $0.channel != nil && $0.consentSlot != nil }),
                  let channel = contact.channel else { continue }
            let others = rule.actions.filter { $0.channel == nil }
            guard let first = others.first else { continue }
            let file = rule.file
            let contactText = file.slice(contact.range), otherText = others.map { "`\(file.slice($0.range))`" }.joined(separator: ", ")
            diagnostics.append(context.warning(
                Self.code, "customers without \(channel.rawValue) consent get none of this rule's actions: \(otherText) \(others.count == 1 ? "is" : "are") lost with `\(contactText)`",
                rule: r, at: first.range,
                help: "split the rule: keep `\(contactText)` here and move \(otherText) to a rule of its own with the same `when` (a define shared by both keeps them in step)"))
        }
    }
}
