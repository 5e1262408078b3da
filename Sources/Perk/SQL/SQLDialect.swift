/// The SQL engines `perk sql` writes for, and each one's way of saying what
/// the others say differently. Everything else the planner writes is SQL the
/// three share, so a difference between them lives here and only here.
public enum SQLDialect: String, CaseIterable, Sendable {
    case duckdb, postgres, spark

    /// `'text'`: Spark reads backslashes in literals as escapes, so they are doubled there.
    func text(_ s: String) -> String {
        var out = self == .spark ? s.replacingOccurrences(of: "\\", with: "\\\\") : s
        out = self == .spark ? out.replacingOccurrences(of: "'", with: "\\'") : out.replacingOccurrences(of: "'", with: "''")
        return "'\(out)'"
    }

    /// A column or table name, quoted unless it is a plain lower-case word that is no keyword.
    func name(_ s: String) -> String {
        let plain = s.utf8.first.map { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) } == true
            && s.utf8.allSatisfy { $0 == UInt8(ascii: "_") || ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) }
        if plain, !SQLDialect.keywords.contains(s) { return s }
        if self == .spark { return "`" + s.replacingOccurrences(of: "`", with: "``") + "`" }
        return "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// A table name as given: `sales.orders` names a table in a schema, so each part is quoted alone.
    func table(_ s: String) -> String {
        s.split(separator: ".", omittingEmptySubsequences: false).map { name(String($0)) }.joined(separator: ".")
    }

    static let keywords: Set<String> = [
        "all", "and", "any", "as", "asc", "between", "by", "case", "cast", "check", "column", "create", "cross", "current_date",
        "date", "default", "desc", "distinct", "else", "end", "except", "false", "from", "full", "group", "having", "in", "inner",
        "intersect", "interval", "is", "join", "left", "like", "limit", "natural", "not", "null", "on", "or", "order", "outer",
        "right", "rule", "select", "table", "then", "time", "timestamp", "to", "true", "union", "user", "using", "when", "where",
        "window", "with", "year", "month", "day", "value", "values", "order_id", "position",
    ]

    func date(_ d: LocalDate) -> String { "DATE '\(d)'" }

    func timestamp(_ d: LocalDateTime) -> String {
        let s = Int(d.seconds)
        return "TIMESTAMP '\(d.date) \(LocalDate.pad(s / 3600, 2)):\(LocalDate.pad(s / 60 % 60, 2)):\(LocalDate.pad(s % 60, 2))'"
    }

    var textType: String { self == .postgres ? "TEXT" : (self == .spark ? "STRING" : "VARCHAR") }

    /// The day of a timestamp or date.
    func day(of x: String) -> String { "CAST(\(x) AS DATE)" }

    /// `d + n` days, a date.
    func addDays(_ d: String, _ n: Int) -> String {
        switch self {
        case .duckdb, .postgres: return "(\(d) + \(n))"
        case .spark: return "date_add(\(d), \(n))"
        }
    }

    /// `d + n` calendar months, the day clamped to the month's end as Perk does.
    func addMonths(_ d: String, _ n: Int) -> String {
        switch self {
        case .duckdb: return "CAST(\(d) + INTERVAL (\(n)) MONTH AS DATE)"
        case .postgres: return "CAST(\(d) + \(n) * INTERVAL '1 month' AS DATE)"
        case .spark: return "add_months(\(d), \(n))"
        }
    }

    /// Days from `b` to `a`, an integer.
    func daysBetween(_ a: String, _ b: String) -> String {
        switch self {
        case .duckdb, .postgres: return "(\(a) - \(b))"
        case .spark: return "datediff(\(a), \(b))"
        }
    }

    /// 1 for Monday through 7 for Sunday.
    func isoWeekday(_ d: String) -> String {
        switch self {
        case .duckdb: return "isodow(\(d))"
        case .postgres: return "CAST(EXTRACT(ISODOW FROM \(d)) AS INTEGER)"
        case .spark: return "(weekday(\(d)) + 1)"
        }
    }

    func part(_ field: String, of d: String) -> String {
        switch self {
        case .duckdb, .spark: return "\(field.lowercased())(\(d))"
        case .postgres: return "CAST(EXTRACT(\(field) FROM \(d)) AS INTEGER)"
        }
    }

    /// `a < b` with texts compared byte by byte, as Perk compares them.
    func orderedText(_ a: String) -> String { self == .postgres ? "\(a) COLLATE \"C\"" : a }

    /// `s` contains `t`; an empty `t` is in every text.
    func contains(_ s: String, _ t: String) -> String {
        switch self {
        case .duckdb: return "contains(\(s), \(t))"
        case .postgres: return "(strpos(\(s), \(t)) > 0)"
        case .spark: return "(instr(\(s), \(t)) > 0)"
        }
    }

    func startsWith(_ s: String, _ t: String) -> String {
        switch self {
        case .duckdb: return "starts_with(\(s), \(t))"
        case .postgres: return "(left(\(s), length(\(t))) = \(t))"
        case .spark: return "(left(\(s), length(\(t))) = \(t))"
        }
    }

    /// The characters Perk trims from each item name: spaces and tabs.
    var itemTrim: String { "' ' || chr(9)" }

    /// True when the `;`-separated items text holds `item` (spaces and tabs
    /// around each name trimmed, as Perk reads them); false for no items.
    func itemsContain(_ items: String, _ item: String) -> String {
        switch self {
        case .duckdb:
            // A subquery, not a lambda: DuckDB changed its lambda syntax in 1.3.
            return "EXISTS (SELECT 1 FROM unnest(string_split(\(items), ';')) AS i(item) WHERE trim(i.item, \(itemTrim)) = \(item))"
        case .postgres:
            return "EXISTS (SELECT 1 FROM unnest(string_to_array(\(items), ';')) AS i(item) WHERE btrim(i.item, \(itemTrim)) = \(item))"
        case .spark:
            return "COALESCE(exists(split(\(items), ';'), x -> trim(BOTH \(itemTrim) FROM x) = \(item)), FALSE)"
        }
    }

    /// One row per item of each order, untrimmed: generators cannot sit inside another function.
    func itemRows(_ items: String) -> String {
        switch self {
        case .duckdb: return "unnest(string_split(\(items), ';'))"
        case .postgres: return "unnest(string_to_array(\(items), ';'))"
        case .spark: return "explode(split(\(items), ';'))"
        }
    }

    /// An item name with the spaces and tabs around it trimmed, as Perk reads it.
    func trimmedItem(_ x: String) -> String {
        switch self {
        case .duckdb: return "trim(\(x), \(itemTrim))"
        case .postgres: return "btrim(\(x), \(itemTrim))"
        case .spark: return "trim(BOTH \(itemTrim) FROM \(x))"
        }
    }

    /// `date("2025-03-01")` on a text: the day it names exactly as `YYYY-MM-DD`, else NULL.
    func parseDate(_ s: String) -> String? {
        switch self {
        case .duckdb:
            return "CASE WHEN regexp_full_match(\(s), '[0-9]{4}-[0-9]{2}-[0-9]{2}') AND \(s) >= '0001' THEN TRY_CAST(\(s) AS DATE) END"
        case .postgres, .spark:
            // Neither can try a cast that may fail without a function of its own.
            return nil
        }
    }

    /// The smallest or largest of booleans (Postgres has no min or max of them).
    func extreme(_ max: Bool, ofBool x: String) -> String {
        if self == .postgres { return max ? "bool_or(\(x))" : "bool_and(\(x))" }
        return max ? "MAX(\(x))" : "MIN(\(x))"
    }
}
