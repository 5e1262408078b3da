/// Prints an `Explanation` as a tree, the same in `perk explain` and the REPL:
///
///     Rule "VIP win-back" for customer C001 (王芳), as of 2025-03-01
///
///     member.tier == VIP and lapsed  false
///     ├─ member.tier == VIP          true
///     │  └─ member.tier              VIP
///     └─ lapsed (define)             false
///        └─ days_since_visit > 60    false
///           └─ days_since_visit      2
///
///     Does not fire: `lapsed` is false.
public struct ExplainReport {
    public let explanation: Explanation

    /// Expressions longer than this many columns are shortened with "…".
    static let maxTextWidth = 72

    public init(_ explanation: Explanation) {
        self.explanation = explanation
    }

    public func rendered() -> String {
        let e = explanation
        let who = e.customerID + (e.customerName.map { " (\($0))" } ?? "")
        var out = DisplayText.escaped("Rule \"\(e.ruleName)\" for customer \(who), as of \(e.day)") + "\n\n"
        var rows: [(text: String, value: String)] = []
        collect(e.condition, lead: "", branch: "", parentCauses: nil, into: &rows)
        let width = rows.map { DisplayWidth.of($0.text) }.max() ?? 0
        for row in rows {
            out += (row.value.isEmpty ? row.text : DisplayWidth.padRight(row.text, to: width) + "  " + row.value) + "\n"
        }
        out += "\n" + DisplayText.escaped(verdictLine()) + "\n"
        for note in e.notes { out += DisplayText.escaped("Note: \(note).") + "\n" }
        return out
    }

    // MARK: - Tree

    /// `parentCauses`: why the parent is unknown; a child unknown for the same
    /// reasons just says "unknown", so the reason is read once, at the top.
    private func collect(_ node: Explanation.Node, lead: String, branch: String, parentCauses: [Explanation.Cause]?,
                         into rows: inout [(text: String, value: String)]) {
        // Rules and data may hold control characters: escaped before they are measured.
        let label = DisplayText.escaped(node.defineName != nil ? "\(node.text) (define)" : node.text)
        let room = Swift.max(12, Self.maxTextWidth - DisplayWidth.of(lead + branch))
        rows.append((lead + branch + Self.shortened(label, to: room),
                     DisplayText.escaped(valueCell(node, repeating: node.unknownBecause == parentCauses))))
        let childLead = lead + (branch.isEmpty ? "" : branch == "└─ " ? "   " : "│  ")
        let children = node.children
        for (i, child) in children.enumerated() {
            // A long chain shows its first and last parts and says how many it left out.
            if children.count > Self.maxChildren, i == Self.shownFirst {
                let left = children.count - Self.shownFirst - Self.shownLast
                rows.append((childLead + "├─ … \(PlanReport.grouped(left)) more not shown", ""))
            }
            if children.count > Self.maxChildren, i >= Self.shownFirst, i < children.count - Self.shownLast { continue }
            collect(child, lead: childLead, branch: i == children.count - 1 ? "└─ " : "├─ ",
                    parentCauses: node.value?.isMissing == true ? node.unknownBecause : nil, into: &rows)
        }
    }

    /// A node with more parts than this shows the first `shownFirst` and the
    /// last `shownLast`, so a generated 2,000-term sum prints a page, not 30 MB.
    static let maxChildren = 20, shownFirst = 12, shownLast = 4

    private func valueCell(_ node: Explanation.Node, repeating: Bool) -> String {
        guard let value = node.value else {
            switch node.failure {
            case .numberTooLarge?: return "error: beyond Perk's exact numbers"
            case .dateOutsideCalendar?: return "error: outside the calendar"
            case nil: return "not evaluated"
            }
        }
        guard value.isMissing else { return ValueText.shown(value, as: node.type, quotingText: true) }
        if node.isLeaf {
            let reason = node.unknownBecause.first?.reason
            return "missing" + (reason.map { " (\($0))" } ?? "")
        }
        let word = node.type == .bool ? "unknown" : "missing"
        return repeating ? word : "\(word) because " + Self.causes(node.unknownBecause)
    }

    static func causes(_ list: [Explanation.Cause]) -> String {
        list.map(\.sentence).joined(separator: " and ")
    }

    static func shortened(_ text: String, to width: Int) -> String {
        guard DisplayWidth.of(text) > width else { return text }
        var out = ""
        for ch in text {
            if DisplayWidth.of(out + String(ch)) > width - 1 { break }
            out.append(ch)
        }
        return out + "…"
    }

    // MARK: - Verdict

    private func verdictLine() -> String {
        switch explanation.verdict {
        case .fires(let actions):
            return "Fires: " + actions.map(Self.describe).joined(separator: ", ") + "."
        case .heldBack(_, let reason):
            return "Held back: the condition holds, but \(reason)."
        case .campaignNotRunning(let name, let from, let to):
            let dates = "\(from.map(\.description) ?? "…") to \(to.map(\.description) ?? "…")"
            return "Does not fire: the condition holds, but campaign \"\(name)\" runs \(dates), not on \(explanation.day)."
        case .conditionFalse(let because?):
            return "Does not fire: `\(because)` is false."
        case .conditionFalse(nil):
            return "Does not fire: the condition is false."
        case .conditionUnknown(let causes):
            return "Does not fire: the condition is unknown because \(Self.causes(causes)); "
                + "a rule acts only when its condition is definitely true."
        case .cannotCompute(let failure):
            return "Cannot decide: \(failure.diagnostic.message); `perk run` stops with this error."
        }
    }

    /// `coupon 20 via sms`, `award_points 50`, `tag recovery`.
    static func describe(_ action: CheckedAction) -> String {
        "\(action.name) \(action.valueText)" + (action.channel.map { " via \($0.rawValue)" } ?? "")
    }
}
