/// Charts drawn as inline SVG, so a report is one file that needs no network
/// and no script to read or print. Each chart scales to the page width, up to 720 pixels.
enum SVGCharts {
    /// Colours that stay apart from each other on screen and in print.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// One named series of values, one per x position.
    struct Series {
        var name: String
        var values: [Number]
    }

    /// The bar chart's width; the others are drawn 600 wide too, to read at 1:1 in a 600-pixel column.
    private static let width = 600.0

    // MARK: Small multiples

    /// One panel per series (daily sends, a panel per rule), each on its own y
    /// scale: stacked on one scale, a high-volume rule flattens every other rule
    /// to nothing. The panels share the x axis, labelled once at the bottom.
    /// Drawn 600 wide, so it reads at 1:1 in a 600-pixel column.
    static func smallMultiples(_ series: [Series], labels: [String], title: String, yTitle: String, xTitle: String) -> String {
        let w = 600.0, l = 58.0, r = 10.0, panel = 58.0, gap = 22.0, head = 16.0, foot = 40.0
        let count = labels.count
        let plotWidth = w - l - r
        let step = plotWidth / Double(max(1, count))
        let h = head + Double(series.count) * (panel + gap) + foot
        var svg = "<svg viewBox=\"0 0 \(f(w)) \(f(h))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">\n"
        svg += "<text x=\"12\" y=\"\(f(head + (h - head - foot) / 2))\" transform=\"rotate(-90 12 \(f(head + (h - head - foot) / 2)))\" "
            + "text-anchor=\"middle\" class=\"label\">\(escape(yTitle))</text>\n"
        for (k, s) in series.enumerated() {
            let y0 = head + Double(k) * (panel + gap) + gap
            let most = s.values.map(double).max() ?? 0
            let scale = Axis(maximum: most)
            svg += "<text x=\"\(f(l))\" y=\"\(f(y0 - 6))\" class=\"label panel\">\(escape(clip(s.name, 60)))"
                + " · most in a day \(Figures.exact(s.values.max() ?? .zero))</text>\n"
            svg += scale.grid(left: l, width: plotWidth, top: y0, height: panel, lines: scale.top >= 2 ? 2 : 1, labelX: l - 6)
            for (i, v) in s.values.enumerated() where i < count && v > .zero {
                let bar = double(v) / scale.top * panel
                svg += rect(x: l + Double(i) * step + step * 0.1, y: y0 + panel - bar, w: step * 0.8, h: bar, fill: color(k),
                            tip: "\(labels[i]): \(s.name) \(Figures.exact(v))")
            }
        }
        svg += xLabels(labels, step: step, left: l, y: h - foot + 14)
        svg += "<text x=\"\(f(l + plotWidth / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\" class=\"label\">\(escape(xTitle))</text>\n"
        return svg + "</svg>\n"
    }

    // MARK: Steps

    /// A step line per series over days (cumulative spend per campaign): flat
    /// across a day at what was spent by its end, starting at `starts[k]` (the
    /// campaign's first day in the period, at `bases[k]`, what it had spent
    /// before) and drawn nowhere before it, with an optional dashed limit in its
    /// colour (the campaign's budget). Spending only changes once a day, so a
    /// sloped line between days would show spending that never happened.
    static func steps(_ series: [Series], starts: [Int?], bases: [Number], limits: [Number?], labels: [String],
                      title: String, yTitle: String, xTitle: String) -> String {
        let w = 600.0, l = 64.0, r = 10.0, t = 14.0, b = 40.0, h = 260.0
        let count = labels.count
        let values = series.flatMap { $0.values.map(double) } + limits.compactMap { $0.map(double) } + bases.map(double)
        let scale = Axis(maximum: values.max() ?? 0)
        let plotWidth = w - l - r, plotHeight = h - t - b
        let step = plotWidth / Double(max(1, count))
        func y(_ v: Double) -> Double { t + plotHeight - v / scale.top * plotHeight }
        var svg = "<svg viewBox=\"0 0 \(f(w)) \(f(h))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">\n"
        svg += scale.grid(left: l, width: plotWidth, top: t, height: plotHeight, lines: 4, labelX: l - 6)
        svg += "<text x=\"12\" y=\"\(f(t + plotHeight / 2))\" transform=\"rotate(-90 12 \(f(t + plotHeight / 2)))\" text-anchor=\"middle\" "
            + "class=\"label\">\(escape(yTitle))</text>\n"
        for (k, s) in series.enumerated() {
            if k < limits.count, let limit = limits[k] {
                svg += "<line x1=\"\(f(l))\" x2=\"\(f(l + plotWidth))\" y1=\"\(f(y(double(limit))))\" y2=\"\(f(y(double(limit))))\" "
                    + "stroke=\"\(color(k))\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>\(escape(s.name)) budget "
                    + "\(Figures.money(limit))</title></line>\n"
                svg += "<text x=\"\(f(l + plotWidth))\" y=\"\(f(y(double(limit)) - 4))\" text-anchor=\"end\" class=\"label\">"
                    + "\(escape(clip(s.name, 40))) budget \(Figures.money(limit))</text>\n"
            }
            guard k < starts.count, let first = starts[k], first < min(count, s.values.count) else { continue }
            var level = k < bases.count ? double(bases[k]) : 0
            var points = ["\(f(l + Double(first) * step)),\(f(y(level)))"]
            for i in first..<min(count, s.values.count) {
                let x = l + Double(i) * step
                let v = double(s.values[i])
                if v != level { points.append("\(f(x)),\(f(y(v)))") }
                level = v
                points.append("\(f(x + step)),\(f(y(v)))")
            }
            svg += "<polyline fill=\"none\" stroke=\"\(color(k))\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\">"
                + "<title>\(escape(s.name))</title></polyline>\n"
        }
        svg += xLabels(labels, step: step, left: l, y: h - b + 14)
        svg += "<text x=\"\(f(l + plotWidth / 2))\" y=\"\(f(h - 6))\" text-anchor=\"middle\" class=\"label\">\(escape(xTitle))</text>\n"
        return svg + "</svg>\n"
    }

    // MARK: Bars

    /// One row per item: a light bar for `outer` (matched) with a dark bar for
    /// `inner` (sent) over it, and both numbers at the end.
    static func bars(_ items: [(name: String, outer: Int, inner: Int)], title: String) -> String {
        let rowHeight = 22.0, labelWidth = 200.0, numberWidth = 110.0
        let h = Double(items.count) * rowHeight + 8
        let barWidth = width - labelWidth - numberWidth
        let most = Double(max(1, items.map(\.outer).max() ?? 1))
        var svg = "<svg viewBox=\"0 0 \(f(width)) \(f(h))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">\n"
        for (i, item) in items.enumerated() {
            let y = 4 + Double(i) * rowHeight
            svg += "<text x=\"\(f(labelWidth - 8))\" y=\"\(f(y + 15))\" text-anchor=\"end\" class=\"label\">\(escape(clip(item.name, 34)))</text>\n"
            svg += rect(x: labelWidth, y: y + 3, w: Double(item.outer) / most * barWidth, h: rowHeight - 6, fill: "#c6dbef",
                        tip: "\(item.name): \(Figures.count(item.outer)) matched")
            svg += rect(x: labelWidth, y: y + 3, w: Double(item.inner) / most * barWidth, h: rowHeight - 6, fill: color(0),
                        tip: "\(item.name): \(Figures.count(item.inner)) sent")
            svg += "<text x=\"\(f(labelWidth + barWidth + 6))\" y=\"\(f(y + 15))\" class=\"label\">\(Figures.count(item.inner)) of "
                + "\(Figures.count(item.outer))</text>\n"
        }
        return svg + "</svg>\n"
    }

    // MARK: Pieces

    /// A y axis from 0 to a round number at or above the largest value.
    private struct Axis {
        let top: Double

        init(maximum: Double) {
            guard maximum > 0 else { top = 1; return }
            var unit = 1.0
            while unit * 10 <= maximum { unit *= 10 }
            // Quarters of these tops are round numbers, for the four grid lines.
            top = [1.0, 2, 4, 6, 8, 10].map { $0 * unit }.first { $0 >= maximum } ?? maximum
        }

        /// `lines` intervals from 0 to the top, each line labelled at its left.
        func grid(left: Double, width: Double, top y0: Double, height: Double, lines: Int, labelX: Double) -> String {
            var svg = ""
            for k in 0...lines {
                let value = top * Double(k) / Double(lines)
                let y = SVGCharts.f(y0 + height - height * Double(k) / Double(lines))
                let label = value == value.rounded() ? PlanReport.grouped(Int(value)) : SVGCharts.f(value)
                svg += "<line x1=\"\(SVGCharts.f(left))\" x2=\"\(SVGCharts.f(left + width))\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>\n"
                svg += "<text x=\"\(SVGCharts.f(labelX))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\" class=\"label\">\(label)</text>\n"
            }
            return svg
        }
    }

    /// About eight date labels along the x axis, first and last included.
    private static func xLabels(_ labels: [String], step: Double, left: Double, y: Double) -> String {
        guard !labels.isEmpty else { return "" }
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        var svg = ""
        for (i, label) in labels.enumerated() where i % every == 0 || i == labels.count - 1 {
            if i == labels.count - 1, i % every != 0, i % every < every / 2 { continue }
            svg += "<text x=\"\(f(left + (Double(i) + 0.5) * step))\" y=\"\(f(y))\" text-anchor=\"middle\" class=\"label\">"
                + "\(escape(label))</text>\n"
        }
        return svg
    }

    private static func rect(x: Double, y: Double, w: Double, h: Double, fill: String, tip: String) -> String {
        "<rect x=\"\(f(x))\" y=\"\(f(y))\" width=\"\(f(max(0, w)))\" height=\"\(f(max(0, h)))\" fill=\"\(fill)\">"
            + "<title>\(escape(tip))</title></rect>\n"
    }

    private static func clip(_ s: String, _ n: Int) -> String { s.count > n ? String(s.prefix(n - 1)) + "…" : s }

    /// Chart geometry only: money and counts in labels are exact, from `Figures`.
    static func double(_ n: Number) -> Double { Double(n.numerator) / Double(n.denominator) }

    /// A coordinate with one decimal.
    static func f(_ v: Double) -> String {
        let tenths = Int((v * 10).rounded())
        return (tenths < 0 ? "-" : "") + "\(abs(tenths) / 10).\(abs(tenths) % 10)"
    }

    /// Text safe inside HTML and SVG elements and attributes. By Unicode
    /// scalars, not Characters: a `<` followed by a combining mark is one
    /// Character, which a test for the Character `"<"` would let through.
    static func escape(_ s: String) -> String {
        var out = ""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }
}
