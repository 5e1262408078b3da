/// A simulation as one self-contained HTML page: inline CSS and SVG charts, no
/// scripts, no fonts or images to fetch. It reads in a browser and prints on A4.
struct SimulationHTML {
    let sections: SimulationSections

    private var result: SimulationResult { sections.result }
    private var program: CheckedProgram { result.program }

    func page() -> String {
        let s = sections
        var body = "<header>\n<h1>\(e(s.title))</h1>\n" + s.subtitle.map { "<p class=\"meta\">\(e($0))</p>\n" }.joined() + "</header>\n"
        body += section("Totals", totals() + note(s.costNote))
        body += section("Daily sends by rule", dailySends())
        if !result.campaigns.isEmpty {
            body += section("Campaign spending against budget", spending() + table(s.campaigns))
        }
        body += section("Rules", ruleBars() + table(s.rules))
        body += section("Funnel per rule", funnels() + note(s.funnelNote))
        body += section("Tiers", note("As in the data, before any set tier.") + table(s.tiers))
        body += section("Overlap", summaryAndList(s.overlap))
        body += section("Return rates: targeted against held out", table(s.returns) + note(s.returnsNote))
        let samples = s.samples
        if !samples.isEmpty {
            body += section("Sample customers and why they matched", samples.map { group in
                "<h3>\(e(group.rule))</h3>\n<ul class=\"samples\">\n" + group.lines.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n"
            }.joined())
        }
        if let c = s.comparison {
            body += section(s.comparisonHeading, table(s.comparisonTotals(c)) + table(s.comparisonRules(c))
                            + summaryAndList(s.comparisonCustomers(c)))
        }
        return """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>\(e(s.title))</title>
        <style>
        \(SimulationHTML.style)
        </style>
        </head>
        <body>
        \(body)</body>
        </html>

        """
    }

    // MARK: Sections

    private func totals() -> String {
        "<dl class=\"totals\">\n" + sections.totalsList.map { "<dt>\(e($0.label))</dt><dd>\(e($0.value))</dd>\n" }.joined() + "</dl>\n"
    }

    private func dailySends() -> String {
        let labels = result.daily.map { String($0.day.description.dropFirst(5)) }
        let series = result.rules.filter { $0.decisions[.sent] > 0 }.map { outcome in
            SVGCharts.Series(name: program.rules[outcome.rule].name, values: result.daily.map { Number($0.sentByRule[outcome.rule]) })
        }
        guard !series.isEmpty else { return "<p>Nothing was sent.</p>\n" }
        return SVGCharts.smallMultiples(series, labels: labels, title: "Sent decisions per day, one panel per rule",
                                        yTitle: "sent per day (each rule on its own scale)", xTitle: "day (month-day)")
    }

    private func spending() -> String {
        let labels = result.daily.map { String($0.day.description.dropFirst(5)) }
        let series = result.campaigns.map { o in
            SVGCharts.Series(name: program.campaigns[o.campaign].name, values: result.daily.map { $0.spentByCampaign[o.campaign] })
        }
        // A campaign's line starts on its first day in the period; one that starts
        // after the period has none.
        let starts = result.campaigns.map { o in result.daily.firstIndex { program.campaigns[o.campaign].isActive(on: $0.day) } }
        let chart = SVGCharts.steps(series, starts: starts, bases: result.campaigns.map(\.spentBefore), limits: result.campaigns.map(\.budget),
                                    labels: labels, title: "Cumulative face value of coupons sent, per campaign; dashed: its budget",
                                    yTitle: "face value spent", xTitle: "day (month-day)")
        return chart + legend(series.map(\.name), note: "solid: spent so far; dashed: budget")
    }

    private func ruleBars() -> String {
        let items = result.rules.map { (name: program.rules[$0.rule].name, outer: $0.decisions.total, inner: $0.decisions[.sent]) }
        return SVGCharts.bars(items, title: "Decisions matched and sent per rule") + legend(["sent"], note: "light: matched")
    }

    private func funnels() -> String {
        var rows = "<table>\n<thead><tr><th>rule</th><th>decisions</th><th>distinct customers</th></tr></thead>\n<tbody>\n"
        for f in sections.funnels {
            rows += "<tr><td>\(e(f.rule))</td><td>\(e(f.decisions))</td><td>\(e(f.customers))</td></tr>\n"
        }
        return rows + "</tbody>\n</table>\n"
    }

    // MARK: Pieces

    private func section(_ title: String, _ content: String) -> String {
        "<section>\n<h2>\(e(title))</h2>\n\(content)</section>\n"
    }

    /// The first line as a paragraph, the rest as a list.
    private func summaryAndList(_ lines: [String]) -> String {
        guard let first = lines.first else { return "" }
        let rest = lines.dropFirst()
        return "<p>\(e(first))</p>\n" + (rest.isEmpty ? "" : "<ul>\n" + rest.map { "<li>\(e($0))</li>\n" }.joined() + "</ul>\n")
    }

    private func note(_ text: String) -> String { "<p class=\"note\">\(e(text))</p>\n" }

    private func legend(_ names: [String], note: String? = nil) -> String {
        var out = "<p class=\"legend\">"
        for (i, name) in names.enumerated() {
            out += "<span><i style=\"background:\(SVGCharts.color(i))\"></i>\(e(name))</span> "
        }
        if let note { out += "<span class=\"note\">(\(e(note)))</span>" }
        return out + "</p>\n"
    }

    private func table(_ t: SimulationSections.Table) -> String {
        func cells(_ row: [String], tag: String) -> String {
            row.enumerated().map { i, cell in
                "<\(tag)\(t.numeric.contains(i) ? " class=\"num\"" : "")>\(e(cell))</\(tag)>"
            }.joined()
        }
        return "<table>\n<thead><tr>\(cells(t.headers, tag: "th"))</tr></thead>\n<tbody>\n"
            + t.rows.map { "<tr>\(cells($0, tag: "td"))</tr>\n" }.joined() + "</tbody>\n</table>\n"
    }

    private func e(_ s: String) -> String { SVGCharts.escape(s) }

    static let style = """
    body { font-family: -apple-system, "Segoe UI", "Helvetica Neue", Arial, "PingFang SC", "Noto Sans CJK SC", sans-serif;
           color: #222; max-width: 960px; margin: 2em auto; padding: 0 1em; line-height: 1.4; }
    h1 { font-size: 1.5em; margin-bottom: 0.2em; }
    h2 { font-size: 1.15em; border-bottom: 1px solid #ddd; padding-bottom: 0.2em; margin-top: 1.6em; }
    h3 { font-size: 1em; margin: 0.8em 0 0.2em; }
    .meta { color: #555; margin: 0.1em 0; }
    .note { color: #555; font-size: 0.9em; }
    dl.totals { display: grid; grid-template-columns: max-content auto; gap: 0.2em 1.2em; }
    dl.totals dt { font-weight: 600; }
    dl.totals dd { margin: 0; }
    table { border-collapse: collapse; margin: 0.6em 0; font-size: 0.9em; }
    th, td { padding: 0.25em 0.6em; border-bottom: 1px solid #eee; text-align: left; vertical-align: top; }
    th { border-bottom: 1px solid #bbb; }
    .num { text-align: right; font-variant-numeric: tabular-nums; }
    svg.chart { width: 100%; height: auto; display: block; margin: 0.5em 0; }
    svg .grid { stroke: #e5e5e5; stroke-width: 1; }
    svg.chart { max-width: 720px; }
    svg .label { font-size: 11px; fill: #555; }
    svg .panel { font-weight: 600; fill: #222; }
    .legend span { margin-right: 1em; white-space: nowrap; font-size: 0.9em; }
    .legend i { display: inline-block; width: 0.8em; height: 0.8em; margin-right: 0.3em; vertical-align: baseline; }
    .samples { margin: 0; padding-left: 1.2em; }
    @page { size: A4; margin: 14mm; }
    @media print {
      body { max-width: none; margin: 0; padding: 0; font-size: 9.5pt; }
      table, tr, dl, svg.chart, .legend { break-inside: avoid; }
      h2, h3 { break-after: avoid; }
      .legend i { print-color-adjust: exact; -webkit-print-color-adjust: exact; }
    }
    """
}
