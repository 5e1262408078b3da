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
            var reads = ExpressionReads()
            forEachChild { reads.formUnion($0.reads) }
            return reads
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
        var copy = mapChildren(\.isolatedCopy)
        copy.node = copy.node.isolatedCopy
        copy.type = type.isolatedCopy
        return copy
    }
}

private extension CheckedNode {
    /// The node's own text and values in new storage; its children are copied by `mapChildren`.
    var isolatedCopy: CheckedNode {
        switch self {
        case .constant(let v): return .constant(v.isolatedCopy)
        case .column(let slot, let name): return .column(slot, name: String.isolated(name))
        case .orderField(let slot, let name): return .orderField(slot, name: String.isolated(name))
        case .orderHasItem(let id, let name, let at): return .orderHasItem(id, name: String.isolated(name), nameRange: at)
        case .define(let name, let body): return .define(String.isolated(name), body)
        case .aggregate(let agg, var query):
            query.fieldName = query.fieldName.map(String.isolated)
            return .aggregate(agg, query)
        default: return self
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
