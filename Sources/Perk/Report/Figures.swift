/// Numbers as a marketer reads them in reports: counts with thousands
/// separators, money to the cent, rates as percentages with one decimal.
enum Figures {
    static func count(_ n: Int) -> String { PlanReport.grouped(n) }

    /// `+12` or `-3`, for differences; `0` without a sign.
    static func signedCount(_ n: Int) -> String { n > 0 ? "+" + count(n) : count(n) }

    /// `18,000.00`.
    static func money(_ n: Number) -> String { groupedDecimal(n.formatted(places: 2)) }

    /// `+1,234.50` or `-20.00`, for differences.
    static func signedMoney(_ n: Number) -> String { n > .zero ? "+" + money(n) : money(n) }

    /// Points and other exact quantities: `12,345` or `12.5`.
    static func exact(_ n: Number) -> String { groupedDecimal(n.description) }

    /// `40.0%`, or `-` when there is nothing to divide.
    static func rate(_ r: Number?) -> String {
        guard let r, let percent = r.multiplying(Number(100)) else { return "-" }
        return percent.formatted(places: 1) + "%"
    }

    /// `returned` of `total` as a rate.
    static func share(_ part: Int, of total: Int) -> String {
        rate(total > 0 ? Number(part).dividing(by: Number(total)) : nil)
    }

    /// Adds thousands separators to the whole part of a decimal text.
    private static func groupedDecimal(_ text: String) -> String {
        let negative = text.hasPrefix("-")
        let unsigned = negative ? String(text.dropFirst()) : text
        let parts = unsigned.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        let whole = Int(parts[0]).map(PlanReport.grouped) ?? String(parts[0])
        let fraction = parts.count > 1 ? "." + parts[1] : ""
        return (negative ? "-" : "") + whole + fraction
    }
}
