/// Compiles a bound condition once into closures, which evaluation then calls
/// per customer: no `switch` over node kinds, no walk of an indirect enum, and
/// decisions the tree walker makes at every node are made here once. What the
/// closures compute is exactly what `Interpreter` computes (a differential test
/// runs both on every rule, the docs and generated conditions); the interpreter
/// stays the reference, and the one `explain` observes.
///
/// Three things are done once instead of per node and customer:
/// - a part that does not depend on the customer (`day(today) == 1`) is
///   computed once a day, for the first customer, and remembered;
/// - a derived field (`days_since_visit`) is computed once per customer, however
///   many rules and places name it;
/// - comparisons of a part with a constant number are specialised.
public enum Planner {
    /// `conditions`, ready to evaluate with one frame: the values each
    /// remembers for the day have their own places in it.
    /// With `observing`, every step reports its value (or its failure) by node
    /// id to the frame's observers, as `explain` needs; without, nothing is
    /// paid for observers.
    ///
    /// The steps hold the interpreter's data as it is now (its columns, with
    /// the values a simulation has set, its order cursor): plan again after
    /// changing it. They read the arrays they need directly, never through a
    /// copy of the interpreter, so threads evaluating at once touch no shared
    /// reference count.
    public static func plan(_ conditions: [CheckedExpr], on interpreter: Interpreter, observing: Bool = false) -> [PlannedCondition] {
        var builder = PlanBuilder(interpreter: interpreter, observing: observing)
        let set = PlanSet()
        // A loop, not `map`: a step kept in a generic array would be called
        // through a conversion thunk on every evaluation.
        var plans: [PlannedCondition] = []
        for condition in conditions {
            plans.append(PlannedCondition(condition: condition, interpreter: interpreter, step: builder.step(condition), set: set))
        }
        set.dayMemos = builder.dayMemos
        return plans
    }

    /// One condition, ready to evaluate.
    public static func plan(_ condition: CheckedExpr, on interpreter: Interpreter) -> PlannedCondition {
        plan([condition], on: interpreter)[0]
    }
}

extension Array where Element == PlannedCondition {
    /// Whether plan `k` holds, without counting a reference to it: this runs once per
    /// customer and rule, and two atomic counts would cost a third of the evaluation.
    /// The array keeps the plans alive while it is used.
    @inline(__always)
    public func holds(_ k: Int, _ frame: inout PlanFrame, customer: Int, today: LocalDate) throws(EvaluationError) -> Bool {
        let outcome = withUnsafeBufferPointer { plans in
            Unmanaged.passUnretained(plans[k])._withUnsafeGuaranteedRef { plan in
                Result { () throws(EvaluationError) -> Bool in try plan.holds(&frame, customer: customer, today: today) }
            }
        }
        return try outcome.get()
    }
}

/// Conditions planned together, which may share a frame.
final class PlanSet {
    /// How many customer-independent values the set's steps remember per day;
    /// set once, when the last of them is planned.
    fileprivate(set) var dayMemos = 0
}

/// A condition compiled by `Planner`. Evaluate it with a `PlanFrame` that is
/// kept from one customer to the next (it remembers derived fields and the
/// day's values); one frame per thread. A class: taking it from an array to
/// evaluate it costs one reference count, not a copy of the interpreter it holds.
public final class PlannedCondition {
    /// The condition as checked: evaluated again by the interpreter only to
    /// find where a failure happened.
    public let condition: CheckedExpr
    let interpreter: Interpreter
    let step: Step
    let set: PlanSet

    init(condition: CheckedExpr, interpreter: Interpreter, step: @escaping Step, set: PlanSet) {
        self.condition = condition
        self.interpreter = interpreter
        self.step = step
        self.set = set
    }

    /// True only when the condition is definitely true for the frame's customer.
    public func holds(_ frame: inout PlanFrame, customer: Int, today: LocalDate) throws(EvaluationError) -> Bool {
        frame.moveTo(customer: customer, today: today, set: set)
        do {
            if case .bool(true) = try step(&frame) { return true }
            return false
        } catch {
            // Evaluation is deterministic: the interpreter meets the same
            // failure and knows where it is.
            return try interpreter.holds(condition, customer: customer, today: today)
        }
    }

    /// The condition's value for the frame's customer.
    public func evaluate(_ frame: inout PlanFrame, customer: Int, today: LocalDate) throws(EvaluationError) -> Value {
        frame.moveTo(customer: customer, today: today, set: set)
        do {
            return try step(&frame)
        } catch {
            return try interpreter.evaluate(condition, customer: customer, today: today)
        }
    }
}

/// What planned steps read besides the data: the customer and day, and what is
/// remembered of them.
public struct PlanFrame {
    var customer = -1
    var today = LocalDate(day: 0)
    /// `today`'s year, worked out when the day changes.
    var todayYear = 1970
    /// The order row inside `where`, or -1.
    var order = -1
    /// Derived fields by `DerivedField` index, each worked out for the customer in
    /// `derivedOf` (-1: none yet) on `today`. Moving to the next customer writes
    /// nothing: a value whose customer differs is simply not used.
    var derived: [Value] = Array(repeating: .missing, count: DerivedField.allCases.count)
    var derivedOf: [Int] = Array(repeating: -1, count: DerivedField.allCases.count)
    /// Told each node's value as an observing plan computes it (for `explain`).
    public var observer: ((NodeID, Value) -> Void)?
    /// Told each node whose value cannot be computed, innermost first.
    public var failureObserver: ((NodeID, EvaluationError.Problem) -> Void)?
    /// Customer-independent values of `today`, by memo number, for the plan set `valuesOf`.
    var dayValues: [Value?] = []
    private var dayOfValues: LocalDate?
    private var valuesOf: PlanSet?

    public init() {}

    @inline(__always)
    mutating func moveTo(customer: Int, today: LocalDate, set: PlanSet) {
        // The common case: the next rule for the same customer and day.
        if customer == self.customer, today.day == self.today.day, set === valuesOf {
            order = -1
            return
        }
        moveToOther(customer: customer, today: today, set: set)
    }

    private mutating func moveToOther(customer: Int, today: LocalDate, set: PlanSet) {
        if today != self.today || set !== valuesOf {
            for i in derivedOf.indices { derivedOf[i] = -1 }
        }
        if today != self.today { todayYear = today.year }
        if today != dayOfValues || set !== valuesOf {
            dayValues = Array(repeating: nil, count: set.dayMemos)
            dayOfValues = today
            valuesOf = set
        }
        self.customer = customer
        self.today = today
        order = -1
    }
}

typealias Step = (inout PlanFrame) throws(EvaluationError.Problem) -> Value

private struct PlanBuilder {
    typealias Problem = EvaluationError.Problem
    /// How many customer-independent values the steps remember per day.
    var dayMemos = 0
    let observing: Bool
    let interpreter: Interpreter

    init(interpreter: Interpreter, observing: Bool) {
        self.interpreter = interpreter
        self.observing = observing
    }

    mutating func step(_ e: CheckedExpr, insideFilter: Bool = false) -> Step {
        let inner = unobserved(e, insideFilter: insideFilter)
        guard observing else { return inner }
        let id = e.id
        return { (f: inout PlanFrame) throws(Problem) -> Value in
            do throws(Problem) {
                let v = try inner(&f)
                f.observer?(id, v)
                return v
            } catch {
                f.failureObserver?(id, error)
                throw error
            }
        }
    }

    private mutating func unobserved(_ e: CheckedExpr, insideFilter: Bool) -> Step {
        // A part the same for every customer is computed once a day. Not
        // inside `where` (it runs per order) and not a bare constant.
        if !insideFilter, !e.isConstant, !e.dependsOnCustomer, e.reads.contains(.today) {
            let compute = direct(e, insideFilter: insideFilter)
            let memo = dayMemos
            dayMemos += 1
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                if let v = f.dayValues[memo] { return v }
                let v = try compute(&f)
                f.dayValues[memo] = v
                return v
            }
        }
        return direct(e, insideFilter: insideFilter)
    }

    private mutating func direct(_ e: CheckedExpr, insideFilter: Bool) -> Step {
        func sub(_ x: CheckedExpr) -> Step { step(x, insideFilter: insideFilter) }
        switch e.node {
        case .constant(let v):
            return { (_: inout PlanFrame) throws(Problem) -> Value in v }
        case .today:
            return { (f: inout PlanFrame) throws(Problem) -> Value in .date(f.today) }
        case .column(let slot, _):
            let values = interpreter.customers.columns[slot].values
            guard let overrides = interpreter.overrides[slot], !overrides.isEmpty else { return { (f: inout PlanFrame) throws(Problem) -> Value in values[f.customer] } }
            return { (f: inout PlanFrame) throws(Problem) -> Value in overrides[f.customer] ?? values[f.customer] }
        case .derived(let field):
            let index = DerivedField.allCases.firstIndex(of: field) ?? 0
            let history = interpreter.history, cursor = interpreter.cursor
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                if f.derivedOf[index] == f.customer { return f.derived[index] }
                let v = try history.value(field, customer: f.customer, today: f.today, cursor: cursor)
                f.derived[index] = v
                f.derivedOf[index] = f.customer
                return v
            }
        case .orderField(let slot, _):
            let orders = interpreter.orders
            return { (f: inout PlanFrame) throws(Problem) -> Value in Interpreter.orderValue(slot, row: f.order, in: orders) }
        case .define(_, let body):
            return sub(body)
        case .not(let x):
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                if case .bool(let b) = try a(&f) { return .bool(!b) }
                return .missing
            }
        case .and(let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                let l: Value
                do throws(Problem) { l = try a(&f) } catch {
                    // A failed part is unknown until the other decides: false settles it.
                    if (try? b(&f)) == .bool(false) { return .bool(false) }
                    throw error
                }
                if case .bool(false) = l { return .bool(false) }
                let r = try b(&f)
                if case .bool(false) = r { return .bool(false) }
                if case .bool(true) = l, case .bool(true) = r { return .bool(true) }
                return .missing
            }
        case .or(let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                let l: Value
                do throws(Problem) { l = try a(&f) } catch {
                    if (try? b(&f)) == .bool(true) { return .bool(true) }
                    throw error
                }
                if case .bool(true) = l { return .bool(true) }
                let r = try b(&f)
                if case .bool(true) = r { return .bool(true) }
                if case .bool(false) = l, case .bool(false) = r { return .bool(false) }
                return .missing
            }
        case .negate(let x):
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                switch try a(&f) {
                case .number(let n): return .number(n.negated)
                case .percent(let n): return .percent(n.negated)
                default: return .missing
                }
            }
        case .arithmetic(let op, let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                let l = try a(&f), r = try b(&f)
                return try Interpreter.arithmetic(op, l, r)
            }
        case .compare(let op, let x, let y):
            return compare(op, x, y, insideFilter: insideFilter)
        case .inList(let x, let items, let negated):
            let a = sub(x)
            // `member.city in ["上海", "北京", ...]`: a list of fixed texts or tiers is
            // a set, so a list of thousands costs one lookup. (Texts and tiers are
            // equal exactly when the interpreter's comparison says so; numbers and
            // dates are not, 20.5 and 20.50, a date and a date-time on it.)
            let fixed = items.compactMap { item -> Value? in
                guard case .constant(let c) = item.node else { return nil }
                switch c {
                case .text, .symbol: return c
                default: return nil
                }
            }
            if !items.isEmpty, fixed.count == items.count {
                let set = Set(fixed)
                return { (f: inout PlanFrame) throws(Problem) -> Value in
                    let v = try a(&f)
                    if v.isMissing { return .missing }
                    return .bool(set.contains(v) != negated)
                }
            }
            let list = items.map { sub($0) }
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                let v = try a(&f)
                return try Interpreter.membership(of: v, items: list.count, negated: negated) { (i) throws(Problem) in try list[i](&f) }
            }
        case .listContains(let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .list(let values) = try a(&f) else { return .missing }
                let v = try b(&f)
                if v.isMissing { return .missing }
                return .bool(values.contains { Interpreter.compare($0, v) == 0 })
            }
        case .orderHasItem(let id, let name, _):
            let orders = interpreter.orders
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard f.order >= 0 else { return .missing }
                let lo = Int(orders.itemStart[f.order]), hi = Int(orders.itemStart[f.order + 1])
                if id == unboundItem { return .bool(orders.itemIDs[lo..<hi].contains { orders.itemNames[Int($0)] == name }) }
                return .bool(id >= 0 && orders.itemIDs[lo..<hi].contains(id))
            }
        case .textContains(let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .text(let s) = try a(&f), case .text(let t) = try b(&f) else { return .missing }
                return .bool(t.isEmpty || s.contains(t))
            }
        case .startsWith(let x, let y):
            let a = sub(x), b = sub(y)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .text(let s) = try a(&f), case .text(let t) = try b(&f) else { return .missing }
                return .bool(s.hasPrefix(t))
            }
        case .between(let x, let lo, let hi):
            if case .constant(.number(let low)) = lo.node, case .constant(.number(let high)) = hi.node {
                // `days_since_visit between 45 and 120`
                let a = sub(x)
                return { (f: inout PlanFrame) throws(Problem) -> Value in
                    guard case .number(let n) = try a(&f) else { return .missing }
                    return .bool(!(n < low) && !(high < n))
                }
            }
            let a = sub(x), l = sub(lo), h = sub(hi)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                let v = try a(&f), low = try l(&f), high = try h(&f)
                guard let c1 = Interpreter.compare(v, low), let c2 = Interpreter.compare(v, high) else { return .missing }
                return .bool(c1 >= 0 && c2 <= 0)
            }
        case .isMissing(let x, let negated):
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in .bool(try a(&f).isMissing != negated) }
        case .dateNear(let x, .next, let days):
            // `birthday in next 7 days` for every customer: the date's month and
            // day once, its anniversary by arithmetic, today's year once a day.
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard let d = try Interpreter.date(of: a(&f)) else { return .missing }
                let today = Int(f.today.day)
                if Int(d.day) >= today { return .bool(Int(d.day) - today <= days) }
                let year = f.todayYear
                guard year < 9999 else { return .bool(Interpreter.dateNear(d, .next, days: days, today: f.today)) }
                let (_, month, day) = LocalDate.civil(from: Int(d.day))
                func anniversary(_ y: Int) -> Int { LocalDate.daysFromCivil(y, month, min(day, LocalDate.daysIn(month: month, year: y))) }
                var next = anniversary(year)
                if next < today { next = anniversary(year + 1) }
                return .bool(next - today <= days)
            }
        case .dateNear(let x, let kind, let days):
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard let d = try Interpreter.date(of: a(&f)) else { return .missing }
                return .bool(Interpreter.dateNear(d, kind, days: days, today: f.today))
            }
        case .dateInLast(let x, let span):
            let a = sub(x)
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard let d = try Interpreter.date(of: a(&f)) else { return .missing }
                return .bool(d >= span.start(before: f.today) && d < f.today)
            }
        case .aggregate(let agg, let query):
            return aggregate(agg, query)
        case .builtin(let b, let args):
            let a = sub(args[0])
            return { (f: inout PlanFrame) throws(Problem) -> Value in Interpreter.builtin(b, try a(&f)) }
        }
    }

    /// A comparison; with a constant number on the right (`visit_count >= 4`),
    /// the number is unwrapped once, here.
    private mutating func compare(_ op: BinaryOp, _ x: CheckedExpr, _ y: CheckedExpr, insideFilter: Bool) -> Step {
        let a = step(x, insideFilter: insideFilter)
        let test: (Int) -> Bool
        switch op {
        case .eq: test = { $0 == 0 }
        case .ne: test = { $0 != 0 }
        case .lt: test = { $0 < 0 }
        case .le: test = { $0 <= 0 }
        case .gt: test = { $0 > 0 }
        case .ge: test = { $0 >= 0 }
        default: return { (_: inout PlanFrame) throws(Problem) -> Value in .missing }
        }
        switch y.node {
        case .constant(.number(let k)):
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .number(let n) = try a(&f) else { return .missing }
                return .bool(test(n < k ? -1 : (n == k ? 0 : 1)))
            }
        case .constant(.symbol(let k)):
            // `member.tier <= SILVER`: tiers compare by rank.
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .symbol(let n) = try a(&f) else { return .missing }
                return .bool(test(n < k ? -1 : (n == k ? 0 : 1)))
            }
        case .constant(.text(let k)) where op == .eq || op == .ne:
            // `member.sugar_pref == "less"`: equality needs no order.
            let equal = op == .eq
            return { (f: inout PlanFrame) throws(Problem) -> Value in
                guard case .text(let s) = try a(&f) else { return .missing }
                return .bool((s == k) == equal)
            }
        default:
            break
        }
        let b = step(y, insideFilter: insideFilter)
        return { (f: inout PlanFrame) throws(Problem) -> Value in
            guard let c = try Interpreter.compare(a(&f), b(&f)) else { return .missing }
            return .bool(test(c))
        }
    }

    /// `count`, `sum`, ... of the customer's orders before today in the
    /// window, as the interpreter computes them.
    private mutating func aggregate(_ agg: Aggregate, _ query: OrderQueryPlan) -> Step {
        let filter = query.filter.map { step($0, insideFilter: true) }
        let field = query.field
        let window = query.window
        let orders = interpreter.orders, history = interpreter.history, cursor = interpreter.cursor
        let cancellation = interpreter.cancellation
        // The window's first day is the same for every customer: worked out once a day.
        let windowStart = dayMemos
        if window != nil { dayMemos += 1 }
        return { (f: inout PlanFrame) throws(Problem) -> Value in
            let before = history.before(f.customer, f.today, cursor: cursor)
            var rows = before
            if let window {
                let start: Int32
                if case .date(let d)? = f.dayValues[windowStart] { start = d.day } else {
                    start = window.start(before: f.today).day
                    f.dayValues[windowStart] = .date(LocalDate(day: start))
                }
                rows = orders.lowerBound(start, before.lowerBound, before.upperBound) ..< before.upperBound
            }
            let outer = f.order
            defer { f.order = outer }
            var total = AggregateTotal(agg)
            var failed: Problem?
            for row in rows {
                if let cancellation, cancellation.isCancelled { return .missing }
                f.order = row
                if let filter {
                    let keep: Value
                    do throws(Problem) { keep = try filter(&f) } catch {
                        guard agg == .any || agg == .all else { throw error }
                        if failed == nil { failed = error }
                        continue
                    }
                    guard case .bool(true) = keep else {
                        if agg == .all { return .bool(false) }
                        continue
                    }
                }
                if agg == .any { return .bool(true) }
                guard let field else {
                    total.addOrder()
                    continue
                }
                guard total.add(Interpreter.orderValue(field, row: row, in: orders)) else { throw .numberTooLarge }
            }
            if let failed { throw failed }
            guard let result = total.result else { throw .numberTooLarge }
            return result
        }
    }
}
