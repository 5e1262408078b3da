/// The running total of an aggregate over a customer's orders, and the
/// membership test of `in [...]`: the arithmetic both evaluators share (the
/// interpreter and the planner differ in how they reach the values, not in
/// what they make of them).
struct AggregateTotal {
    let aggregate: Aggregate
    private(set) var count = 0
    private var sum = Number.zero
    private var best: Value = .missing

    init(_ aggregate: Aggregate) { self.aggregate = aggregate }

    /// An order that met the `where` and has no field to read (`count(orders)`).
    mutating func addOrder() { count += 1 }

    /// An order's field value; false when the sum leaves the exact numbers.
    mutating func add(_ v: Value) -> Bool {
        if v.isMissing { return true }
        count += 1
        switch aggregate {
        case .sum, .avg:
            if case .number(let n) = v {
                guard let s = sum.adding(n) else { return false }
                sum = s
            }
        case .min:
            if best.isMissing || Interpreter.compare(v, best) == -1 { best = v }
        case .max:
            if best.isMissing || Interpreter.compare(v, best) == 1 { best = v }
        default:
            break
        }
        return true
    }

    /// The aggregate's value once every order is seen (`any` found none, `all`
    /// met no false); nil when the average leaves the exact numbers.
    var result: Value? {
        switch aggregate {
        case .count: return .number(Number(count))
        case .any: return .bool(false)
        case .all: return .bool(true)
        case .sum: return .number(sum)
        case .avg:
            guard count > 0 else { return .missing }
            return sum.dividing(by: Number(count)).map(Value.number)
        case .min, .max:
            if case .datetime(let d) = best { return .date(d.date) }
            return best
        }
    }
}

extension Interpreter {
    /// `v in [items]` (`negated`: `not in`): true when an item, or a value of an
    /// item that is a list, equals `v`; unknown when none does but one is missing.
    static func membership<E: Error>(of v: Value, items count: Int, negated: Bool,
                                     _ item: (Int) throws(E) -> Value) throws(E) -> Value {
        if v.isMissing { return .missing }
        var sawMissing = false
        for i in 0..<count {
            let w = try item(i)
            if case .list(let values) = w {
                for value in values where compare(v, value) == 0 { return .bool(!negated) }
                continue
            }
            if w.isMissing { sawMissing = true } else if compare(v, w) == 0 { return .bool(!negated) }
        }
        return sawMissing ? .missing : .bool(negated)
    }
}
