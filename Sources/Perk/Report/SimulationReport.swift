/// Formats a simulation for `perk simulate`: a text report to read on one
/// screen, JSON for programs, and a self-contained HTML page with charts.
public struct SimulationReport {
    public enum Format: String, CaseIterable, Sendable {
        case text, json, html
    }

    public let result: SimulationResult
    public let comparison: SimulationComparison?
    let sections: SimulationSections

    /// `dataSummary` says what data was simulated; `labels` name the base rules
    /// and the `--compare` rules in the comparison.
    public init(result: SimulationResult, comparison: SimulationComparison? = nil, dataSummary: String? = nil,
                labels: (base: String, compared: String) = ("rules", "compared rules")) {
        self.result = result
        self.comparison = comparison
        sections = SimulationSections(result: result, comparison: comparison, dataSummary: dataSummary, labels: labels)
    }

    public func rendered(_ format: Format) -> String {
        switch format {
        case .text: return DisplayText.escaped(text(), keepingLineBreaks: true)
        case .json: return SimulationJSON(result: result, comparison: comparison, labels: sections.labels).json().rendered() + "\n"
        case .html: return SimulationHTML(sections: sections).page()
        }
    }

    // MARK: Text

    public func text() -> String {
        let s = sections
        var out = s.title + "\n" + s.subtitle.joined(separator: "\n") + "\n"
        out += heading("Totals")
        let width = s.totalsList.map { $0.label.count }.max() ?? 0
        for (label, value) in s.totalsList {
            out += "  " + label + String(repeating: " ", count: width - label.count) + "  " + value + "\n"
        }
        out += "\n" + wrapped(s.costNote)
        if !result.campaigns.isEmpty {
            out += heading("Campaigns") + table(s.campaigns)
        }
        guard !result.program.rules.isEmpty else { return out + heading("Rules") + "The rules files hold no rules.\n" }
        out += heading("Rules") + table(s.rules)
        out += heading("Funnel per rule: decisions, then distinct customers")
        let nameWidth = s.funnels.map { DisplayWidth.of($0.rule) }.max() ?? 0
        for f in s.funnels {
            out += DisplayWidth.padRight(f.rule, to: nameWidth) + "  " + f.decisions + "\n"
            if !f.customers.isEmpty { out += String(repeating: " ", count: nameWidth) + "  " + f.customers + "\n" }
        }
        out += "\n" + wrapped(s.funnelNote)
        out += heading("Tiers (as in the data, before any set tier)") + table(s.tiers)
        out += heading("Overlap") + s.overlap.joined(separator: "\n") + "\n"
        out += heading("Return rates: targeted against held out") + table(s.returns) + "\n" + wrapped(s.returnsNote)
        let samples = s.samples
        if !samples.isEmpty {
            out += heading("Sample customers and why they matched")
            for group in samples {
                out += group.rule + "\n" + group.lines.map { "  " + $0 + "\n" }.joined()
            }
        }
        if let c = comparison {
            out += heading(s.comparisonHeading) + table(s.comparisonTotals(c)) + "\n" + table(s.comparisonRules(c)) + "\n"
            out += s.comparisonCustomers(c).joined(separator: "\n") + "\n"
        }
        return out
    }

    private func heading(_ title: String) -> String { "\n" + title + "\n\n" }

    private func table(_ t: SimulationSections.Table) -> String {
        var text = TextTable(headers: t.headers, rightAligned: t.numeric)
        for row in t.rows { text.add(row) }
        return text.rendered()
    }

    /// Breaks a paragraph into lines of at most 100 columns.
    private func wrapped(_ paragraph: String, width: Int = 100) -> String {
        var lines: [String] = []
        var line = ""
        for word in paragraph.split(separator: " ") {
            if !line.isEmpty, DisplayWidth.of(line) + 1 + DisplayWidth.of(String(word)) > width {
                lines.append(line)
                line = ""
            }
            line += (line.isEmpty ? "" : " ") + word
        }
        if !line.isEmpty { lines.append(line) }
        return lines.joined(separator: "\n") + "\n"
    }
}
