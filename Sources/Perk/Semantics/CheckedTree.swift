/// Walking a checked expression: its direct sub-expressions, in the order the
/// interpreter evaluates them.
extension CheckedExpr {
    /// An aggregate has none: its `where` runs once per order, so it is not a
    /// sub-expression with one value. A define has its body.
    public var children: [CheckedExpr] {
        switch node {
        case .constant, .today, .column, .derived, .orderField, .orderHasItem, .aggregate:
            return []
        case .define(_, let body): return [body]
        case .not(let x), .negate(let x), .isMissing(let x, _), .dateNear(let x, _, _), .dateInLast(let x, _):
            return [x]
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .compare(_, let a, let b),
             .listContains(let a, let b), .textContains(let a, let b), .startsWith(let a, let b):
            return [a, b]
        case .inList(let x, let items, _): return [x] + items
        case .between(let x, let lo, let hi): return [x, lo, hi]
        case .builtin(_, let args): return args
        }
    }

    /// True when the value differs from customer to customer: it reads a
    /// column, a derived field or the orders. `2 + 3` and `today` do not.
    public var dependsOnCustomer: Bool {
        switch node {
        case .column, .derived, .aggregate, .orderField, .orderHasItem: return true
        default: return children.contains { $0.dependsOnCustomer }
        }
    }

    public var isConstant: Bool {
        if case .constant = node { return true }
        return false
    }
}
