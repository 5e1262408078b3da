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
            var notes: [String] = []
            if let lost = withoutConsent(context, rule: r, channel: channel), let day = context.day {
                notes.append("on \(day) it matches \(lost.matched) customers; \(lost.without) of them, without \(channel.rawValue) consent (`\(channel.consentColumn)` false or empty), would get nothing")
            }
            diagnostics.append(context.warning(
                Self.code, "customers without \(channel.rawValue) consent get none of this rule's actions: \(otherText) \(others.count == 1 ? "is" : "are") lost with `\(contactText)`",
                rule: r, at: first.range,
                help: "split the rule: keep `\(contactText)` here and move \(otherText) to a rule of its own with the same `when` (a define shared by both keeps them in step)",
                notes: notes))
        }
    }

    /// With data: how many customers the rule matches on the day, and how many
    /// of them lack consent (false or empty, as the engine counts it); nil when none do.
    private func withoutConsent(_ context: LintContext, rule r: Int, channel: Channel) -> (matched: Int, without: Int)? {
        guard let matched = context.matched, let data = context.data,
              let slot = data.customers.columnIndex(named: channel.consentColumn) else { return nil }
        let consent = data.customers.columns[slot].values
        var count = 0, without = 0
        for c in 0..<data.customers.count where matched[r][c] {
            count += 1
            if consent[c] != .bool(true) { without += 1 }
        }
        return without > 0 ? (count, without) : nil
    }
}
