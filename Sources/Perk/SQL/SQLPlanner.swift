/// Writes a checked program as one SQL query over the warehouse's `customers`
/// and `orders` tables: for the day, a row `customer_id, rule` for each
/// customer whose condition is definitely true, for each rule active that day.
/// It is another planner over the same checked program as `Planner`, and it
/// must give exactly the interpreter's answers: SQL's NULL is Perk's missing,
/// and where the two differ (a `between` with a missing bound, an aggregate
/// over no orders, a quotient) the SQL says what Perk means. A part the
/// dialect cannot say exactly is a Q001 diagnostic, never a near miss.
public struct SQLPlanner {
    public struct Tables: Sendable {
        public var customers: String
        public var orders: String
        public init(customers: String = "customers", orders: String = "orders") {
            self.customers = customers
            self.orders = orders
        }
    }

    public let program: CheckedProgram
    public let dialect: SQLDialect
    public let day: LocalDate
    public let tables: Tables

    public init(program: CheckedProgram, dialect: SQLDialect, day: LocalDate, tables: Tables = Tables()) {
        self.program = program
        self.dialect = dialect
        self.day = day
        self.tables = tables
    }

    /// The query, or the diagnostics of every part it cannot write.
    public func query() -> (sql: String?, diagnostics: [Diagnostic]) {
        var writer = SQLQueryWriter(planner: self)
        var selects: [String] = []
        var problems: [Diagnostic] = []
        for (r, rule) in program.rules.enumerated() where isActive(rule) {
            do throws(SQLProblem) {
                selects.append(try writer.select(rule: r))
            } catch {
                problems.append(error.diagnostic(rule: rule, dialect: dialect))
            }
        }
        guard problems.isEmpty else { return (nil, problems) }
        return (writer.text(selects: selects), [])
    }

    /// Rules outside their campaign's dates do not run, as in `perk run`.
    func isActive(_ rule: CheckedRule) -> Bool {
        guard let c = rule.campaign else { return true }
        return program.campaigns[c].isActive(on: day)
    }
}

/// Why a part of a rule cannot be written, and where.
struct SQLProblem: Error {
    var what: SQLMessage
    var range: SourceRange

    init(_ what: SQLMessage, at range: SourceRange) {
        self.what = what
        self.range = range
    }

    func diagnostic(rule: CheckedRule, dialect: SQLDialect) -> Diagnostic {
        Diagnostic.error(what.code, "rule \"\(rule.name)\": \(what.message)", in: rule.file, range, help: what.help)
    }
}
