/// Evaluates checked expressions for one customer on one day.
///
/// Every name was resolved by the checker, so evaluation reads columns by index
/// and never looks up a string. Missing values follow SQL: comparisons with
/// missing are unknown (`.missing`), `and`/`or` use three-valued logic, and a
/// rule fires only when its condition is definitely true.
///
/// A value that cannot be computed exactly (a sum past the range of `Number`, a
/// date past 9999-12-31) is an `EvaluationError`, thrown to the caller, which
/// reports it with the rule and the customer; it never becomes `missing`. `and`
/// and `or` treat it as they treat unknown: `false and (error)` is false, as the
/// failed part cannot change the answer, so the order of the parts never
/// decides whether a condition fails.
public struct Interpreter {
    /// The customers' columns; `setColumn` changes a value in place.
    public private(set) var customers: CustomerTable
    public let orders: OrderTable
    /// Values set by earlier actions in a simulation (`set tier`), by column slot.
    public var overrides: [Int: [Int: Value]] = [:]
    /// Where each customer's orders before `cursor.day` end, for evaluations on that
    /// day; a simulation moves it forward day by day so derived fields need no search.
    public var cursor: OrderCursor?
    /// Read at each order an aggregate visits, so a query the REPL is asked to
    /// stop ends soon after, however many orders a customer has. Once it is
    /// cancelled, values are meaningless: the caller checks the token too and
    /// throws them away.
    public var cancellation: Cancellation?

    let history: CustomerHistory

    public init(customers: CustomerTable, orders: OrderTable) {
        self.customers = customers
        self.orders = orders
        self.history = CustomerHistory(orders: orders)
    }

    /// True only when the condition is definitely true for this customer.
    public func holds(_ condition: CheckedExpr, customer: Int, today: LocalDate) throws(EvaluationError) -> Bool {
        var frame = Frame(customer: customer, today: today, order: -1, place: Untracked())
        do {
            if case .bool(true) = try eval(condition, &frame) { return true }
            return false
        } catch {
            throw located(error, condition, customer: customer, today: today)
        }
    }

    public func evaluate(_ e: CheckedExpr, customer: Int, today: LocalDate) throws(EvaluationError) -> Value {
        var frame = Frame(customer: customer, today: today, order: -1, place: Untracked())
        do {
            return try eval(e, &frame)
        } catch {
            throw located(error, e, customer: customer, today: today)
        }
    }

    /// Where evaluation failed is worked out only after it did, evaluating again
    /// and keeping track: evaluation is deterministic, so it meets the same failure.
    @inline(never)
    private func located(_ problem: Problem, _ e: CheckedExpr, customer: Int, today: LocalDate) -> EvaluationError {
        var tracked = Frame(customer: customer, today: today, order: -1, place: FailurePlace())
        _ = try? eval(e, &tracked)
        return EvaluationError(problem, range: tracked.place.at, define: tracked.place.define)
    }

    /// A derived field on its own; the error, if any, has no range.
    public func derived(_ field: DerivedField, customer: Int, today: LocalDate) throws(EvaluationError) -> Value {
        do {
            return try history.value(field, customer: customer, today: today, cursor: cursor)
        } catch {
            throw EvaluationError(error)
        }
    }

    public func column(_ slot: Int, customer: Int) -> Value {
        if !overrides.isEmpty, let o = overrides[slot]?[customer] { return o }
        return customers.columns[slot].values[customer]
    }

    /// Changes one customer's value of a column, for every later evaluation. A
    /// simulation applies the effects of actions this way: one array write, where
    /// an override would cost a lookup on every read.
    public mutating func setColumn(_ slot: Int, customer: Int, to value: Value) {
        customers.columns[slot].values[customer] = value
    }

    /// Evaluation carries only the problem as it unwinds (a byte, cheap to
    /// throw through every level). Where it happened is kept in `place` by the
    /// innermost node that failed and the innermost define around it, but only
    /// on a second evaluation after a failure: an `Untracked` place keeps nothing,
    /// so the evaluation of every customer pays nothing for it.
    struct Frame<Place: FailureTracking> {
        var customer: Int
        var today: LocalDate
        /// The order row inside `where`, or -1.
        var order: Int
        var place: Place
    }

    typealias Problem = EvaluationError.Problem

    // MARK: - Evaluation

    @inline(__always)
    private func eval<P>(_ e: CheckedExpr, _ f: inout Frame<P>) throws(Problem) -> Value {
        try compute(e, &f)
    }

    /// Marks the node at `range` as where evaluation failed: each node that can
    /// fail itself (arithmetic, a derived field, an aggregate) says so, and its
    /// parts that failed first have said so already.
    private func failing<P>(at range: SourceRange, _ f: inout Frame<P>, _ problem: Problem) -> Problem {
        f.place.failed(at: range)
        return problem
    }

    private func compute<P>(_ e: CheckedExpr, _ f: inout Frame<P>) throws(Problem) -> Value {
        switch e.node {
        case .constant(let v): return v
        case .today: return .date(f.today)
        case .column(let slot, _): return column(slot, customer: f.customer)
        case .derived(let field):
            do { return try history.value(field, customer: f.customer, today: f.today, cursor: cursor) } catch {
                throw failing(at: e.range, &f, error)
            }
        case .orderField(let slot, _): return orderValue(slot, row: f.order)
        case .define(let name, let body):
            do { return try eval(body, &f) } catch {
                f.place.failed(in: name)
                throw error
            }
        case .not(let x):
            if case .bool(let b) = try eval(x, &f) { return .bool(!b) }
            return .missing
        case .and(let a, let b):
            // A part that fails is treated as unknown until the end: if the
            // other part is false, so is the whole, whatever the failed part was.
            let x: Value
            do { x = try eval(a, &f) } catch {
                let place = f.place.setAside()
                if (try? eval(b, &f)) == .bool(false) {
                    _ = f.place.setAside()
                    return .bool(false)
                }
                f.place = place
                throw error
            }
            if case .bool(false) = x { return .bool(false) }
            let y = try eval(b, &f)
            if case .bool(false) = y { return .bool(false) }
            if case .bool(true) = x, case .bool(true) = y { return .bool(true) }
            return .missing
        case .or(let a, let b):
            let x: Value
            do { x = try eval(a, &f) } catch {
                let place = f.place.setAside()
                if (try? eval(b, &f)) == .bool(true) {
                    _ = f.place.setAside()
                    return .bool(true)
                }
                f.place = place
                throw error
            }
            if case .bool(true) = x { return .bool(true) }
            let y = try eval(b, &f)
            if case .bool(true) = y { return .bool(true) }
            if case .bool(false) = x, case .bool(false) = y { return .bool(false) }
            return .missing
        case .negate(let x):
            switch try eval(x, &f) {
            case .number(let n): return .number(n.negated)
            case .percent(let n): return .percent(n.negated)
            default: return .missing
            }
        case .arithmetic(let op, let a, let b):
            let x = try eval(a, &f), y = try eval(b, &f)
            do { return try Interpreter.arithmetic(op, x, y) } catch { throw failing(at: e.range, &f, error) }
        case .compare(let op, let a, let b):
            guard let c = try Interpreter.compare(eval(a, &f), eval(b, &f)) else { return .missing }
            switch op {
            case .eq: return .bool(c == 0)
            case .ne: return .bool(c != 0)
            case .lt: return .bool(c < 0)
            case .le: return .bool(c <= 0)
            case .gt: return .bool(c > 0)
            case .ge: return .bool(c >= 0)
            default: return .missing
            }
        case .inList(let x, let items, let negated):
            let v = try eval(x, &f)
            return try Interpreter.membership(of: v, items: items.count, negated: negated) { (i) throws(Problem) in try eval(items[i], &f) }
        case .listContains(let list, let needle):
            return try listContains(list, needle, &f)
        case .orderHasItem(let id, let name, _):
            guard f.order >= 0 else { return .missing }
            let lo = Int(orders.itemStart[f.order]), hi = Int(orders.itemStart[f.order + 1])
            if id == unboundItem { return .bool(orders.itemIDs[lo..<hi].contains { orders.itemNames[Int($0)] == name }) }
            return .bool(id >= 0 && orders.itemIDs[lo..<hi].contains(id))
        case .textContains(let a, let b):
            guard case .text(let s) = try eval(a, &f), case .text(let t) = try eval(b, &f) else { return .missing }
            return .bool(t.isEmpty || s.contains(t))
        case .startsWith(let a, let b):
            guard case .text(let s) = try eval(a, &f), case .text(let t) = try eval(b, &f) else { return .missing }
            return .bool(s.hasPrefix(t))
        case .between(let x, let lo, let hi):
            let v = try eval(x, &f), l = try eval(lo, &f), h = try eval(hi, &f)
            guard let c1 = Interpreter.compare(v, l), let c2 = Interpreter.compare(v, h) else { return .missing }
            return .bool(c1 >= 0 && c2 <= 0)
        case .isMissing(let x, let negated):
            return .bool(try eval(x, &f).isMissing != negated)
        case .dateNear(let x, let kind, let days):
            guard let d = try Interpreter.date(of: eval(x, &f)) else { return .missing }
            return .bool(Interpreter.dateNear(d, kind, days: days, today: f.today))
        case .dateInLast(let x, let span):
            guard let d = try Interpreter.date(of: eval(x, &f)) else { return .missing }
            return .bool(d >= span.start(before: f.today) && d < f.today)
        case .aggregate(let agg, let query):
            return try aggregate(agg, query, e.range, &f)
        case .builtin(let b, let args):
            return try Interpreter.builtin(b, eval(args[0], &f))
        }
    }

    // MARK: - Values

    /// Orders values of the same type: -1, 0 or 1; nil when either is missing
    /// or they cannot be compared.
    public static func compare(_ a: Value, _ b: Value) -> Int? {
        switch (a, b) {
        case (.number(let x), .number(let y)), (.percent(let x), .percent(let y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.text(let x), .text(let y)):
            return x == y ? 0 : (x.utf8.lexicographicallyPrecedes(y.utf8) ? -1 : 1)
        case (.date(let x), .date(let y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.datetime(let x), .datetime(let y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.datetime(let x), .date(let y)):
            return x.date < y ? -1 : (x.date == y ? 0 : 1)
        case (.date(let x), .datetime(let y)):
            return x < y.date ? -1 : (x == y.date ? 0 : 1)
        case (.symbol(let x), .symbol(let y)):
            return x < y ? -1 : (x == y ? 0 : 1)
        case (.bool(let x), .bool(let y)):
            return x == y ? 0 : (!x ? -1 : 1)
        default:
            return nil
        }
    }

    static func date(of v: Value) -> LocalDate? {
        switch v {
        case .date(let d): return d
        case .datetime(let d): return d.date
        default: return nil
        }
    }

    /// `in next N days`: the date's next occurrence (itself if not yet past,
    /// otherwise its yearly anniversary) is today through today + N.
    /// `within N days`: some occurrence is at most N days from today.
    /// A Feb 29 anniversary falls on Feb 28 in other years.
    static func dateNear(_ d: LocalDate, _ kind: DateNearness, days: Int, today: LocalDate) -> Bool {
        switch kind {
        case .next:
            guard let next = nextOccurrence(of: d, onOrAfter: today) else { return false }
            return next.day - today.day <= Int32(days)
        case .within:
            if abs(Int(d.day - today.day)) <= days { return true }
            for year in (today.year - 1)...(today.year + 1) where year > d.year {
                if let a = d.anniversary(in: year), abs(Int(a.day - today.day)) <= days { return true }
            }
            return false
        }
    }

    static func nextOccurrence(of d: LocalDate, onOrAfter today: LocalDate) -> LocalDate? {
        if d >= today { return d }
        if let a = d.anniversary(in: today.year), a >= today { return a }
        return d.anniversary(in: today.year + 1)
    }

    static func arithmetic(_ op: Arithmetic, _ a: Value, _ b: Value) throws(Problem) -> Value {
        switch (op, a, b) {
        case (.add, .number(let x), .number(let y)): return .number(try exact(x.adding(y)))
        case (.subtract, .number(let x), .number(let y)): return .number(try exact(x.subtracting(y)))
        case (.multiply, .number(let x), .number(let y)): return .number(try exact(x.multiplying(y)))
        // Division by zero is unknown, like SQL's NULLIF, rather than a crash.
        case (.divide, .number(let x), .number(let y)):
            if y.isZero { return .missing }
            return .number(try exact(x.dividing(by: y)))
        case (.percentOf, .number(let x), .percent(let p)): return .number(try exact(x.percent(p)))
        case (.dateAdd, _, .duration(let d)):
            guard let day = Interpreter.date(of: a) else { return .missing }
            return .date(try inCalendar(d.added(to: day)))
        case (.dateSubtract, _, .duration(let d)):
            guard let day = Interpreter.date(of: a) else { return .missing }
            return .date(try inCalendar(d.added(to: day, sign: -1)))
        case (.dateDifference, _, _):
            guard let x = Interpreter.date(of: a), let y = Interpreter.date(of: b) else { return .missing }
            return .number(Number(Int(x.day - y.day)))
        default:
            return .missing
        }
    }

    /// The result of `Number` arithmetic, or the error its nil stands for.
    private static func exact(_ n: Number?) throws(Problem) -> Number {
        guard let n else { throw .numberTooLarge }
        return n
    }

    private static func inCalendar(_ d: LocalDate?) throws(Problem) -> LocalDate {
        guard let d else { throw .dateOutsideCalendar }
        return d
    }

    static func builtin(_ b: Builtin, _ v: Value) -> Value {
        switch b {
        case .date:
            guard case .text(let s) = v, let d = LocalDate(parsing: s) else { return .missing }
            return .date(d)
        case .weekday:
            guard let d = Interpreter.date(of: v) else { return .missing }
            return .text(LocalDate.weekdayNames[d.weekday - 1])
        case .day:
            guard let d = Interpreter.date(of: v) else { return .missing }
            return .number(Number(d.dayOfMonth))
        case .month:
            guard let d = Interpreter.date(of: v) else { return .missing }
            return .number(Number(d.month))
        case .year:
            guard let d = Interpreter.date(of: v) else { return .missing }
            return .number(Number(d.year))
        case .abs:
            guard case .number(let n) = v else { return .missing }
            return .number(n.isNegative ? n.negated : n)
        }
    }

    // MARK: - Orders

    func orderValue(_ slot: OrderField.Slot, row: Int) -> Value {
        Interpreter.orderValue(slot, row: row, in: orders)
    }

    static func orderValue(_ slot: OrderField.Slot, row: Int, in orders: OrderTable) -> Value {
        guard row >= 0 else { return .missing }
        switch slot {
        case .amount: return .number(orders.amount[row])
        case .orderedAt: return .date(LocalDate(day: orders.date[row]))
        case .items:
            let lo = Int(orders.itemStart[row]), hi = Int(orders.itemStart[row + 1])
            return .list(orders.itemIDs[lo..<hi].map { .text(orders.itemNames[Int($0)]) })
        case .column(let i): return orders.columns[i].value(at: row)
        case .absent: return .missing
        }
    }

    private func listContains<P>(_ list: CheckedExpr, _ needle: CheckedExpr, _ f: inout Frame<P>) throws(Problem) -> Value {
        guard case .list(let values) = try eval(list, &f) else { return .missing }
        let v = try eval(needle, &f)
        if v.isMissing { return .missing }
        return .bool(values.contains { Interpreter.compare($0, v) == 0 })
    }

    /// The rows of the customer's orders a query covers: before today, and within
    /// the window if there is one (`in last 30 days` is today-30 through today-1).
    func window<P>(_ query: OrderQueryPlan, _ f: Frame<P>) -> Range<Int> {
        let before = history.before(f.customer, f.today, cursor: cursor)
        guard let window = query.window else { return before }
        let from = window.start(before: f.today).day
        return orders.lowerBound(from, before.lowerBound, before.upperBound) ..< before.upperBound
    }

    private func aggregate<P>(_ agg: Aggregate, _ query: OrderQueryPlan, _ range: SourceRange, _ f: inout Frame<P>) throws(Problem) -> Value {
        let rows = window(query, f)
        let outer = f.order
        defer { f.order = outer }
        var total = AggregateTotal(agg)
        // `any` is an `or` over the orders and `all` an `and`: an order whose
        // `where` fails counts as unknown until another order settles the answer.
        var failed: (problem: Problem, place: P)?
        for row in rows {
            if let cancellation, cancellation.isCancelled { return .missing }
            f.order = row
            if let filter = query.filter {
                let keep: Value
                do { keep = try eval(filter, &f) } catch {
                    guard agg == .any || agg == .all else { throw error }
                    let place = f.place.setAside()
                    if failed == nil { failed = (error, place) }
                    continue
                }
                guard case .bool(true) = keep else {
                    if agg == .all { return .bool(false) }
                    continue
                }
            }
            if agg == .any { return .bool(true) }
            guard let slot = query.field else {
                total.addOrder()
                continue
            }
            guard total.add(orderValue(slot, row: row)) else { throw failing(at: range, &f, .numberTooLarge) }
        }
        if let failed {
            f.place = failed.place
            throw failed.problem
        }
        guard let result = total.result else { throw failing(at: range, &f, .numberTooLarge) }
        return result
    }
}

// MARK: - Where evaluation failed

/// Where a failed evaluation failed, or nothing at all (see `Interpreter.Frame`).
protocol FailureTracking {
    /// The innermost node that failed: only the first call counts.
    mutating func failed(at range: SourceRange)
    /// The innermost define around it: only the first call counts.
    mutating func failed(in define: String)
    /// What is kept so far, forgotten here: an `and`, `or`, `any` or `all` sets
    /// a failure aside while it sees whether the rest settles the answer.
    mutating func setAside() -> Self
}

/// Keeps nothing: the evaluation of every customer, which almost never fails.
struct Untracked: FailureTracking {
    func failed(at range: SourceRange) {}
    func failed(in define: String) {}
    func setAside() -> Untracked { self }
}

/// Keeps the place, for a failed evaluation done again.
struct FailurePlace: FailureTracking {
    var at: SourceRange?
    var define: String?

    mutating func failed(at range: SourceRange) {
        if at == nil { at = range }
    }

    mutating func failed(in define: String) {
        if self.define == nil { self.define = define }
    }

    mutating func setAside() -> FailurePlace {
        defer { self = FailurePlace() }
        return self
    }
}
