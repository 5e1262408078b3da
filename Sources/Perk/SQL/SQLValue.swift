/// A value as the SQL computes it. Perk's numbers are exact fractions, and a
/// SQL engine's division is not (DuckDB divides decimals in binary floating
/// point, Spark rounds), so a quotient stays a fraction: `sql / denominator`,
/// the denominator always positive (NULL when the value is missing), and a
/// comparison multiplies across. A value no division touched is plain SQL.
struct SQLValue {
    var sql: String
    /// Nil: the value is `sql` itself.
    var denominator: String?
    /// The `items` of the order inside `where`: a list only `contains` and `in` read.
    var isItems = false

    init(_ sql: String, over denominator: String? = nil) {
        self.sql = sql
        self.denominator = denominator
    }

    static let null = SQLValue("NULL")

    /// Whether the value is missing, as a SQL predicate (never NULL itself).
    var isNull: String {
        if isItems { return "FALSE" }
        guard let denominator else { return "\(sql) IS NULL" }
        return "(\(sql) IS NULL OR \(denominator) IS NULL)"
    }

    /// `a × b` of two optional SQL factors (nil is 1).
    static func times(_ a: String?, _ b: String?) -> String? {
        switch (a, b) {
        case (nil, nil): return nil
        case (let x?, nil), (nil, let x?): return x
        case (let x?, let y?): return "\(x) * \(y)"
        }
    }

    /// The numerator scaled to the other's denominator: `a.sql × b.denominator`.
    func crossed(with other: SQLValue) -> String {
        guard let d = other.denominator else { return sql }
        return "(\(sql)) * \(d)"
    }
}
