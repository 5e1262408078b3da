/// A calendar date in the shop's local time, stored as days since 1970-01-01.
///
/// Plain day numbers make windows and `days_since_visit` simple subtraction, and
/// keep order history compact (4 bytes per order).
public struct LocalDate: Hashable, Comparable, Sendable, CustomStringConvertible, Strideable {
    public var day: Int32

    public init(day: Int32) { self.day = day }

    /// nil for dates that do not exist, like 2025-02-30 or 2025-13-01.
    public init?(year: Int, month: Int, day: Int) {
        guard year >= 1, year <= 9999, month >= 1, month <= 12,
              day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.day = Int32(LocalDate.daysFromCivil(year, month, day))
    }

    /// Parses exactly `YYYY-MM-DD`.
    public init?(parsing text: Substring) {
        let b = Array(text.utf8)
        guard b.count == 10, b[4] == UInt8(ascii: "-"), b[7] == UInt8(ascii: "-"),
              let y = LocalDate.digits(b[0..<4]), let m = LocalDate.digits(b[5..<7]),
              let d = LocalDate.digits(b[8..<10]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init?(parsing text: String) { self.init(parsing: Substring(text)) }

    public var components: (year: Int, month: Int, day: Int) { LocalDate.civil(from: Int(day)) }
    public var year: Int { components.year }
    public var month: Int { components.month }
    public var dayOfMonth: Int { components.day }

    /// 1 = Monday ... 7 = Sunday (ISO 8601).
    public var weekday: Int {
        // 1970-01-01 was a Thursday (4).
        let w = (Int(day) + 3) % 7
        return (w < 0 ? w + 7 : w) + 1
    }

    public static let weekdayNames = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]

    public var description: String {
        let (y, m, d) = components
        return "\(LocalDate.pad(y, 4))-\(LocalDate.pad(m, 2))-\(LocalDate.pad(d, 2))"
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.day < b.day }

    public func distance(to other: LocalDate) -> Int { Int(other.day - day) }
    public func advanced(by n: Int) -> LocalDate { LocalDate(day: day + Int32(n)) }

    /// The first and last days Perk's calendar holds: years 1 to 9999, as
    /// `YYYY-MM-DD` can write them.
    public static let earliest = LocalDate(day: Int32(daysFromCivil(1, 1, 1)))
    public static let latest = LocalDate(day: Int32(daysFromCivil(9999, 12, 31)))

    /// True for a day of the calendar (0001-01-01 through 9999-12-31).
    public var isInCalendar: Bool { day >= LocalDate.earliest.day && day <= LocalDate.latest.day }

    /// `n` days later (earlier for negative n); nil past either end of the
    /// calendar, rather than a day no `YYYY-MM-DD` can name.
    public func adding(days n: Int) -> LocalDate? {
        let target = Int(day) + n
        guard target >= Int(LocalDate.earliest.day), target <= Int(LocalDate.latest.day) else { return nil }
        return LocalDate(day: Int32(target))
    }

    /// The same day-of-month `n` calendar months later (earlier for negative n),
    /// clamped to the month's last day: Mar 31 minus one month is Feb 28 or 29.
    /// Nil past either end of the calendar: `9999-12-31 + 1 month` is no date,
    /// and moving the year back into range would give a wrong one.
    public func addingMonths(_ n: Int) -> LocalDate? {
        let (y, m, d) = components
        // Months since the start of year 0; the calendar holds year 1 through 9999.
        let total = y * 12 + (m - 1) + n
        guard total >= 12, total <= 9999 * 12 + 11 else { return nil }
        let ny = total / 12, nm = total % 12 + 1
        return LocalDate(year: ny, month: nm, day: Swift.min(d, LocalDate.daysIn(month: nm, year: ny)))
    }

    /// This month and day in `year`; Feb 29 falls on Feb 28 in other years.
    public func anniversary(in year: Int) -> LocalDate? {
        let (_, m, d) = components
        let nd = Swift.min(d, LocalDate.daysIn(month: m, year: year))
        return LocalDate(year: year, month: m, day: nd)
    }

    /// Why a `YYYY-MM-DD` text is not a real day, as the end of a sentence:
    /// `": February 2025 has 28 days"`; empty when there is nothing to add.
    public static func problem(with text: String) -> String {
        let parts = text.split(separator: "-").compactMap { Int($0) }
        guard parts.count == 3 else { return "" }
        let (y, m, d) = (parts[0], parts[1], parts[2])
        guard (1...9999).contains(y) else { return ": years run from 0001 to 9999" }
        guard (1...12).contains(m) else { return ": there is no month \(m)" }
        let days = daysIn(month: m, year: y)
        if d < 1 || d > days { return ": \(monthNames[m - 1]) \(y) has \(days) days" }
        return ""
    }

    public static let monthNames = ["January", "February", "March", "April", "May", "June", "July", "August",
                                    "September", "October", "November", "December"]

    // MARK: Calendar arithmetic (proleptic Gregorian)

    public static func isLeap(_ y: Int) -> Bool { (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a civil date (after Howard Hinnant's algorithm).
    static func daysFromCivil(_ y0: Int, _ m: Int, _ d: Int) -> Int {
        let y = m <= 2 ? y0 - 1 : y0
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (m + 9) % 12
        let doy = (153 * mp + 2) / 5 + d - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146097 + doe - 719468
    }

    static func civil(from days: Int) -> (Int, Int, Int) {
        let z = days + 719468
        let era = (z >= 0 ? z : z - 146096) / 146097
        let doe = z - era * 146097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (yoe + era * 400 + (m <= 2 ? 1 : 0), m, d)
    }

    static func digits(_ bytes: ArraySlice<UInt8>) -> Int? {
        var v = 0
        for b in bytes {
            guard b >= 48, b <= 57 else { return nil }
            v = v * 10 + Int(b - 48)
        }
        return v
    }

    static func pad(_ v: Int, _ width: Int) -> String {
        let s = String(v)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}

/// A local date and time to the second, as in `2025-03-01T14:30:00`; no time zone,
/// because a shop's orders are in the shop's own time.
public struct LocalDateTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public var date: LocalDate
    /// Seconds since midnight, 0..<86400.
    public var seconds: Int32

    public init(date: LocalDate, seconds: Int32) {
        self.date = date
        self.seconds = seconds
    }

    /// Parses `YYYY-MM-DDTHH:MM[:SS]` (a space may stand for `T`; a trailing `Z`
    /// or fraction of a second is not accepted: orders are in local time).
    public init?(parsing text: Substring) {
        let b = Array(text.utf8)
        guard b.count == 16 || b.count == 19, b[10] == UInt8(ascii: "T") || b[10] == UInt8(ascii: " "),
              let date = LocalDate(parsing: text.prefix(10)), b[13] == UInt8(ascii: ":"),
              let h = LocalDate.digits(b[11..<13]), let m = LocalDate.digits(b[14..<16]),
              h < 24, m < 60 else { return nil }
        var s = 0
        if b.count == 19 {
            guard b[16] == UInt8(ascii: ":"), let sec = LocalDate.digits(b[17..<19]), sec < 60 else { return nil }
            s = sec
        }
        self.init(date: date, seconds: Int32(h * 3600 + m * 60 + s))
    }

    public static func < (a: LocalDateTime, b: LocalDateTime) -> Bool {
        (a.date, a.seconds) < (b.date, b.seconds)
    }

    public var description: String {
        let s = Int(seconds)
        return "\(date)T\(LocalDate.pad(s / 3600, 2)):\(LocalDate.pad(s / 60 % 60, 2)):\(LocalDate.pad(s % 60, 2))"
    }
}
