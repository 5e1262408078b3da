/// An ordered set of symbols, such as `MEMBER < SILVER < GOLD < VIP`.
/// Values of an enum are stored as their ordinal, so `>=` is integer comparison.
public struct EnumType: Hashable, Sendable, CustomStringConvertible {
    public var name: String
    public var cases: [String]

    public init(name: String, cases: [String]) {
        self.name = name
        self.cases = cases
    }

    public func ordinal(of symbol: String) -> Int32? {
        cases.firstIndex(of: symbol).map(Int32.init)
    }

    public var description: String { cases.joined(separator: " < ") }

    /// The order the brief gives for a `tier` column with no schema.
    public static let defaultTier = EnumType(name: "tier", cases: ["MEMBER", "SILVER", "GOLD", "VIP"])
}

/// The type of a value, as the checker sees it.
public indirect enum PerkType: Hashable, Sendable, CustomStringConvertible {
    /// Integers and exact decimals, money included.
    case number
    case percent
    case text
    case bool
    case date
    case datetime
    case duration
    case enumeration(EnumType)
    case list(PerkType)
    /// The type of `missing` itself and of an empty list's elements: fits anything.
    case unknown

    public var description: String {
        switch self {
        case .number: return "number"
        case .percent: return "percent"
        case .text: return "text"
        case .bool: return "boolean"
        case .date: return "date"
        case .datetime: return "datetime"
        case .duration: return "duration"
        case .enumeration(let e): return "\(e.name) (\(e.description))"
        case .list(let t): return "list of \(t)"
        case .unknown: return "missing"
        }
    }

    /// A short name for messages: `tier` rather than the whole order.
    public var shortName: String {
        if case .enumeration(let e) = self { return e.name }
        if case .list(let t) = self { return "list of \(t.shortName)" }
        return description
    }
}

/// A span of calendar time: `30 days`, `2 weeks`, `6 months`, `1 year`.
public struct Duration: Hashable, Sendable, CustomStringConvertible {
    public enum Unit: String, Sendable, CaseIterable {
        case days = "day", weeks = "week", months = "month", years = "year"
    }

    public var amount: Int
    public var unit: Unit

    public init(_ amount: Int, _ unit: Unit) {
        self.amount = amount
        self.unit = unit
    }

    /// The length in days, for units of fixed length (days and weeks).
    public var fixedDays: Int? {
        switch unit {
        case .days: return amount
        case .weeks: return amount * 7
        case .months, .years: return nil
        }
    }

    /// `date` moved forward by this duration (backward for negative `sign`);
    /// nil when that falls outside the calendar (years 1 to 9999).
    public func added(to date: LocalDate, sign: Int = 1) -> LocalDate? {
        switch unit {
        case .days: return date.adding(days: sign * amount)
        case .weeks: return date.adding(days: sign * amount * 7)
        case .months: return date.addingMonths(sign * amount)
        case .years: return date.addingMonths(sign * amount * 12)
        }
    }

    /// `day` minus this duration, where a window (`in last 6 months`) or a
    /// cooldown's period ending before `day` starts. When that is before the
    /// calendar's first day, the day before it stands in: every date Perk can
    /// hold is after both, so the window covers the same dates as the true
    /// start would, and a comparison with it gives the same answer.
    public func start(before day: LocalDate) -> LocalDate {
        guard amount > 0 else { return day }
        return added(to: day, sign: -1) ?? LocalDate(day: LocalDate.earliest.day - 1)
    }

    public var description: String { "\(amount) \(unit.rawValue)\(amount == 1 ? "" : "s")" }
}
