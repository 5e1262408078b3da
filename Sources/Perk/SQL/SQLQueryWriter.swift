/// The text of one `perk sql` query: the common table expressions (one per
/// derived field or aggregate, each once, named after it) and one `SELECT`
/// per rule, joined by `UNION ALL`.
struct SQLQueryWriter {
    struct CTE {
        var name: String
        var comment: String
        var body: String
    }

    let planner: SQLPlanner
    var dialect: SQLDialect { planner.dialect }
    var day: LocalDate { planner.day }
    private(set) var ctes: [CTE] = []
    private var cteByKey: [String: String] = [:]
    /// How many nodes the rule being written has cost: a define used twice
    /// costs twice, and defines that double at each step stop here (Q002).
    private var budget = 0
    static let nodeBudget = 20_000
    static let depthLimit = 300

    init(planner: SQLPlanner) { self.planner = planner }

    var customersTable: String { dialect.table(planner.tables.customers) }
    var ordersTable: String { dialect.table(planner.tables.orders) }

    /// The day of an order: the date of `ordered_at`.
    func orderDay(_ alias: String) -> String { dialect.day(of: "\(alias).ordered_at") }

    // MARK: The query

    mutating func select(rule r: Int) throws(SQLProblem) -> String {
        let rule = planner.program.rules[r]
        budget = Self.nodeBudget
        var scope = SQLScope(orders: nil)
        let condition = try predicate(rule.condition, &scope, depth: 0)
        let line = rule.file.lineColumn(of: rule.range.start).line
        let source = Self.oneLine(rule.file.slice(rule.condition.range))
        var out = "-- \(rule.file.path):\(line): \(Self.oneLine(rule.name))\n"
        if !source.isEmpty { out += "--   when \(source)\n" }
        out += "SELECT c.customer_id, \(dialect.text(rule.name)) AS rule\nFROM \(customersTable) AS c\n"
        for join in scope.joins { out += "LEFT JOIN \(join) ON \(join).customer_id = c.customer_id\n" }
        // A condition unknown for everyone matches no one (Spark takes no bare NULL as a condition).
        out += "WHERE \(condition == "NULL" ? "FALSE" : Self.bare(condition))"
        return out
    }

    func text(selects: [String]) -> String {
        var out = "-- perk \(PerkVersion.current) for \(dialect.rawValue): who matches each rule active on \(day)\n"
        out += "-- read-only; one row (customer_id, rule) per customer whose condition is definitely true\n"
        if !ctes.isEmpty {
            out += "WITH\n" + ctes.map { "\($0.name) AS (\n  -- \($0.comment)\n  \($0.body.replacingOccurrences(of: "\n", with: "\n  "))\n)" }
                .joined(separator: ",\n") + "\n"
        }
        if selects.isEmpty {
            out += "SELECT CAST(NULL AS \(dialect.textType)) AS customer_id, CAST(NULL AS \(dialect.textType)) AS rule\nWHERE 1 = 0\n"
        } else {
            out += selects.joined(separator: "\nUNION ALL\n") + "\nORDER BY customer_id, rule\n"
        }
        return out
    }

    static func oneLine(_ s: String) -> String {
        s.split(whereSeparator: { $0 == "\n" || $0 == "\r" }).map { $0.trimmingSpaces }.joined(separator: " ")
    }

    /// `x` without one pair of parentheses around the whole.
    static func bare(_ x: String) -> String {
        let bytes = Array(x.utf8)
        guard bytes.first == UInt8(ascii: "("), bytes.last == UInt8(ascii: ")") else { return x }
        var depth = 0
        var inText = false
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "'") { inText.toggle() }
            if inText { continue }
            if b == UInt8(ascii: "(") { depth += 1 }
            if b == UInt8(ascii: ")") { depth -= 1 }
            if depth == 0, i < bytes.count - 1 { return x }
        }
        return String(x.dropFirst().dropLast())
    }

    // MARK: Common table expressions

    /// The name of the CTE for `key`, made by `make` the first time.
    private mutating func cte(key: String, name base: String, comment: String, body: String) -> String {
        if let name = cteByKey[key] { return name }
        var name = base
        var n = 2
        while ctes.contains(where: { $0.name == name }) {
            name = "\(base)_\(n)"
            n += 1
        }
        cteByKey[key] = name
        ctes.append(CTE(name: name, comment: Self.oneLine(comment), body: body))
        return name
    }

    /// `FROM orders WHERE` the orders before the day (and from `from` on).
    func ordersBefore(_ from: LocalDate? = nil, alias: String = "o") -> String {
        var out = "FROM \(ordersTable) AS \(alias)\nWHERE \(orderDay(alias)) < \(dialect.date(day))"
        if let from, from.isInCalendar { out += " AND \(orderDay(alias)) >= \(dialect.date(from))" }
        return out
    }

    mutating func derived(_ f: DerivedField) -> SQLValue {
        let name = f.rawValue
        let key = "derived " + name
        let cte = cteByKey[key] ?? cte(key: key, name: name, comment: "\(name): \(f.summary), as of \(day)", body: derivedBody(f))
        switch f {
        case .visitCount: return SQLValue("COALESCE(\(cte).visit_count, 0)")
        case .totalSpend: return SQLValue("COALESCE(\(cte).total_spend, 0)")
        case .avgOrderValue: return SQLValue("\(cte).total_spend", over: "\(cte).visit_count")
        default: return SQLValue("\(cte).\(name)")
        }
    }

    func derivedBody(_ f: DerivedField) -> String {
            let today = dialect.date(day)
            switch f {
            case .visitCount:
                return "SELECT o.customer_id, COUNT(*) AS visit_count\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .daysSinceVisit:
                return "SELECT o.customer_id, \(dialect.daysBetween(today, "MAX(\(orderDay("o")))")) AS days_since_visit\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .daysSinceFirstVisit:
                return "SELECT o.customer_id, \(dialect.daysBetween(today, "MIN(\(orderDay("o")))")) AS days_since_first_visit\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .firstVisit:
                return "SELECT o.customer_id, MIN(\(orderDay("o"))) AS first_visit\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .lastVisit:
                return "SELECT o.customer_id, MAX(\(orderDay("o"))) AS last_visit\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .totalSpend:
                return "SELECT o.customer_id, SUM(o.amount) AS total_spend\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .avgOrderValue:
                // A fraction: the total over the number of orders, never a rounded quotient.
                return "SELECT o.customer_id, SUM(o.amount) AS total_spend, COUNT(*) AS visit_count\n\(ordersBefore())\nGROUP BY o.customer_id"
            case .favoriteItem:
                // Ties go to the name first in byte order, as in Perk.
                return """
                SELECT customer_id, item AS favorite_item
                FROM (
                  SELECT customer_id, item, ROW_NUMBER() OVER (PARTITION BY customer_id ORDER BY COUNT(*) DESC, \(dialect.orderedText("item")) ASC) AS place
                  FROM (
                    SELECT customer_id, \(dialect.trimmedItem("item")) AS item
                    FROM (SELECT o.customer_id, \(dialect.itemRows("o.items")) AS item
                          \(ordersBefore().replacingOccurrences(of: "\n", with: "\n      "))) AS split_items
                  ) AS trimmed_items
                  WHERE item <> ''
                  GROUP BY customer_id, item
                ) AS counted
                WHERE place = 1
                """
            }
    }

    /// An aggregate's CTE: one row per customer with orders in its window.
    mutating func aggregate(_ agg: Aggregate, _ query: OrderQueryPlan, _ e: CheckedExpr, depth: Int) throws(SQLProblem) -> SQLValue {
        let key = "aggregate " + e.canonicalText
        if let name = cteByKey[key] { return reference(agg, name) }
        // The filter and field, written first: a CTE they need comes before this one.
        var scope = SQLScope(orders: "o")
        var filter: String?
        if let f = query.filter { filter = Self.bare(try predicate(f, &scope, depth: depth + 1)) }
        var field: SQLValue?
        var fieldType: PerkType = .unknown
        if let slot = query.field, let fieldName = query.fieldName {
            fieldType = planner.program.schema.orderField(fieldName)?.type ?? .unknown
            field = try orderField(slot, name: fieldName, type: fieldType, &scope, range: e.range)
        }
        func when(_ x: String) -> String { filter.map { "CASE WHEN \($0) THEN \(x) END" } ?? x }
        var columns: String
        switch agg {
        case .count:
            if let field, !field.isItems { columns = "COUNT(\(when(field.sql))) AS value" }
            else { columns = filter.map { "COUNT(CASE WHEN \($0) THEN 1 END) AS value" } ?? "COUNT(*) AS value" }
        case .sum:
            columns = "SUM(\(when(try plainField(field, agg, e)))) AS value"
        case .avg:
            let x = when(try plainField(field, agg, e))
            columns = "SUM(\(x)) AS value, COUNT(\(x)) AS n"
        case .min, .max:
            let x = try plainField(field, agg, e)
            switch fieldType {
            case .bool: columns = dialect.extreme(agg == .max, ofBool: when(x)) + " AS value"
            case .text: columns = "\(agg == .max ? "MAX" : "MIN")(\(when(dialect.orderedText(x)))) AS value"
            case .datetime: columns = "CAST(\(agg == .max ? "MAX" : "MIN")(\(when(x))) AS DATE) AS value"
            default: columns = "\(agg == .max ? "MAX" : "MIN")(\(when(x))) AS value"
            }
        case .any:
            columns = filter.map { "COUNT(CASE WHEN \($0) THEN 1 END) > 0 AS value" } ?? "TRUE AS value"
        case .all:
            // An order whose `where` is unknown is not a true one: `all` is false.
            columns = filter.map { "COUNT(CASE WHEN \($0) THEN NULL ELSE 1 END) = 0 AS value" } ?? "TRUE AS value"
        }
        var from = ordersBefore(query.window.map { $0.start(before: day) })
        if scope.usesCustomers {
            from = from.replacingOccurrences(of: "\nWHERE", with: "\nJOIN \(customersTable) AS c ON c.customer_id = o.customer_id\nWHERE")
        }
        for join in scope.joins {
            from = from.replacingOccurrences(of: "\nWHERE", with: "\nLEFT JOIN \(join) ON \(join).customer_id = o.customer_id\nWHERE")
        }
        let body = "SELECT o.customer_id, \(columns)\n\(from)\nGROUP BY o.customer_id"
        let name = cte(key: key, name: Self.aggregateName(agg, query), comment: e.canonicalText + ", as of \(day)", body: body)
        return reference(agg, name)
    }

    private func plainField(_ field: SQLValue?, _ agg: Aggregate, _ e: CheckedExpr) throws(SQLProblem) -> String {
        guard let field, !field.isItems else {
            throw SQLProblem(.itemsAggregate(agg), at: e.range)
        }
        return field.sql
    }

    /// The aggregate's value for a customer, with its value for no orders.
    private func reference(_ agg: Aggregate, _ name: String) -> SQLValue {
        switch agg {
        case .count, .sum: return SQLValue("COALESCE(\(name).value, 0)")
        case .any: return SQLValue("COALESCE(\(name).value, FALSE)")
        case .all: return SQLValue("COALESCE(\(name).value, TRUE)")
        case .avg: return SQLValue("\(name).value", over: "NULLIF(\(name).n, 0)")
        case .min, .max: return SQLValue("\(name).value")
        }
    }

    /// `sum_amount_in_last_90_days`: what the aggregate reads, as a name.
    static func aggregateName(_ agg: Aggregate, _ q: OrderQueryPlan) -> String {
        var name = "\(agg.rawValue)_orders"
        if let f = q.fieldName { name = "\(agg.rawValue)_\(f)" }
        if let w = q.window { name += "_in_last_\(w.amount)_\(w.unit.rawValue)s" }
        if q.filter != nil { name += "_where" }
        let cleaned = name.lowercased().unicodeScalars.map { ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0))) ? Character($0) : "_" }
        return String(cleaned)
    }

    // MARK: Expressions

    /// A condition, as a SQL boolean (NULL is unknown).
    mutating func predicate(_ e: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> String {
        try value(e, &scope, depth: depth).sql
    }

    mutating func value(_ e: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> SQLValue {
        budget -= 1
        guard budget > 0 else {
            throw SQLProblem(.tooManyParts(Self.nodeBudget), at: e.range)
        }
        guard depth < Self.depthLimit else {
            throw SQLProblem(.tooDeep(Self.depthLimit), at: e.range)
        }
        if !e.dependsOnCustomer, !e.isListOrDuration {
            return try constant(e)
        }
        let d = depth + 1
        switch e.node {
        case .constant(let v):
            return try literal(v, e)
        case .today:
            return SQLValue(dialect.date(day))
        case .column(_, let name):
            scope.usesCustomers = true
            return typed("c.\(dialect.name(name))", e.type)
        case .derived(let f):
            let v = derived(f)
            scope.join(Self.cteName(in: v.sql))
            return v
        case .orderField(let slot, let name):
            return try orderField(slot, name: name, type: e.type, &scope, range: e.range)
        case .define(_, let body):
            return try value(body, &scope, depth: d)
        case .not(let x):
            return SQLValue("(NOT \(try predicate(x, &scope, depth: d)))")
        case .and, .or:
            return SQLValue(try chain(e, &scope, depth: d))
        case .negate(let x):
            let v = try value(x, &scope, depth: d)
            return SQLValue("(-\(v.sql))", over: v.denominator)
        case .arithmetic(let op, let a, let b):
            return try arithmetic(op, a, b, e, &scope, depth: d)
        case .compare(let op, let a, let b):
            return SQLValue(try compare(op, a, b, &scope, depth: d))
        case .inList(let x, let items, let negated):
            return SQLValue(try membership(x, items, negated: negated, e, &scope, depth: d))
        case .listContains(let list, let needle):
            return SQLValue(try membership(needle, [list], negated: false, e, &scope, depth: d))
        case .orderHasItem(_, let name, _):
            guard let o = scope.orders else { throw outsideOrders(e) }
            return SQLValue(dialect.itemsContain("\(o).items", dialect.text(name)))
        case .textContains(let a, let b):
            let s = try value(a, &scope, depth: d).sql, t = try value(b, &scope, depth: d).sql
            return SQLValue(dialect.contains(s, t))
        case .startsWith(let a, let b):
            let s = try value(a, &scope, depth: d).sql, t = try value(b, &scope, depth: d).sql
            return SQLValue(dialect.startsWith(s, t))
        case .between(let x, let lo, let hi):
            let v = try value(x, &scope, depth: d), l = try value(lo, &scope, depth: d), h = try value(hi, &scope, depth: d)
            let test = "\(order(v, x.type, ">=", l, lo.type)) AND \(order(v, x.type, "<=", h, hi.type))"
            // SQL's `x >= lo AND x <= hi` is false when x is past a known bound and the
            // other is missing; in Perk any missing part makes it unknown.
            let nulls = [l, h].filter { $0.sql != "NULL" && !Self.isLiteral($0.sql) }
            if nulls.isEmpty, l.sql != "NULL", h.sql != "NULL" { return SQLValue("(\(test))") }
            return SQLValue("(CASE WHEN \(([v, l, h]).map(\.isNull).joined(separator: " OR ")) THEN NULL ELSE \(test) END)")
        case .isMissing(let x, let negated):
            let v = try value(x, &scope, depth: d)
            return SQLValue(negated ? "(NOT \(v.isNull))" : "(\(v.isNull))")
        case .dateNear(let x, let kind, let days):
            let v = try dateValue(x, &scope, depth: d)
            return SQLValue(nearness(v, kind, days: days))
        case .dateInLast(let x, let span):
            let v = try dateValue(x, &scope, depth: d)
            // A window reaching past the calendar's first day starts before every date there is.
            let start = span.start(before: day)
            guard start.isInCalendar else { return SQLValue("(\(v) < \(dialect.date(day)))") }
            return SQLValue("(\(v) >= \(dialect.date(start)) AND \(v) < \(dialect.date(day)))")
        case .aggregate(let agg, let query):
            let v = try aggregate(agg, query, e, depth: d)
            scope.join(Self.cteName(in: v.sql))
            return v
        case .builtin(let b, let args):
            return try builtin(b, args[0], e, &scope, depth: d)
        }
    }

    /// The CTE a reference to a derived field or aggregate reads: `visit_count` in `COALESCE(visit_count.visit_count, 0)`.
    static func cteName(in sql: String) -> String {
        let inner = sql.hasPrefix("COALESCE(") ? String(sql.dropFirst("COALESCE(".count)) : sql
        return String(inner.prefix { $0 != "." })
    }

    /// True for a literal the planner wrote (a number, text, date, TRUE or FALSE): never NULL.
    static func isLiteral(_ sql: String) -> Bool {
        sql.hasPrefix("DATE '") || sql.hasPrefix("TIMESTAMP '") || sql.first.map { $0.isNumber || $0 == "'" } == true
            || sql == "TRUE" || sql == "FALSE" || (sql.hasPrefix("(-") && sql.dropFirst(2).first?.isNumber == true && !sql.contains(" "))
    }

    private func outsideOrders(_ e: CheckedExpr) -> SQLProblem {
        SQLProblem(.orderFieldOutsideWhere, at: e.range)
    }

    /// `a and b and c ...`, one level however long the chain: and/or are
    /// associative in three-valued logic too.
    private mutating func chain(_ e: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> String {
        let isAnd: Bool
        if case .and = e.node { isAnd = true } else { isAnd = false }
        var parts: [CheckedExpr] = []
        var stack = [e]
        while let x = stack.popLast() {
            switch x.node {
            case .and(let a, let b) where isAnd, .or(let a, let b) where !isAnd:
                stack.append(b)
                stack.append(a)
            default:
                parts.append(x)
            }
        }
        var sqls: [String] = []
        for p in parts { sqls.append(try predicate(p, &scope, depth: depth)) }
        return "(" + sqls.joined(separator: isAnd ? " AND " : " OR ") + ")"
    }

    /// A value that is the same for every customer, computed here as Perk computes it.
    private func constant(_ e: CheckedExpr) throws(SQLProblem) -> SQLValue {
        let v: Value
        do {
            v = try SQLQueryWriter.evaluator.evaluate(e, customer: 0, today: day)
        } catch {
            throw SQLProblem(.notComputable(on: day, why: "\(error.problem)"), at: e.range)
        }
        return try literal(v, e)
    }

    /// Evaluates parts that read no customer: tables with nobody in them.
    static let evaluator = Interpreter(customers: CustomerTable(source: "", ids: [], columns: [], lines: []),
                                       orders: OrderTable.empty(customers: 0, source: ""))

    private func literal(_ v: Value, _ e: CheckedExpr) throws(SQLProblem) -> SQLValue {
        switch v {
        case .missing: return .null
        case .bool(let b): return SQLValue(b ? "TRUE" : "FALSE")
        case .number(let n), .percent(let n): return Self.number(n)
        case .text(let s): return SQLValue(dialect.text(s))
        case .date(let d): return SQLValue(dialect.date(d))
        case .datetime(let d): return SQLValue(dialect.timestamp(d))
        case .symbol(let i): return SQLValue(String(i))
        case .duration, .list:
            throw SQLProblem(.valueOnItsOwn(e.type.shortName), at: e.range)
        }
    }

    /// An exact decimal as a literal; other fractions as a fraction of two.
    static func number(_ n: Number) -> SQLValue {
        // Long literals are DECIMAL(38): a BIGINT product overflows where Perk's 128-bit products do not.
        func signed(_ s: String) -> String {
            if s.filter(\.isNumber).count > 9 {
                let scale = s.firstIndex(of: ".").map { s.distance(from: $0, to: s.endIndex) - 1 } ?? 0
                return "CAST(\(s) AS DECIMAL(38, \(scale)))"
            }
            return s.hasPrefix("-") ? "(\(s))" : s
        }
        if let exact = n.exactDecimal(maxScale: 18) { return SQLValue(signed(exact)) }
        return SQLValue(signed(String(n.numerator)), over: signed(String(n.denominator)))
    }

    /// A column's value: an enum's text becomes its place in the order (a
    /// `tier` of `GOLD` is 2), so `>=` compares as Perk does.
    private func typed(_ sql: String, _ type: PerkType) -> SQLValue {
        if case .enumeration(let en) = type {
            let cases = en.cases.enumerated().map { "WHEN \(dialect.text($0.element)) THEN \($0.offset)" }.joined(separator: " ")
            return SQLValue("(CASE \(sql) \(cases) END)")
        }
        return SQLValue(sql)
    }

    private mutating func orderField(_ slot: OrderField.Slot, name: String, type: PerkType, _ scope: inout SQLScope,
                                     range: SourceRange) throws(SQLProblem) -> SQLValue {
        guard let o = scope.orders else {
            throw SQLProblem(.orderFieldOutsideWhere, at: range)
        }
        switch slot {
        case .amount: return SQLValue("\(o).amount")
        case .orderedAt: return SQLValue(orderDay(o))
        case .items:
            var v = SQLValue("\(o).items")
            v.isItems = true
            return v
        case .column: return typed("\(o).\(dialect.name(name))", type)
        case .absent: return .null
        }
    }

    /// A date, or the day of a datetime.
    private mutating func dateValue(_ x: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> String {
        let v = try value(x, &scope, depth: depth)
        return x.type == .datetime ? dialect.day(of: v.sql) : v.sql
    }

    // MARK: Comparison

    private mutating func compare(_ op: BinaryOp, _ a: CheckedExpr, _ b: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> String {
        let x = try value(a, &scope, depth: depth), y = try value(b, &scope, depth: depth)
        guard !x.isItems, !y.isItems, !a.type.isList, !b.type.isList else {
            throw SQLProblem(.listComparison, at: a.range)
        }
        let symbol: String
        switch op {
        case .eq: symbol = "="
        case .ne: symbol = "<>"
        case .lt: symbol = "<"
        case .le: symbol = "<="
        case .gt: symbol = ">"
        case .ge: symbol = ">="
        default: return "NULL"
        }
        return "(\(order(x, a.type, symbol, y, b.type)))"
    }

    /// `x symbol y` as Perk compares: fractions across, a datetime with a date
    /// by its day, texts byte by byte.
    func order(_ x: SQLValue, _ xt: PerkType, _ symbol: String, _ y: SQLValue, _ yt: PerkType) -> String {
        var l = x.crossed(with: y), r = y.crossed(with: x)
        if xt == .datetime, yt == .date { l = dialect.day(of: l) }
        if xt == .date, yt == .datetime { r = dialect.day(of: r) }
        if xt == .text, symbol != "=", symbol != "<>" { l = dialect.orderedText(l) }
        return "\(l) \(symbol) \(r)"
    }

    /// `x in [items]`: true when one equals x, unknown when none does but one
    /// is missing, as SQL's `IN`; an item that is a list counts its elements.
    private mutating func membership(_ x: CheckedExpr, _ items: [CheckedExpr], negated: Bool, _ e: CheckedExpr,
                                     _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> String {
        let v = try value(x, &scope, depth: depth)
        var plain: [String] = []
        var tests: [String] = []
        var allPlain = v.denominator == nil
        var flattened: [(SQLValue, PerkType)] = []
        for item in items {
            if item.type.isList, !item.dependsOnCustomer {
                guard case .list(let elements) = try constantValue(item) else {
                    flattened.append((.null, .unknown))
                    continue
                }
                let elementType: PerkType
                if case .list(let t) = item.type { elementType = t } else { elementType = .unknown }
                for element in elements { flattened.append((try literal(element, item), elementType)) }
                continue
            }
            let w = try value(item, &scope, depth: depth)
            if w.isItems {
                tests.append(dialect.itemsContain(w.sql, v.sql))
                allPlain = false
                continue
            }
            if item.type.isList {
                throw SQLProblem(.unwrittenList, at: item.range)
            }
            flattened.append((w, item.type))
        }
        for (w, t) in flattened {
            if w.denominator != nil || t != x.type { allPlain = false }
            plain.append(w.sql)
            tests.append(order(v, x.type, "=", w, t))
        }
        if tests.isEmpty {
            return "(CASE WHEN \(v.isNull) THEN NULL ELSE \(negated ? "TRUE" : "FALSE") END)"
        }
        if allPlain, !plain.isEmpty, plain.count == tests.count {
            return "(\(v.sql) \(negated ? "NOT IN" : "IN") (\(plain.joined(separator: ", "))))"
        }
        let any = "(" + tests.joined(separator: " OR ") + ")"
        return "(CASE WHEN \(v.isNull) THEN NULL ELSE \(negated ? "NOT " : "")\(any) END)"
    }

    private func constantValue(_ e: CheckedExpr) throws(SQLProblem) -> Value {
        do {
            return try SQLQueryWriter.evaluator.evaluate(e, customer: 0, today: day)
        } catch {
            throw SQLProblem(.notComputable(on: day, why: nil), at: e.range)
        }
    }

    // MARK: Arithmetic

    private mutating func arithmetic(_ op: Arithmetic, _ a: CheckedExpr, _ b: CheckedExpr, _ e: CheckedExpr,
                                     _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> SQLValue {
        switch op {
        case .dateAdd, .dateSubtract:
            guard !b.dependsOnCustomer, case .duration(let span) = try constantValue(b) else {
                throw SQLProblem(.durationByCustomer, at: b.range)
            }
            let d = try dateValue(a, &scope, depth: depth)
            let sign = op == .dateAdd ? 1 : -1
            switch span.unit {
            case .days: return SQLValue(dialect.addDays(d, sign * span.amount))
            case .weeks: return SQLValue(dialect.addDays(d, sign * span.amount * 7))
            case .months: return SQLValue(dialect.addMonths(d, sign * span.amount))
            case .years: return SQLValue(dialect.addMonths(d, sign * span.amount * 12))
            }
        case .dateDifference:
            let x = try dateValue(a, &scope, depth: depth), y = try dateValue(b, &scope, depth: depth)
            return SQLValue(dialect.daysBetween(x, y))
        case .add, .subtract:
            let x = try value(a, &scope, depth: depth), y = try value(b, &scope, depth: depth)
            let sign = op == .add ? "+" : "-"
            if x.denominator == nil, y.denominator == nil { return SQLValue("(\(x.sql) \(sign) \(y.sql))") }
            return SQLValue("(\(x.crossed(with: y)) \(sign) \(y.crossed(with: x)))", over: SQLValue.times(x.denominator, y.denominator))
        case .multiply:
            let x = try value(a, &scope, depth: depth), y = try value(b, &scope, depth: depth)
            return SQLValue("(\(x.sql) * \(y.sql))", over: SQLValue.times(x.denominator, y.denominator))
        case .percentOf:
            let x = try value(a, &scope, depth: depth), p = try value(b, &scope, depth: depth)
            return SQLValue("(\(x.sql) * \(p.sql))", over: SQLValue.times(SQLValue.times(x.denominator, p.denominator), "100"))
        case .divide:
            // x/y = (xn·yd)/(xd·yn); the sign moves to the numerator so the
            // denominator stays positive, and y = 0 makes it NULL (missing), as in Perk.
            let x = try value(a, &scope, depth: depth), y = try value(b, &scope, depth: depth)
            let top = x.crossed(with: y)
            let numerator = "(CASE WHEN \(y.sql) < 0 THEN -(\(top)) ELSE \(top) END)"
            let denominator = SQLValue.times(x.denominator, "ABS(NULLIF(\(y.sql), 0))")
            return SQLValue(numerator, over: denominator)
        }
    }

    // MARK: Dates

    /// `in next N days` and `within N days`, with the day fixed: which
    /// months and days of a date qualify is worked out here, by Perk's own
    /// calendar (Feb 29 on Feb 28 in other years), and the SQL tests the
    /// date's month and day against those runs of days.
    private func nearness(_ d: String, _ kind: DateNearness, days: Int) -> String {
        let md = "(\(dialect.part("MONTH", of: d)) * 100 + \(dialect.part("DAY", of: d)))"
        let year = dialect.part("YEAR", of: d)
        switch kind {
        case .next:
            // A date today or later is its own next occurrence; an earlier one
            // recurs on its month and day, which alone decide.
            let later = day.adding(days: days).map { "\(d) <= \(dialect.date($0))" } ?? "TRUE"
            let runs = Self.monthDayRuns { m, dd in
                // Year 4 (a leap year, so Feb 29 exists) stands for every year before today's.
                guard let sample = LocalDate(year: 4, month: m, day: dd),
                      let next = Interpreter.nextOccurrence(of: sample, onOrAfter: day) else { return false }
                return next.day - day.day <= Int32(days)
            }
            return "(CASE WHEN \(d) >= \(dialect.date(day)) THEN \(later) ELSE \(runs.sql(md)) END)"
        case .within:
            var parts = ["ABS(\(dialect.daysBetween(d, dialect.date(day)))) <= \(days)"]
            for y in (day.year - 1)...(day.year + 1) {
                let runs = Self.monthDayRuns { m, dd in
                    guard let a = LocalDate(year: 4, month: m, day: dd)?.anniversary(in: y) else { return false }
                    return abs(Int(a.day - day.day)) <= days
                }
                if runs.isEmpty { continue }
                parts.append("(\(year) < \(y) AND \(runs.sql(md)))")
            }
            return "(" + parts.joined(separator: " OR ") + ")"
        }
    }

    struct MonthDayRuns {
        var runs: [(Int, Int)]
        var isEmpty: Bool { runs.isEmpty }
        func sql(_ md: String) -> String {
            if runs.isEmpty { return "(\(md) IS NULL AND NULL)" }
            if runs.count == 1, runs[0] == (101, 1231) { return "(\(md) IS NOT NULL OR NULL)" }
            return "(" + runs.map { $0.0 == $0.1 ? "\(md) = \($0.0)" : "\(md) BETWEEN \($0.0) AND \($0.1)" }.joined(separator: " OR ") + ")"
        }
    }

    /// The months and days (as `mmdd`) for which `holds` is true, as runs in calendar order.
    static func monthDayRuns(_ holds: (Int, Int) -> Bool) -> MonthDayRuns {
        var runs: [(Int, Int)] = []
        var open: (Int, Int)?
        for m in 1...12 {
            for dd in 1...LocalDate.daysIn(month: m, year: 2000) {
                let code = m * 100 + dd
                if holds(m, dd) {
                    open = (open?.0 ?? code, code)
                } else if let o = open {
                    runs.append(o)
                    open = nil
                }
            }
        }
        if let o = open { runs.append(o) }
        return MonthDayRuns(runs: runs)
    }

    // MARK: Built-in functions

    private mutating func builtin(_ b: Builtin, _ arg: CheckedExpr, _ e: CheckedExpr, _ scope: inout SQLScope, depth: Int) throws(SQLProblem) -> SQLValue {
        switch b {
        case .date:
            let s = try value(arg, &scope, depth: depth).sql
            guard let parsed = dialect.parseDate(s) else {
                throw SQLProblem(.dateOfVaryingValue(dialect), at: e.range)
            }
            return SQLValue("(\(parsed))")
        case .weekday:
            let d = try dateValue(arg, &scope, depth: depth)
            let names = LocalDate.weekdayNames.enumerated().map { "WHEN \($0.offset + 1) THEN \(dialect.text($0.element))" }.joined(separator: " ")
            return SQLValue("(CASE \(dialect.isoWeekday(d)) \(names) END)")
        case .day: return SQLValue(dialect.part("DAY", of: try dateValue(arg, &scope, depth: depth)))
        case .month: return SQLValue(dialect.part("MONTH", of: try dateValue(arg, &scope, depth: depth)))
        case .year: return SQLValue(dialect.part("YEAR", of: try dateValue(arg, &scope, depth: depth)))
        case .abs:
            let v = try value(arg, &scope, depth: depth)
            return SQLValue("ABS(\(v.sql))", over: v.denominator)
        }
    }
}

/// What one `SELECT` reads: the order rows (inside `where`), the customers,
/// and the CTEs to join, each once, in the order first used.
struct SQLScope {
    /// The alias of the orders inside `where`; nil for a rule's condition.
    var orders: String?
    var usesCustomers = false
    private(set) var joins: [String] = []

    init(orders: String?) { self.orders = orders }

    mutating func join(_ cte: String) {
        if !joins.contains(cte) { joins.append(cte) }
    }
}

extension CheckedExpr {
    var isListOrDuration: Bool {
        switch type {
        case .list, .duration: return true
        default: return false
        }
    }
}

extension PerkType {
    var isList: Bool {
        if case .list = self { return true }
        return false
    }
}

extension Substring {
    var trimmingSpaces: Substring {
        var s = self
        while s.first == " " || s.first == "\t" { s = s.dropFirst() }
        while s.last == " " || s.last == "\t" { s = s.dropLast() }
        return s
    }
}
