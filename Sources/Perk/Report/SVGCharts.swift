/// Charts drawn as inline SVG, so a report is one file that needs no network
/// and no script to read or print. Each chart scales to the page width.
enum SVGCharts {
    /// Colours that stay apart from each other on screen and in print.
    static let palette = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"]

    static func color(_ i: Int) -> String { palette[i % palette.count] }

    /// One named series of values, one per x position.
    struct Series {
        var name: String
        var values: [Number]
    }

    private static let width = 720.0, height = 240.0
    private static let left = 56.0, right = 12.0, top = 12.0, bottom = 28.0

    // MARK: Stacked columns

    /// Columns stacked by series (daily sends by rule), x labelled by `labels`.
    static func stackedColumns(_ series: [Series], labels: [String], title: String) -> String {
        let count = labels.count
        var totals = Array(repeating: 0.0, count: count)
        for s in series { for (i, v) in s.values.enumerated() where i < count { totals[i] += double(v) } }
        let scale = Axis(maximum: totals.max() ?? 0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = plotWidth / Double(max(1, count))
        var svg = open(title) + scale.grid(left: left, width: plotWidth, top: top, height: plotHeight)
        var base = Array(repeating: 0.0, count: count)
        for (k, s) in series.enumerated() {
            for (i, v) in s.values.enumerated() where i < count && v > .zero {
                let h = double(v) / scale.top * plotHeight
                let y = top + plotHeight - (base[i] + double(v)) / scale.top * plotHeight
                svg += rect(x: left + Double(i) * step + step * 0.1, y: y, w: step * 0.8, h: h, fill: color(k),
                            tip: "\(labels[i]): \(s.name) \(Figures.exact(v))")
                base[i] += double(v)
            }
        }
        svg += xLabels(labels, step: step)
        return svg + "</svg>\n"
    }

    // MARK: Lines

    /// Lines over x (cumulative spend per campaign), each with an optional
    /// dashed limit in its colour (the campaign's budget).
    static func lines(_ series: [Series], limits: [Number?], labels: [String], title: String) -> String {
        let count = labels.count
        let values = series.flatMap { $0.values.map(double) } + limits.compactMap { $0.map(double) }
        let scale = Axis(maximum: values.max() ?? 0)
        let plotWidth = width - left - right, plotHeight = height - top - bottom
        let step = plotWidth / Double(max(1, count))
        func y(_ v: Double) -> Double { top + plotHeight - v / scale.top * plotHeight }
        var svg = open(title) + scale.grid(left: left, width: plotWidth, top: top, height: plotHeight)
        for (k, s) in series.enumerated() {
            if k < limits.count, let limit = limits[k] {
                svg += "<line x1=\"\(f(left))\" x2=\"\(f(left + plotWidth))\" y1=\"\(f(y(double(limit))))\" y2=\"\(f(y(double(limit))))\" "
                    + "stroke=\"\(color(k))\" stroke-width=\"1.5\" stroke-dasharray=\"6 4\"><title>\(escape(s.name)) budget "
                    + "\(Figures.money(limit))</title></line>\n"
                svg += "<text x=\"\(f(left + plotWidth))\" y=\"\(f(y(double(limit)) - 4))\" text-anchor=\"end\" class=\"label\">"
                    + "\(escape(clip(s.name, 40))) budget \(Figures.money(limit))</text>\n"
            }
            let points = s.values.enumerated().map { "\(f(left + (Double($0.offset) + 0.5) * step)),\(f(y(double($0.element))))" }
            svg += "<polyline fill=\"none\" stroke=\"\(color(k))\" stroke-width=\"2\" points=\"\(points.joined(separator: " "))\">"
                + "<title>\(escape(s.name))</title></polyline>\n"
        }
        svg += xLabels(labels, step: step)
        return svg + "</svg>\n"
    }

    // MARK: Bars

    /// One row per item: a light bar for `outer` (matched) with a dark bar for
    /// `inner` (sent) over it, and both numbers at the end.
    static func bars(_ items: [(name: String, outer: Int, inner: Int)], title: String) -> String {
        let rowHeight = 22.0, labelWidth = 220.0, numberWidth = 120.0
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

        func grid(left: Double, width: Double, top y0: Double, height: Double) -> String {
            var svg = ""
            for k in 0...4 {
                let value = top * Double(k) / 4
                let y = SVGCharts.f(y0 + height - height * Double(k) / 4)
                let label = value == value.rounded() ? PlanReport.grouped(Int(value)) : SVGCharts.f(value)
                svg += "<line x1=\"\(SVGCharts.f(left))\" x2=\"\(SVGCharts.f(left + width))\" y1=\"\(y)\" y2=\"\(y)\" class=\"grid\"/>\n"
                svg += "<text x=\"\(SVGCharts.f(left - 6))\" y=\"\(y)\" dy=\"4\" text-anchor=\"end\" class=\"label\">\(label)</text>\n"
            }
            return svg
        }
    }

    private static func open(_ title: String) -> String {
        "<svg viewBox=\"0 0 \(f(width)) \(f(height))\" role=\"img\" aria-label=\"\(escape(title))\" class=\"chart\">\n"
    }

    /// About eight date labels along the x axis, first and last included.
    private static func xLabels(_ labels: [String], step: Double) -> String {
        guard !labels.isEmpty else { return "" }
        let every = max(1, Int((Double(labels.count) / 8).rounded(.up)))
        var svg = ""
        for (i, label) in labels.enumerated() where i % every == 0 || i == labels.count - 1 {
            if i == labels.count - 1, i % every != 0, i % every < every / 2 { continue }
            svg += "<text x=\"\(f(left + (Double(i) + 0.5) * step))\" y=\"\(f(height - 8))\" text-anchor=\"middle\" class=\"label\">"
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
