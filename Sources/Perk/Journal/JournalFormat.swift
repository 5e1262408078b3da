/// The campaign journal's file format: a folder with one CSV file per
/// committed day, named `YYYY-MM-DD.csv`, one row per action of each of the
/// day's decisions (a rule without actions gets one row with no action), in
/// the order the decisions were made: by customer id, then rule order.
///
/// The columns are the simulation ledger's, then the campaign the rule was in
/// and the coupon code of a sent coupon. `redeemed_on` and `cost` are the
/// ledger's estimates and stay empty in a live journal; they are kept so a
/// journal and a ledger can be read alike.
public enum JournalFormat {
    public static let columns = SimulationLedger.header + ["campaign", "coupon_code"]

    enum Column: Int, CaseIterable {
        case date, customerID, rule, action, value, channel, status, redeemedOn, cost, campaign, couponCode
    }

    /// The file name of a committed day.
    public static func fileName(of day: LocalDate) -> String { "\(day).csv" }

    /// The day a file name stands for: `2025-06-12.csv`. Nil for any other
    /// name, which is not a committed day; a name shaped like a day that is
    /// not one (`2025-02-30.csv`) is `.impossible`.
    enum NameMeaning: Equatable {
        case day(LocalDate)
        case impossible
        case other
    }

    static func meaning(ofFileName name: String) -> NameMeaning {
        let bytes = Array(name.utf8)
        guard bytes.count == 14, name.hasSuffix(".csv") else { return .other }
        let stem = bytes[0..<10]
        for (i, b) in stem.enumerated() {
            let isDigit = b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9")
            guard i == 4 || i == 7 ? b == UInt8(ascii: "-") : isDigit else { return .other }
        }
        return LocalDate(parsing: String(decoding: stem, as: UTF8.self)).map(NameMeaning.day) ?? .impossible
    }

    /// The action names of `perk run`'s plans, which a journal row may hold.
    static let actionNames: [String] = ["coupon", "message", "award_points", "multiply_points", "set_tier", "tag", "notify_staff"]

    /// What a coupon counts against its campaign's budget, read back from the
    /// value as `perk run` writes it: `20`, `15% max 10` (its max), `15%` (0),
    /// `FREE-TOPPING worth 6` (its worth). Nil when the text is none of these.
    static func faceValue(ofCouponValue text: Substring) -> Number? {
        if let worth = text.lastRange(of: " worth ") {
            return Number(parsing: text[worth.upperBound...])
        }
        if let percent = text.firstIndex(of: "%") {
            guard Number(parsing: text[..<percent]) != nil else { return nil }
            let rest = text[text.index(after: percent)...]
            if rest.isEmpty { return .zero }
            guard rest.hasPrefix(" max ") else { return nil }
            return Number(parsing: rest.dropFirst(5))
        }
        return Number(parsing: text)
    }
}

/// Problems with a journal folder or its files; each is an error, and the
/// command stops without writing anything (J000 is the note that counts the
/// problems not listed).
public enum JournalCode: String, CaseIterable, Sendable {
    /// J000 (a note): a day file has more problems than are listed.
    case moreNotShown = "J000"
    /// J001: the journal folder cannot be read or created, or a day file cannot be read.
    case unreadable = "J001"
    /// J002: a day file is empty, or its header is not the journal's columns.
    case badHeader = "J002"
    /// J003: a row's shape is broken: wrong number of fields, an unclosed or stray quote, bytes that are not UTF-8, a NUL byte.
    case badRow = "J003"
    /// J004: a row's date is not a date, or not the day its file is named after.
    case badDate = "J004"
    /// J005: a cell that must have a value is empty, or holds a value Perk does not know (action, status, channel).
    case badValue = "J005"
    /// J006: a coupon code is missing, malformed, on a row that is not a sent coupon, or issued twice.
    case badCouponCode = "J006"
    /// J007: a decision's rows disagree, or the same decision appears twice in a day.
    case badDecision = "J007"
    /// J008: a file is named like a day that does not exist, such as 2025-02-30.csv.
    case badFileName = "J008"
}

extension Substring {
    func lastRange(of target: String) -> Range<Index>? {
        guard !target.isEmpty, count >= target.count else { return nil }
        var i = index(endIndex, offsetBy: -target.count)
        while true {
            if self[i...].hasPrefix(target) { return i..<index(i, offsetBy: target.count) }
            guard i > startIndex else { return nil }
            i = index(before: i)
        }
    }
}
