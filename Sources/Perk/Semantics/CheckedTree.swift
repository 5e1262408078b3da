/// The one walk over checked expressions: every pass that visits or rewrites a
/// tree goes through `forEachChild` or `mapChildren`, so a new node kind is
/// taught to walks here once.
extension CheckedExpr {
    /// Calls `body` with each direct sub-expression, in the order the
    /// interpreter evaluates them. An aggregate's `where` runs once per order,
    /// so it has no one value: it is visited only with `includingFilters`.
    /// A define's child is its body.
    public func forEachChild(includingFilters: Bool = false, _ body: (CheckedExpr) throws -> Void) rethrows {
        switch node {
        case .constant, .today, .column, .derived, .orderField, .orderHasItem:
            return
        case .aggregate(_, let query):
            if includingFilters, let filter = query.filter { try body(filter) }
        case .define(_, let x), .not(let x), .negate(let x), .isMissing(let x, _), .dateNear(let x, _, _), .dateInLast(let x, _):
            try body(x)
        case .and(let a, let b), .or(let a, let b), .arithmetic(_, let a, let b), .compare(_, let a, let b),
             .listContains(let a, let b), .textContains(let a, let b), .startsWith(let a, let b):
            try body(a)
            try body(b)
        case .inList(let x, let items, _):
            try body(x)
            for item in items { try body(item) }
        case .between(let x, let lo, let hi):
            try body(x)
            try body(lo)
            try body(hi)
        case .builtin(_, let args):
            for a in args { try body(a) }
        }
    }

    /// The same node with each direct sub-expression replaced by `transform`'s
    /// result, an aggregate's `where` included; its type, range and id kept.
    public func mapChildren(_ transform: (CheckedExpr) throws -> CheckedExpr) rethrows -> CheckedExpr {
        var out = self
        switch node {
        case .constant, .today, .column, .derived, .orderField, .orderHasItem:
            return self
        case .aggregate(let agg, var query):
            guard let filter = query.filter else { return self }
            query.filter = try transform(filter)
            out.node = .aggregate(agg, query)
        case .define(let name, let x): out.node = .define(name, try transform(x))
        case .not(let x): out.node = .not(try transform(x))
        case .negate(let x): out.node = .negate(try transform(x))
        case .isMissing(let x, let negated): out.node = .isMissing(try transform(x), negated: negated)
        case .dateNear(let x, let kind, let days): out.node = .dateNear(try transform(x), kind, days: days)
        case .dateInLast(let x, let span): out.node = .dateInLast(try transform(x), span)
        case .and(let a, let b): out.node = .and(try transform(a), try transform(b))
        case .or(let a, let b): out.node = .or(try transform(a), try transform(b))
        case .arithmetic(let op, let a, let b): out.node = .arithmetic(op, try transform(a), try transform(b))
        case .compare(let op, let a, let b): out.node = .compare(op, try transform(a), try transform(b))
        case .listContains(let a, let b): out.node = .listContains(try transform(a), try transform(b))
        case .textContains(let a, let b): out.node = .textContains(try transform(a), try transform(b))
        case .startsWith(let a, let b): out.node = .startsWith(try transform(a), try transform(b))
        case .inList(let x, let items, let negated): out.node = .inList(try transform(x), try items.map(transform), negated: negated)
        case .between(let x, let lo, let hi): out.node = .between(try transform(x), try transform(lo), try transform(hi))
        case .builtin(let b, let args): out.node = .builtin(b, try args.map(transform))
        }
        return out
    }

    /// The direct sub-expressions with one value each (see `forEachChild`).
    public var children: [CheckedExpr] {
        var out: [CheckedExpr] = []
        forEachChild { out.append($0) }
        return out
    }

    /// Every node of the tree, this one first, then each child's, depth first;
    /// `where` filters included. Iterative, so a chain of any length is safe.
    public func forEachNode(_ body: (CheckedExpr) throws -> Void) rethrows {
        var stack = [self]
        while let e = stack.popLast() {
            try body(e)
            var kids: [CheckedExpr] = []
            e.forEachChild(includingFilters: true) { kids.append($0) }
            stack.append(contentsOf: kids.reversed())
        }
    }

    /// True when the value differs from customer to customer: it reads a
    /// column, a derived field or the orders. `2 + 3` and `today` do not.
    public var dependsOnCustomer: Bool {
        switch node {
        case .column, .derived, .aggregate, .orderField, .orderHasItem: return true
        default:
            var depends = false
            forEachChild { if !depends, $0.dependsOnCustomer { depends = true } }
            return depends
        }
    }

    public var isConstant: Bool {
        if case .constant = node { return true }
        return false
    }
}

// MARK: - Canonical text

extension CheckedExpr {
    /// What the expression computes, as text, with defines expanded: two
    /// expressions that compute the same thing the same way read the same.
    /// Lint compares conditions by it.
    public var canonicalText: String {
        func text(_ e: CheckedExpr) -> String { e.canonicalText }
        let e = self
        switch e.node {
        case .constant(let v): return v.display(as: e.type)
        case .today: return "today"
        case .column(_, let name): return "member.\(name)"
        case .derived(let f): return f.rawValue
        case .orderField(_, let name): return name
        case .define(_, let body): return text(body)
        case .not(let x): return "not \(text(x))"
        case .and(let a, let b): return "(\(text(a)) and \(text(b)))"
        case .or(let a, let b): return "(\(text(a)) or \(text(b)))"
        case .negate(let x): return "-\(text(x))"
        case .arithmetic(let op, let a, let b): return "(\(text(a)) \(op.symbol) \(text(b)))"
        case .compare(let op, let a, let b): return "(\(text(a)) \(op.rawValue) \(text(b)))"
        case .inList(let x, let items, let negated):
            return "(\(text(x)) \(negated ? "not in" : "in") [\(items.map(text).joined(separator: ", "))])"
        case .listContains(let l, let x): return "(\(text(l)) contains \(text(x)))"
        case .orderHasItem(_, let name, _): return "(items contains \"\(name)\")"
        case .textContains(let a, let b): return "(\(text(a)) contains \(text(b)))"
        case .startsWith(let a, let b): return "(\(text(a)) starts with \(text(b)))"
        case .between(let x, let lo, let hi): return "(\(text(x)) between \(text(lo)) and \(text(hi)))"
        case .isMissing(let x, let negated): return "(\(text(x)) is \(negated ? "present" : "missing"))"
        case .dateNear(let x, let kind, let days): return "(\(text(x)) \(kind == .next ? "in next" : "within") \(days) days)"
        case .dateInLast(let x, let d): return "(\(text(x)) in last \(d))"
        case .aggregate(let agg, let q):
            var s = "\(agg.rawValue)(orders"
            if let f = q.fieldName { s += ".\(f)" }
            if let w = q.window { s += " in last \(w)" }
            if let f = q.filter { s += " where \(text(f))" }
            return s + ")"
        case .builtin(let b, let args): return "\(b.rawValue)(\(args.map(text).joined(separator: ", ")))"
        }
    }
}

// MARK: - Node ids

extension CheckedExpr {
    /// This tree with every node given an id from `next` on, children first.
    func numbered(from next: inout Int32) -> CheckedExpr {
        var out = mapChildren { $0.numbered(from: &next) }
        out.id = NodeID(next)
        next += 1
        return out
    }
}

extension CheckedProgram {
    /// Gives every node of every rule's condition, every define and every
    /// `where` filter a distinct id, dense from 0. A define's body is numbered
    /// anew at each use, so each use's value can be told apart.
    mutating func numberNodes() {
        var next: Int32 = 0
        for i in rules.indices { rules[i].condition = rules[i].condition.numbered(from: &next) }
        for i in defines.indices { defines[i].value = defines[i].value.numbered(from: &next) }
        nodeCount = Int(next)
    }
}
