/// What an expression's value depends on.
public struct ExpressionReads: OptionSet, Sendable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    /// The evaluation day.
    public static let today = ExpressionReads(rawValue: 1)
    /// The customer's columns.
    public static let columns = ExpressionReads(rawValue: 2)
    /// The customer's orders before the evaluation day.
    public static let orders = ExpressionReads(rawValue: 4)
}

/// What a simulation needs to know of a condition: what its parts read, and
/// the parts joined by `and`. (`children` is in CheckedTree.swift.)
extension CheckedExpr {
    /// What the value depends on besides constants: the day, the customer's
    /// columns, the customer's orders before the day.
    public var reads: ExpressionReads {
        switch node {
        case .constant: return []
        // `in next`, `within` and `in last` compare with today without a `today` node.
        case .today: return .today
        case .dateNear(let x, _, _), .dateInLast(let x, _): return x.reads.union(.today)
        case .column: return .columns
        case .derived(let field):
            return field == .daysSinceVisit || field == .daysSinceFirstVisit ? [.orders, .today] : .orders
        case .orderField, .orderHasItem: return .orders
        case .aggregate(_, let query):
            let filter = query.filter?.reads ?? []
            return filter.union(query.window == nil ? .orders : [.orders, .today])
        default:
            return children.reduce(into: ExpressionReads()) { $0.formUnion($1.reads) }
        }
    }

    /// The parts joined by the top-level `and`s (through defines): the condition
    /// holds only if each of them does.
    public var conjuncts: [CheckedExpr] {
        switch node {
        case .and(let a, let b): return a.conjuncts + b.conjuncts
        case .define(_, let body): return body.conjuncts
        default: return [self]
        }
    }
}

extension CheckedExpr {
    /// A copy that shares no reference-counted storage with the original. Threads
    /// evaluating the same tree would update the same reference counts on every
    /// node they visit and slow each other down; each evaluates its own copy.
    public var isolatedCopy: CheckedExpr {
        CheckedExpr(node.isolatedCopy, type.isolatedCopy, range)
    }
}

private extension CheckedNode {
    var isolatedCopy: CheckedNode {
        switch self {
        case .constant(let v): return .constant(v.isolatedCopy)
        case .today: return .today
        case .column(let slot, let name): return .column(slot, name: String.isolated(name))
        case .derived(let field): return .derived(field)
        case .orderField(let slot, let name): return .orderField(slot, name: String.isolated(name))
        case .orderHasItem(let id, let name): return .orderHasItem(id, name: String.isolated(name))
        case .define(let name, let body): return .define(String.isolated(name), body.isolatedCopy)
        case .not(let x): return .not(x.isolatedCopy)
        case .and(let a, let b): return .and(a.isolatedCopy, b.isolatedCopy)
        case .or(let a, let b): return .or(a.isolatedCopy, b.isolatedCopy)
        case .negate(let x): return .negate(x.isolatedCopy)
        case .arithmetic(let op, let a, let b): return .arithmetic(op, a.isolatedCopy, b.isolatedCopy)
        case .compare(let op, let a, let b): return .compare(op, a.isolatedCopy, b.isolatedCopy)
        case .inList(let x, let items, let negated): return .inList(x.isolatedCopy, items.map(\.isolatedCopy), negated: negated)
        case .listContains(let a, let b): return .listContains(a.isolatedCopy, b.isolatedCopy)
        case .textContains(let a, let b): return .textContains(a.isolatedCopy, b.isolatedCopy)
        case .startsWith(let a, let b): return .startsWith(a.isolatedCopy, b.isolatedCopy)
        case .between(let x, let lo, let hi): return .between(x.isolatedCopy, lo.isolatedCopy, hi.isolatedCopy)
        case .isMissing(let x, let negated): return .isMissing(x.isolatedCopy, negated: negated)
        case .dateNear(let x, let kind, let days): return .dateNear(x.isolatedCopy, kind, days: days)
        case .dateInLast(let x, let span): return .dateInLast(x.isolatedCopy, span)
        case .aggregate(let agg, let query):
            var q = query
            q.fieldName = query.fieldName.map(String.isolated)
            q.filter = query.filter?.isolatedCopy
            return .aggregate(agg, q)
        case .builtin(let b, let args): return .builtin(b, args.map(\.isolatedCopy))
        }
    }
}

private extension PerkType {
    var isolatedCopy: PerkType {
        switch self {
        case .enumeration(let e): return .enumeration(EnumType(name: String.isolated(e.name), cases: e.cases.map(String.isolated)))
        case .list(let t): return .list(t.isolatedCopy)
        default: return self
        }
    }
}

private extension Value {
    var isolatedCopy: Value {
        switch self {
        case .text(let s): return .text(String.isolated(s))
        case .list(let items): return .list(items.map(\.isolatedCopy))
        default: return self
        }
    }
}

private extension String {
    /// The same text in new storage.
    static func isolated(_ s: String) -> String { String(decoding: Array(s.utf8), as: UTF8.self) }
}
